package dev.tarifa.flights;

import dev.tarifa.shared.auth.AuthConfig;
import dev.tarifa.shared.config.Env;
import dev.tarifa.shared.events.EventsConfig;
import dev.tarifa.shared.launch.ServiceConfig;
import dev.tarifa.shared.pricing.CatalogueSize;
import java.net.URI;

/**
 * Configuration of the flights service.
 *
 * @param service port ({@code TARIFA_FLIGHTS_PORT}, default 8082), database ({@code
 *     TARIFA_FLIGHTS_PG_URL}, else {@code TARIFA_PG_URL} with database tarifa_flights) and pool
 *     ({@code TARIFA_FLIGHTS_PG_POOL}, default 8): see {@link ServiceConfig}
 * @param seed catalogue seed ({@code TARIFA_CATALOGUE_SEED}, default 42)
 * @param size catalogue size ({@code TARIFA_CATALOGUE_SIZE}: full (default) or small)
 * @param auth JWT verification for the admin routes ({@code TARIFA_JWT_*}, see {@link AuthConfig})
 * @param events event transport, retries, outbox relay ({@code TARIFA_AMQP_URL}, {@code
 *     TARIFA_EVENTS_*}; no URL = event bus)
 * @param ratingsQueue durable queue of the review events kept as airline ratings ({@code
 *     TARIFA_FLIGHTS_RATINGS_QUEUE}, default flights.ratings)
 */
public record FlightsConfig(
    ServiceConfig service,
    long seed,
    CatalogueSize size,
    AuthConfig auth,
    EventsConfig events,
    String ratingsQueue) {
  public static final int DEFAULT_PORT = 8082;
  public static final String DEFAULT_RATINGS_QUEUE = "flights.ratings";

  /** Without events configuration: the event bus and the default queue (tests). */
  public FlightsConfig(
      int port, URI pgUrl, int poolSize, long seed, CatalogueSize size, AuthConfig auth) {
    this(
        new ServiceConfig("flights", port, pgUrl, poolSize),
        seed,
        size,
        auth,
        EventsConfig.defaults(),
        DEFAULT_RATINGS_QUEUE);
  }

  public FlightsConfig withEvents(EventsConfig events, String ratingsQueue) {
    return new FlightsConfig(service, seed, size, auth, events, ratingsQueue);
  }

  public static FlightsConfig fromEnv(Env env) {
    return new FlightsConfig(
        ServiceConfig.fromEnv(env, "flights", DEFAULT_PORT),
        CatalogueSize.seedFromEnv(env),
        CatalogueSize.fromEnv(env),
        AuthConfig.fromEnv(env),
        EventsConfig.fromEnv(env),
        env.string("TARIFA_FLIGHTS_RATINGS_QUEUE", DEFAULT_RATINGS_QUEUE));
  }
}
