package dev.tarifa.shared.launch;

import dev.tarifa.shared.auth.AuthConfig;
import dev.tarifa.shared.config.ConfigException;
import dev.tarifa.shared.config.Env;
import dev.tarifa.shared.events.EventsConfig;
import dev.tarifa.shared.pricing.CatalogueSize;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * The part of the configuration that every offer service (flights, hotels, cars) has: its {@link
 * ServiceConfig}, the generated catalogue it seeds, the JWT verification of its admin routes, its
 * events, and the durable queue of the review events it keeps as ratings. Each service's typed
 * configuration ({@code HotelsConfig}, ...) composes one; the keys, for service {@code <service>}:
 *
 * <ul>
 *   <li>those of {@link ServiceConfig#fromEnv}: {@code TARIFA_<SERVICE>_PORT}, {@code
 *       TARIFA_<SERVICE>_PG_URL} (else {@code TARIFA_PG_URL}), {@code TARIFA_<SERVICE>_PG_POOL};
 *   <li>{@value CatalogueSize#SIZE_KEY} ({@code full} by default, or {@code small}) and {@value
 *       CatalogueSize#SEED_KEY} (42 by default), shared by all services so that their catalogues
 *       agree;
 *   <li>{@code TARIFA_JWT_*} ({@link AuthConfig#fromEnv});
 *   <li>{@code TARIFA_AMQP_URL} and {@code TARIFA_EVENTS_*} ({@link EventsConfig#fromEnv}; no URL:
 *       the event bus);
 *   <li>{@code TARIFA_<SERVICE>_RATINGS_QUEUE}: the ratings queue, {@code <service>.ratings} by
 *       default ({@link #defaultRatingsQueue}).
 * </ul>
 *
 * @param service the service's name, port and database
 * @param catalogueSize how much of the generated catalogue the service seeds
 * @param catalogueSeed the generator's seed
 * @param auth JWT verification for the admin routes
 * @param events event transport, retries and outbox relay
 * @param ratingsQueue the durable queue of the review events kept as the service's ratings
 */
public record OfferServiceConfig(
    ServiceConfig service,
    CatalogueSize catalogueSize,
    long catalogueSeed,
    AuthConfig auth,
    EventsConfig events,
    String ratingsQueue) {

  /**
   * @throws NullPointerException if any component but {@code catalogueSeed} is null
   */
  public OfferServiceConfig {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(catalogueSize, "catalogueSize");
    Objects.requireNonNull(auth, "auth");
    Objects.requireNonNull(events, "events");
    Objects.requireNonNull(ratingsQueue, "ratingsQueue");
  }

  /**
   * A configuration without events settings, for tests: the event bus ({@link
   * EventsConfig#defaults()}) and the default ratings queue.
   *
   * @param name the service's name ({@link ServiceConfig#name()})
   */
  public static OfferServiceConfig of(
      String name,
      int port,
      URI pgUrl,
      int poolSize,
      CatalogueSize catalogueSize,
      long catalogueSeed,
      AuthConfig auth) {
    return new OfferServiceConfig(
        new ServiceConfig(name, port, pgUrl, poolSize),
        catalogueSize,
        catalogueSeed,
        auth,
        EventsConfig.defaults(),
        defaultRatingsQueue(name));
  }

  /**
   * Reads the keys of service {@code name} (see the class comment) from {@code env}, in this order:
   * service, catalogue size, seed, JWT, events, ratings queue.
   *
   * @param defaultPort the port when {@code TARIFA_<SERVICE>_PORT} is not set
   * @throws ConfigException naming the first key whose value cannot be used
   */
  public static OfferServiceConfig fromEnv(Env env, String name, int defaultPort) {
    return new OfferServiceConfig(
        ServiceConfig.fromEnv(env, name, defaultPort),
        CatalogueSize.fromEnv(env),
        CatalogueSize.seedFromEnv(env),
        AuthConfig.fromEnv(env),
        EventsConfig.fromEnv(env),
        env.string(
            "TARIFA_" + name.toUpperCase(Locale.ROOT) + "_RATINGS_QUEUE",
            defaultRatingsQueue(name)));
  }

  /** The ratings queue of service {@code name} when none is configured: {@code <name>.ratings}. */
  public static String defaultRatingsQueue(String name) {
    return name + ".ratings";
  }

  /** This configuration with other events settings and ratings queue. */
  public OfferServiceConfig withEvents(EventsConfig events, String ratingsQueue) {
    return new OfferServiceConfig(
        service, catalogueSize, catalogueSeed, auth, events, ratingsQueue);
  }
}
