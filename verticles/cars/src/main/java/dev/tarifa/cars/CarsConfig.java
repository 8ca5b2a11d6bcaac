package dev.tarifa.cars;

import dev.tarifa.shared.auth.AuthConfig;
import dev.tarifa.shared.config.Env;
import dev.tarifa.shared.db.Postgres;
import dev.tarifa.shared.pricing.CatalogueSize;

import java.net.URI;

/**
 * Configuration of the cars service.
 *
 * @param port          HTTP port ({@code TARIFA_CARS_PORT}, default 8084)
 * @param pgUrl         its own database ({@code TARIFA_CARS_PG_URL}, else {@code TARIFA_PG_URL} with database tarifa_cars)
 * @param poolSize      connections per verticle instance ({@code TARIFA_CARS_PG_POOL}, default 8)
 * @param catalogueSize generated catalogue size ({@code TARIFA_CATALOGUE_SIZE}: full (default) | small)
 * @param catalogueSeed generator seed ({@code TARIFA_CATALOGUE_SEED}, default 42)
 * @param auth          JWT verification for the admin routes ({@code TARIFA_JWT_*})
 */
public record CarsConfig(int port, URI pgUrl, int poolSize, CatalogueSize catalogueSize, long catalogueSeed, AuthConfig auth) {
  public static final int DEFAULT_PORT = 8084;

  public static CarsConfig fromEnv(Env env) {
    return new CarsConfig(
      env.port("TARIFA_CARS_PORT", DEFAULT_PORT),
      Postgres.serviceUrl(env, "cars"),
      env.integer("TARIFA_CARS_PG_POOL", 8, 1, 100),
      CatalogueSize.fromEnv(env),
      CatalogueSize.seedFromEnv(env),
      AuthConfig.fromEnv(env));
  }
}
