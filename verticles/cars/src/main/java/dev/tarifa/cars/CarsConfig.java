package dev.tarifa.cars;

import dev.tarifa.shared.config.Env;
import dev.tarifa.shared.launch.OfferServiceConfig;

/**
 * Configuration of the cars service: for now only the part every offer service has, with the cars
 * service's keys and defaults (see {@link OfferServiceConfig}): port {@code TARIFA_CARS_PORT},
 * default 8084; database {@code TARIFA_CARS_PG_URL}, else {@code TARIFA_PG_URL} with database
 * tarifa_cars; pool {@code TARIFA_CARS_PG_POOL}, default 8; ratings queue {@code
 * TARIFA_CARS_RATINGS_QUEUE}, default {@code cars.ratings} (the review events kept as supplier
 * ratings).
 *
 * @param offer the offer service's configuration, of service {@code cars}
 */
public record CarsConfig(OfferServiceConfig offer) {
  public static final String NAME = "cars";
  public static final int DEFAULT_PORT = 8084;

  public static CarsConfig fromEnv(Env env) {
    return new CarsConfig(OfferServiceConfig.fromEnv(env, NAME, DEFAULT_PORT));
  }
}
