package dev.tarifa.hotels;

import dev.tarifa.hotels.api.HotelsRouter;
import dev.tarifa.hotels.service.HotelsAdmin;
import dev.tarifa.hotels.store.HotelStore;
import dev.tarifa.shared.auth.JwtVerifier;
import dev.tarifa.shared.launch.ServiceFrame;
import dev.tarifa.shared.launch.ServiceVerticle;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import java.time.Clock;

/**
 * HTTP verticle of the hotels service. Per instance, in its {@link ServiceFrame}: its pool, its
 * event transport, an outbox relay (nudged after every admin write) and the retention of its event
 * tables; here, a consumer of the review events on the shared durable ratings queue.
 */
public final class HotelsVerticle extends ServiceVerticle {
  private final HotelsConfig config;
  private final Clock clock;

  public HotelsVerticle(HotelsConfig config) {
    this(config, Clock.systemUTC());
  }

  /**
   * @param clock today's date for search validation and pricing (tests fix it)
   */
  public HotelsVerticle(HotelsConfig config, Clock clock) {
    super(config.service());
    this.config = config;
    this.clock = clock;
  }

  @Override
  protected Future<Router> router(ServiceFrame frame) {
    return frame
        .startEvents(config.events())
        .map(
            f -> {
              HotelStore store = new HotelStore(f.pool(), f.relay()::nudge);
              f.subscribe(
                  "hotel ratings consumer",
                  store.ratingsConsumer(config.ratingsQueue())::subscribe);
              return new HotelsRouter(
                      vertx,
                      f.health(),
                      store,
                      new HotelsAdmin(store),
                      JwtVerifier.create(vertx, config.auth()),
                      clock)
                  .router();
            });
  }
}
