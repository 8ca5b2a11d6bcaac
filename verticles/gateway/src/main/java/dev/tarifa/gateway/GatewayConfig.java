package dev.tarifa.gateway;

import dev.tarifa.gateway.edge.TrustedProxies;
import dev.tarifa.shared.auth.AuthConfig;
import dev.tarifa.shared.cache.CacheConfig;
import dev.tarifa.shared.config.ConfigException;
import dev.tarifa.shared.config.Env;
import dev.tarifa.shared.events.EventsConfig;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Configuration of the gateway.
 *
 * @param port HTTP port ({@code TARIFA_GATEWAY_PORT}, default 8080)
 * @param usersUrl users service ({@code TARIFA_USERS_URL}, default http://127.0.0.1:8081)
 * @param flightsUrl flights service ({@code TARIFA_FLIGHTS_URL}, default http://127.0.0.1:8082)
 * @param hotelsUrl hotels service ({@code TARIFA_HOTELS_URL}, default http://127.0.0.1:8083)
 * @param carsUrl cars service ({@code TARIFA_CARS_URL}, default http://127.0.0.1:8084)
 * @param reviewsUrl reviews service ({@code TARIFA_REVIEWS_URL}, default http://127.0.0.1:8085)
 * @param redisUrl shared L2 cache ({@code TARIFA_REDIS_URL}; absent means L1 only)
 * @param upstreamTimeout bound on every upstream call ({@code TARIFA_UPSTREAM_TIMEOUT}, default 2s)
 * @param circuitFailures consecutive failures that open an upstream's circuit ({@code
 *     TARIFA_CIRCUIT_MAX_FAILURES}, default 5)
 * @param circuitReset how long an open circuit waits before one trial call ({@code
 *     TARIFA_CIRCUIT_RESET}, default 5s)
 * @param rateLimitRps sustained requests per second per client ({@code TARIFA_RATE_LIMIT_RPS},
 *     default 50)
 * @param rateLimitBurst bucket size per client ({@code TARIFA_RATE_LIMIT_BURST}, default 100)
 * @param trustedProxies load balancers whose {@code X-Forwarded-For} names the client ({@code
 *     TARIFA_TRUSTED_PROXIES}, addresses or CIDR blocks, comma-separated; default none)
 * @param corsOrigins origins allowed by CORS ({@code TARIFA_CORS_ORIGINS}, comma-separated, default
 *     http://localhost:8080)
 * @param bodyLimit request body limit in bytes ({@code TARIFA_GATEWAY_BODY_LIMIT}, default 16k;
 *     over: 413)
 * @param maxUriLength request target limit in characters ({@code TARIFA_GATEWAY_MAX_URI}, default
 *     4096; over: 414)
 * @param hsts send Strict-Transport-Security (only behind TLS: {@code TARIFA_GATEWAY_HSTS}, default
 *     false)
 * @param clientMaxAge the most a cached answer's {@code Cache-Control} lets a client or shared
 *     cache keep it, as {@code max-age} and {@code stale-while-revalidate} each ({@code
 *     TARIFA_GATEWAY_CLIENT_MAX_AGE}, default 60s, 0 to 1h): tag eviction reaches only the
 *     gateways' caches, so this bounds how long a browser or CDN may show a price after an admin
 *     changed it, whatever the (much longer) fresh time of the gateway's cache
 * @param auth JWT verification ({@code TARIFA_JWT_*})
 * @param cache the quote cache ({@code TARIFA_CACHE_*})
 * @param events offer-change events that invalidate cached answers ({@code TARIFA_AMQP_URL} etc.;
 *     without it the in-process event bus, as in the all-in-one run)
 */
public record GatewayConfig(
    int port,
    URI usersUrl,
    URI flightsUrl,
    URI hotelsUrl,
    URI carsUrl,
    URI reviewsUrl,
    Optional<URI> redisUrl,
    Duration upstreamTimeout,
    int circuitFailures,
    Duration circuitReset,
    int rateLimitRps,
    int rateLimitBurst,
    TrustedProxies trustedProxies,
    List<String> corsOrigins,
    long bodyLimit,
    int maxUriLength,
    boolean hsts,
    Duration clientMaxAge,
    AuthConfig auth,
    CacheConfig cache,
    EventsConfig events) {
  public static final int DEFAULT_PORT = 8080;
  public static final List<String> DOMAINS = List.of("flights", "hotels", "cars", "catalogue");
  static final Set<String> HTTP = Set.of("http", "https");

  public static GatewayConfig fromEnv(Env env) {
    long bodyLimit = env.bytes("TARIFA_GATEWAY_BODY_LIMIT", 16 * 1024);
    if (bodyLimit < 1024 || bodyLimit > 16L << 20)
      throw new ConfigException("TARIFA_GATEWAY_BODY_LIMIT", "must be between 1k and 16m");
    List<String> origins =
        Arrays.stream(env.string("TARIFA_CORS_ORIGINS", "http://localhost:8080").split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .toList();
    for (String o : origins) Env.parseUrl("TARIFA_CORS_ORIGINS", o, HTTP);
    return new GatewayConfig(
        env.port("TARIFA_GATEWAY_PORT", DEFAULT_PORT),
        upstream(env, "TARIFA_USERS_URL", 8081),
        upstream(env, "TARIFA_FLIGHTS_URL", 8082),
        upstream(env, "TARIFA_HOTELS_URL", 8083),
        upstream(env, "TARIFA_CARS_URL", 8084),
        upstream(env, "TARIFA_REVIEWS_URL", 8085),
        env.url("TARIFA_REDIS_URL", Set.of("redis", "rediss")),
        env.duration("TARIFA_UPSTREAM_TIMEOUT", Duration.ofSeconds(2)),
        env.integer("TARIFA_CIRCUIT_MAX_FAILURES", 5, 1, 1000),
        env.duration("TARIFA_CIRCUIT_RESET", Duration.ofSeconds(5)),
        env.integer("TARIFA_RATE_LIMIT_RPS", 50, 1, 1_000_000),
        env.integer("TARIFA_RATE_LIMIT_BURST", 100, 1, 1_000_000),
        TrustedProxies.parse("TARIFA_TRUSTED_PROXIES", env.string("TARIFA_TRUSTED_PROXIES", "")),
        origins,
        bodyLimit,
        env.integer("TARIFA_GATEWAY_MAX_URI", 4096, 256, 7168),
        env.bool("TARIFA_GATEWAY_HSTS", false),
        clientMaxAge(env),
        AuthConfig.fromEnv(env),
        CacheConfig.fromEnv(env, DOMAINS),
        EventsConfig.fromEnv(env));
  }

  private static Duration clientMaxAge(Env env) {
    Duration d = env.duration("TARIFA_GATEWAY_CLIENT_MAX_AGE", Duration.ofSeconds(60));
    if (d.isNegative() || d.compareTo(Duration.ofHours(1)) > 0)
      throw new ConfigException("TARIFA_GATEWAY_CLIENT_MAX_AGE", "must be between 0s and 1h");
    return d;
  }

  private static URI upstream(Env env, String key, int port) {
    return env.url(key, HTTP).orElse(URI.create("http://127.0.0.1:" + port));
  }
}
