package dev.tarifa.gateway;

import dev.tarifa.shared.config.Env;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Configuration of the gateway.
 *
 * @param port            HTTP port ({@code TARIFA_GATEWAY_PORT}, default 8080)
 * @param usersUrl        users service ({@code TARIFA_USERS_URL}, default http://127.0.0.1:8081)
 * @param flightsUrl      flights service ({@code TARIFA_FLIGHTS_URL}, default http://127.0.0.1:8082)
 * @param hotelsUrl       hotels service ({@code TARIFA_HOTELS_URL}, default http://127.0.0.1:8083)
 * @param carsUrl         cars service ({@code TARIFA_CARS_URL}, default http://127.0.0.1:8084)
 * @param reviewsUrl      reviews service ({@code TARIFA_REVIEWS_URL}, default http://127.0.0.1:8085)
 * @param redisUrl        shared L2 cache ({@code TARIFA_REDIS_URL}; absent means L1 only)
 * @param upstreamTimeout bound on every upstream call ({@code TARIFA_UPSTREAM_TIMEOUT}, default 2s)
 */
public record GatewayConfig(int port, URI usersUrl, URI flightsUrl, URI hotelsUrl, URI carsUrl, URI reviewsUrl,
                            Optional<URI> redisUrl, Duration upstreamTimeout) {
  public static final int DEFAULT_PORT = 8080;
  static final Set<String> HTTP = Set.of("http", "https");

  public static GatewayConfig fromEnv(Env env) {
    return new GatewayConfig(
      env.port("TARIFA_GATEWAY_PORT", DEFAULT_PORT),
      upstream(env, "TARIFA_USERS_URL", 8081),
      upstream(env, "TARIFA_FLIGHTS_URL", 8082),
      upstream(env, "TARIFA_HOTELS_URL", 8083),
      upstream(env, "TARIFA_CARS_URL", 8084),
      upstream(env, "TARIFA_REVIEWS_URL", 8085),
      env.url("TARIFA_REDIS_URL", Set.of("redis", "rediss")),
      env.duration("TARIFA_UPSTREAM_TIMEOUT", Duration.ofSeconds(2)));
  }

  private static URI upstream(Env env, String key, int port) {
    return env.url(key, HTTP).orElse(URI.create("http://127.0.0.1:" + port));
  }
}
