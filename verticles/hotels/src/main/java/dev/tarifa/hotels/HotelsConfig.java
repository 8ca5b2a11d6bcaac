package dev.tarifa.hotels;

import dev.tarifa.shared.config.Env;
import dev.tarifa.shared.launch.OfferServiceConfig;

/**
 * Configuration of the hotels service: for now only the part every offer service has, with the
 * hotels service's keys and defaults (see {@link OfferServiceConfig}): port {@code
 * TARIFA_HOTELS_PORT}, default 8083; database {@code TARIFA_HOTELS_PG_URL}, else {@code
 * TARIFA_PG_URL} with database tarifa_hotels; pool {@code TARIFA_HOTELS_PG_POOL}, default 8;
 * ratings queue {@code TARIFA_HOTELS_RATINGS_QUEUE}, default {@code hotels.ratings} (the review
 * events kept as hotel ratings).
 *
 * @param offer the offer service's configuration, of service {@code hotels}
 */
public record HotelsConfig(OfferServiceConfig offer) {
  public static final String NAME = "hotels";
  public static final int DEFAULT_PORT = 8083;

  public static HotelsConfig fromEnv(Env env) {
    return new HotelsConfig(OfferServiceConfig.fromEnv(env, NAME, DEFAULT_PORT));
  }
}
