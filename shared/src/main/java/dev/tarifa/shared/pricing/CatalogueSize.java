package dev.tarifa.shared.pricing;

import dev.tarifa.shared.config.Env;

/**
 * How much of the generated catalogue a service seeds ({@code TARIFA_CATALOGUE_SIZE}): {@code full}
 * (default) for real use and measurements, {@code small} for tests. A small catalogue is a strict
 * prefix of the full one for the same seed (same cities, same ids), so what a test sees also exists
 * in production data.
 */
public enum CatalogueSize {
  FULL(400, Integer.MAX_VALUE),
  SMALL(400, 20);

  /** How many of the busiest airports are considered. */
  public final int airports;

  /** At most this many cities (busiest first). */
  public final int maxCities;

  CatalogueSize(int airports, int maxCities) {
    this.airports = airports;
    this.maxCities = maxCities;
  }

  public static final String SIZE_KEY = "TARIFA_CATALOGUE_SIZE";
  public static final String SEED_KEY = "TARIFA_CATALOGUE_SEED";
  public static final long DEFAULT_SEED = 42;

  public static CatalogueSize fromEnv(Env env) {
    return env.enumValue(SIZE_KEY, CatalogueSize.class, FULL);
  }

  /** {@code TARIFA_CATALOGUE_SEED}, default 42. */
  public static long seedFromEnv(Env env) {
    return env.integer(SEED_KEY, (int) DEFAULT_SEED);
  }
}
