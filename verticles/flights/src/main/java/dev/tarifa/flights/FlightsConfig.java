package dev.tarifa.flights;

import dev.tarifa.shared.config.Env;
import dev.tarifa.shared.launch.OfferServiceConfig;

/**
 * Configuration of the flights service: for now only the part every offer service has, with the
 * flights service's keys and defaults (see {@link OfferServiceConfig}): port {@code
 * TARIFA_FLIGHTS_PORT}, default 8082; database {@code TARIFA_FLIGHTS_PG_URL}, else {@code
 * TARIFA_PG_URL} with database tarifa_flights; pool {@code TARIFA_FLIGHTS_PG_POOL}, default 8;
 * ratings queue {@code TARIFA_FLIGHTS_RATINGS_QUEUE}, default {@code flights.ratings} (the review
 * events kept as airline ratings).
 *
 * @param offer the offer service's configuration, of service {@code flights}
 */
public record FlightsConfig(OfferServiceConfig offer) {
  public static final String NAME = "flights";
  public static final int DEFAULT_PORT = 8082;

  public static FlightsConfig fromEnv(Env env) {
    return new FlightsConfig(OfferServiceConfig.fromEnv(env, NAME, DEFAULT_PORT));
  }
}
