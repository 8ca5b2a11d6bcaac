package dev.tarifa.flights;

import dev.tarifa.shared.pricing.CatalogueSize;
import dev.tarifa.shared.auth.AuthConfig;
import dev.tarifa.shared.config.Env;
import dev.tarifa.shared.db.Postgres;

import java.net.URI;

/**
 * Configuration of the flights service.
 *
 * @param port     HTTP port ({@code TARIFA_FLIGHTS_PORT}, default 8082)
 * @param pgUrl    its own database ({@code TARIFA_FLIGHTS_PG_URL}, else {@code TARIFA_PG_URL} with database tarifa_flights)
 * @param poolSize connections per verticle instance ({@code TARIFA_FLIGHTS_PG_POOL}, default 8)
 * @param seed     catalogue seed ({@code TARIFA_CATALOGUE_SEED}, default 42)
 * @param size     catalogue size ({@code TARIFA_CATALOGUE_SIZE}: full (default) or small)
 * @param auth     JWT verification for the admin routes ({@code TARIFA_JWT_*}, see {@link AuthConfig})
 */
public record FlightsConfig(int port, URI pgUrl, int poolSize, long seed, CatalogueSize size, AuthConfig auth) {
  public static final int DEFAULT_PORT = 8082;

  public static FlightsConfig fromEnv(Env env) {
    return new FlightsConfig(
      env.port("TARIFA_FLIGHTS_PORT", DEFAULT_PORT),
      Postgres.serviceUrl(env, "flights"),
      env.integer("TARIFA_FLIGHTS_PG_POOL", 8, 1, 100),
      CatalogueSize.seedFromEnv(env),
      CatalogueSize.fromEnv(env),
      AuthConfig.fromEnv(env));
  }
}
