package dev.tarifa.reviews;

import dev.tarifa.shared.config.Env;

import java.net.URI;
import java.util.Set;

/**
 * Configuration of the reviews service.
 *
 * @param port     HTTP port ({@code TARIFA_REVIEWS_PORT}, default 8085)
 * @param mongoUrl MongoDB ({@code TARIFA_MONGO_URL}, default mongodb://127.0.0.1:27017)
 * @param database database name ({@code TARIFA_MONGO_DATABASE}, default tarifa_reviews)
 */
public record ReviewsConfig(int port, URI mongoUrl, String database) {
  public static final int DEFAULT_PORT = 8085;

  public static ReviewsConfig fromEnv(Env env) {
    return new ReviewsConfig(
      env.port("TARIFA_REVIEWS_PORT", DEFAULT_PORT),
      env.url("TARIFA_MONGO_URL", Set.of("mongodb", "mongodb+srv")).orElse(URI.create("mongodb://127.0.0.1:27017")),
      env.string("TARIFA_MONGO_DATABASE", "tarifa_reviews"));
  }
}
