package dev.tarifa.hotels;

import dev.tarifa.hotels.store.HotelSeeder;
import dev.tarifa.shared.launch.OfferService;

/**
 * The hotels service: its database is prepared (migrations, catalogue seed) once, then one {@link
 * HotelsVerticle} per event loop serves HTTP.
 */
public final class HotelsService extends OfferService {
  public HotelsService(HotelsConfig config) {
    super(config.offer(), HotelSeeder::seed, () -> new HotelsVerticle(config));
  }
}
