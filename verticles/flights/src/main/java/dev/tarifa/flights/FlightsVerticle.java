package dev.tarifa.flights;

import dev.tarifa.flights.api.FlightsRouter;
import dev.tarifa.flights.service.FlightsAdmin;
import dev.tarifa.flights.store.AdminStore;
import dev.tarifa.flights.store.FlightReadModel;
import dev.tarifa.flights.store.FlightStore;
import dev.tarifa.shared.auth.JwtVerifier;
import dev.tarifa.shared.launch.OfferServiceConfig;
import dev.tarifa.shared.launch.ServiceFrame;
import dev.tarifa.shared.launch.ServiceVerticle;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import java.time.Clock;

/**
 * HTTP verticle of the flights service. Per instance, in its {@link ServiceFrame}: its pool, its
 * event transport, an outbox relay (nudged after every admin write) and the retention of its event
 * tables; here, a consumer of the review events on the shared durable airline ratings queue.
 */
public final class FlightsVerticle extends ServiceVerticle {
  private final OfferServiceConfig config;
  private final Clock clock;
  private FlightReadModel model;

  public FlightsVerticle(FlightsConfig config) {
    this(config, Clock.systemUTC());
  }

  /**
   * @param clock today's date for search validation and pricing (tests fix it)
   */
  public FlightsVerticle(FlightsConfig config, Clock clock) {
    super(config.offer().service());
    this.config = config.offer();
    this.clock = clock;
  }

  @Override
  protected Future<Router> router(ServiceFrame frame) {
    JwtVerifier auth = JwtVerifier.create(vertx, config.auth());
    return FlightReadModel.acquire(vertx, config.service().pgUrl())
        .compose(
            m -> {
              model = m;
              return frame.startEvents(config.events());
            })
        .compose(
            f -> {
              FlightStore store = new FlightStore(f.pool(), model);
              f.subscribeRatings(store.ratingsConsumer(config.ratingsQueue()));
              return store
                  .reference()
                  .map(
                      ref ->
                          new FlightsRouter(
                                  vertx,
                                  f.health(),
                                  store,
                                  new FlightsAdmin(
                                      new AdminStore(
                                          f.pool(), ref, f.relay()::nudge, model::refresh)),
                                  ref,
                                  auth,
                                  clock)
                              .router());
            });
  }

  /**
   * The frame's resources, then this instance's hold on the process's read model (its own
   * connection).
   */
  @Override
  protected Future<?> closeResources() {
    return super.closeResources()
        .eventually(
            () ->
                model == null
                    ? Future.succeededFuture()
                    : FlightReadModel.release(vertx, config.service().pgUrl()));
  }
}
