package dev.tarifa.hotels;

import dev.tarifa.hotels.api.HotelsRouter;
import dev.tarifa.hotels.store.HotelStore;
import dev.tarifa.shared.launch.OfferServiceVerticle;
import java.time.Clock;

/**
 * HTTP verticle of the hotels service: an {@link OfferServiceVerticle} over a {@link HotelStore},
 * whose ratings consumer keeps the hotel ratings, serving the {@link HotelsRouter}. Per instance,
 * in its frame: its pool, its event transport, an outbox relay (nudged after every admin write) and
 * the retention of its event tables.
 */
public final class HotelsVerticle extends OfferServiceVerticle<HotelStore> {
  public HotelsVerticle(HotelsConfig config) {
    this(config, Clock.systemUTC());
  }

  /**
   * @param clock today's date for search validation and pricing (tests fix it)
   */
  public HotelsVerticle(HotelsConfig config, Clock clock) {
    super(
        config.offer(), clock, HotelStore::new, HotelStore::ratingsConsumer, HotelsRouter::create);
  }
}
