package dev.tarifa.reviews;

import dev.tarifa.shared.auth.AuthConfig;
import dev.tarifa.shared.config.Env;
import dev.tarifa.shared.events.EventsConfig;
import java.net.URI;
import java.util.Set;

/**
 * Configuration of the reviews service.
 *
 * @param port HTTP port ({@code TARIFA_REVIEWS_PORT}, default 8085)
 * @param mongoUrl MongoDB ({@code TARIFA_MONGO_URL}, default mongodb://127.0.0.1:27017)
 * @param database database name ({@code TARIFA_MONGO_DATABASE}, default tarifa_reviews)
 * @param hotelsUrl the hotels service, owner of {@code hotel:} subjects ({@code TARIFA_HOTELS_URL},
 *     default http://127.0.0.1:8083)
 * @param carsUrl the cars service, owner of {@code carsupplier:} subjects ({@code TARIFA_CARS_URL},
 *     default http://127.0.0.1:8084)
 * @param flightsUrl the flights service, owner of {@code airline:} subjects ({@code
 *     TARIFA_FLIGHTS_URL}, default http://127.0.0.1:8082)
 * @param auth JWT verification settings ({@link AuthConfig#fromEnv})
 * @param events event transport and outbox relay settings ({@code TARIFA_AMQP_URL}, {@code
 *     TARIFA_EVENTS_*}; no URL = event bus)
 */
public record ReviewsConfig(
    int port,
    URI mongoUrl,
    String database,
    URI hotelsUrl,
    URI carsUrl,
    URI flightsUrl,
    AuthConfig auth,
    EventsConfig events) {
  /** With the default events configuration (event bus). */
  public ReviewsConfig(
      int port,
      URI mongoUrl,
      String database,
      URI hotelsUrl,
      URI carsUrl,
      URI flightsUrl,
      AuthConfig auth) {
    this(port, mongoUrl, database, hotelsUrl, carsUrl, flightsUrl, auth, EventsConfig.defaults());
  }

  public ReviewsConfig withEvents(EventsConfig events) {
    return new ReviewsConfig(
        port, mongoUrl, database, hotelsUrl, carsUrl, flightsUrl, auth, events);
  }

  public static final int DEFAULT_PORT = 8085;
  private static final Set<String> HTTP = Set.of("http", "https");

  public static ReviewsConfig fromEnv(Env env) {
    return new ReviewsConfig(
        env.port("TARIFA_REVIEWS_PORT", DEFAULT_PORT),
        env.url("TARIFA_MONGO_URL", Set.of("mongodb", "mongodb+srv"))
            .orElse(URI.create("mongodb://127.0.0.1:27017")),
        env.string("TARIFA_MONGO_DATABASE", "tarifa_reviews"),
        env.url("TARIFA_HOTELS_URL", HTTP).orElse(URI.create("http://127.0.0.1:8083")),
        env.url("TARIFA_CARS_URL", HTTP).orElse(URI.create("http://127.0.0.1:8084")),
        env.url("TARIFA_FLIGHTS_URL", HTTP).orElse(URI.create("http://127.0.0.1:8082")),
        AuthConfig.fromEnv(env),
        EventsConfig.fromEnv(env));
  }
}
