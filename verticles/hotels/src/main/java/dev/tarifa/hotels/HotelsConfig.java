package dev.tarifa.hotels;

import dev.tarifa.shared.auth.AuthConfig;
import dev.tarifa.shared.config.Env;
import dev.tarifa.shared.events.EventsConfig;
import dev.tarifa.shared.launch.ServiceConfig;
import dev.tarifa.shared.pricing.CatalogueSize;
import java.net.URI;

/**
 * Configuration of the hotels service.
 *
 * @param service port ({@code TARIFA_HOTELS_PORT}, default 8083), database ({@code
 *     TARIFA_HOTELS_PG_URL}, else {@code TARIFA_PG_URL} with database tarifa_hotels) and pool
 *     ({@code TARIFA_HOTELS_PG_POOL}, default 8): see {@link ServiceConfig}
 * @param catalogueSize generated catalogue size ({@code TARIFA_CATALOGUE_SIZE}: full (default) |
 *     small)
 * @param catalogueSeed generator seed ({@code TARIFA_CATALOGUE_SEED}, default 42)
 * @param auth JWT verification for the admin routes ({@code TARIFA_JWT_*})
 * @param events event transport, retries, outbox relay ({@code TARIFA_AMQP_URL}, {@code
 *     TARIFA_EVENTS_*}; no URL = event bus)
 * @param ratingsQueue durable queue of the review events kept as hotel ratings ({@code
 *     TARIFA_HOTELS_RATINGS_QUEUE}, default hotels.ratings)
 */
public record HotelsConfig(
    ServiceConfig service,
    CatalogueSize catalogueSize,
    long catalogueSeed,
    AuthConfig auth,
    EventsConfig events,
    String ratingsQueue) {
  public static final int DEFAULT_PORT = 8083;
  public static final String DEFAULT_RATINGS_QUEUE = "hotels.ratings";

  /** Without events configuration: the event bus and the default queue (tests). */
  public HotelsConfig(
      int port,
      URI pgUrl,
      int poolSize,
      CatalogueSize catalogueSize,
      long catalogueSeed,
      AuthConfig auth) {
    this(
        new ServiceConfig("hotels", port, pgUrl, poolSize),
        catalogueSize,
        catalogueSeed,
        auth,
        EventsConfig.defaults(),
        DEFAULT_RATINGS_QUEUE);
  }

  public HotelsConfig withEvents(EventsConfig events, String ratingsQueue) {
    return new HotelsConfig(service, catalogueSize, catalogueSeed, auth, events, ratingsQueue);
  }

  public static HotelsConfig fromEnv(Env env) {
    return new HotelsConfig(
        ServiceConfig.fromEnv(env, "hotels", DEFAULT_PORT),
        CatalogueSize.fromEnv(env),
        CatalogueSize.seedFromEnv(env),
        AuthConfig.fromEnv(env),
        EventsConfig.fromEnv(env),
        env.string("TARIFA_HOTELS_RATINGS_QUEUE", DEFAULT_RATINGS_QUEUE));
  }
}
