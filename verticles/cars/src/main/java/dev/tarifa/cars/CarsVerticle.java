package dev.tarifa.cars;

import dev.tarifa.cars.api.CarsRouter;
import dev.tarifa.cars.store.CarStore;
import dev.tarifa.shared.launch.OfferServiceVerticle;
import java.time.Clock;

/**
 * HTTP verticle of the cars service: an {@link OfferServiceVerticle} over a {@link CarStore}, whose
 * ratings consumer keeps the supplier ratings, serving the {@link CarsRouter}. Per instance, in its
 * frame: its pool, its event transport, an outbox relay (nudged after every admin write) and the
 * retention of its event tables.
 */
public final class CarsVerticle extends OfferServiceVerticle<CarStore> {
  public CarsVerticle(CarsConfig config) {
    this(config, Clock.systemUTC());
  }

  /**
   * @param clock today's date for search validation and pricing (tests fix it)
   */
  public CarsVerticle(CarsConfig config, Clock clock) {
    super(config.offer(), clock, CarStore::new, CarStore::ratingsConsumer, CarsRouter::create);
  }
}
