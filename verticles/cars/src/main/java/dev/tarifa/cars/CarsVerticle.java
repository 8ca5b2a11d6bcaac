package dev.tarifa.cars;

import dev.tarifa.cars.api.CarsRouter;
import dev.tarifa.cars.service.CarsAdmin;
import dev.tarifa.cars.store.CarStore;
import dev.tarifa.shared.auth.JwtVerifier;
import dev.tarifa.shared.launch.ServiceFrame;
import dev.tarifa.shared.launch.ServiceVerticle;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import java.time.Clock;

/**
 * HTTP verticle of the cars service. Per instance, in its {@link ServiceFrame}: its pool, its event
 * transport, an outbox relay (nudged after every admin write) and the retention of its event
 * tables; here, a consumer of the review events on the shared durable ratings queue.
 */
public final class CarsVerticle extends ServiceVerticle {
  private final CarsConfig config;
  private final Clock clock;

  public CarsVerticle(CarsConfig config) {
    this(config, Clock.systemUTC());
  }

  /**
   * @param clock today's date for search validation and pricing (tests fix it)
   */
  public CarsVerticle(CarsConfig config, Clock clock) {
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
              CarStore store = new CarStore(f.pool(), f.relay()::nudge);
              f.subscribe(
                  "supplier ratings consumer",
                  store.ratingsConsumer(config.ratingsQueue())::subscribe);
              return new CarsRouter(
                      vertx,
                      f.health(),
                      store,
                      new CarsAdmin(store),
                      JwtVerifier.create(vertx, config.auth()),
                      clock)
                  .router();
            });
  }
}
