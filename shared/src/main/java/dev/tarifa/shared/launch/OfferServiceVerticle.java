package dev.tarifa.shared.launch;

import dev.tarifa.shared.auth.JwtVerifier;
import dev.tarifa.shared.events.EventsConfig;
import dev.tarifa.shared.events.OutboxRelay;
import dev.tarifa.shared.events.RatingsConsumer;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * The HTTP verticle of an offer service whose routes need nothing but its store: on start, over its
 * {@link ServiceFrame} ({@link ServiceFrame#postgres}), it
 *
 * <ol>
 *   <li>starts the frame's events ({@link ServiceFrame#startEvents(EventsConfig)} with {@link
 *       OfferServiceConfig#events()});
 *   <li>opens the store over the frame's pool, with the outbox relay's {@link OutboxRelay#nudge()
 *       nudge} to call after each committed write;
 *   <li>subscribes the store's ratings consumer on {@link OfferServiceConfig#ratingsQueue()} in the
 *       background ({@link ServiceFrame#subscribeRatings});
 *   <li>builds the router over the store and the {@link RouterParts}: the frame's health, a {@link
 *       JwtVerifier} of {@link OfferServiceConfig#auth()}, the clock.
 * </ol>
 *
 * A service's verticle only names its parts:
 *
 * <pre>{@code
 * public final class CarsVerticle extends OfferServiceVerticle<CarStore> {
 *   public CarsVerticle(CarsConfig config, Clock clock) {
 *     super(config.offer(), clock, CarStore::new, CarStore::ratingsConsumer, CarsRouter::create);
 *   }
 * }
 * }</pre>
 *
 * Shutdown is {@link ServiceVerticle}'s: the server drains, then the frame closes.
 *
 * @param <S> the service's store
 */
public abstract class OfferServiceVerticle<S> extends ServiceVerticle {
  private final OfferServiceConfig config;
  private final Clock clock;
  private final BiFunction<Pool, Runnable, S> store;
  private final BiFunction<S, String, RatingsConsumer<?>> ratings;
  private final BiFunction<RouterParts, S, Router> routes;

  /**
   * @param clock today's date for search validation and pricing (tests fix it)
   * @param store opens the store over a pool and the callback to run after each committed write
   *     that appended events ({@code CarStore::new})
   * @param ratings the store's consumer of the review events on the given queue ({@code
   *     CarStore::ratingsConsumer})
   * @param routes the service's router over its parts and its store ({@code CarsRouter::create});
   *     called once per instance, on the verticle's context
   */
  protected OfferServiceVerticle(
      OfferServiceConfig config,
      Clock clock,
      BiFunction<Pool, Runnable, S> store,
      BiFunction<S, String, RatingsConsumer<?>> ratings,
      BiFunction<RouterParts, S, Router> routes) {
    super(config.service());
    this.config = config;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.store = Objects.requireNonNull(store, "store");
    this.ratings = Objects.requireNonNull(ratings, "ratings");
    this.routes = Objects.requireNonNull(routes, "routes");
  }

  @Override
  protected final Future<Router> router(ServiceFrame frame) {
    return frame
        .startEvents(config.events())
        .map(
            f -> {
              S s = store.apply(f.pool(), f.relay()::nudge);
              f.subscribeRatings(ratings.apply(s, config.ratingsQueue()));
              JwtVerifier auth = JwtVerifier.create(vertx, config.auth());
              return routes.apply(new RouterParts(vertx, f.health(), auth, clock), s);
            });
  }
}
