package dev.tarifa.cars;

import dev.tarifa.cars.store.CarSeeder;
import dev.tarifa.shared.launch.OfferService;

/**
 * The cars service: its database is prepared (migrations, catalogue seed) once, then one {@link
 * CarsVerticle} per event loop serves HTTP.
 */
public final class CarsService extends OfferService {
  public CarsService(CarsConfig config) {
    super(config.offer(), CarSeeder::seed, () -> new CarsVerticle(config));
  }
}
