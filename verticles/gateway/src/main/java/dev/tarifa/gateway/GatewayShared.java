package dev.tarifa.gateway;

import dev.tarifa.gateway.edge.RateLimiter;
import dev.tarifa.gateway.upstream.Breakers;
import dev.tarifa.shared.cache.QuoteCache;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;

/**
 * What every gateway verticle of one process shares: the quote cache (its L1, in-flight map and Redis client, so
 * L1 and coalescing are per process as QuoteCache's threading model intends), one circuit breaker per upstream,
 * and the rate-limit buckets. Created once by {@link GatewayService#prepare}; all members are thread-safe.
 */
public record GatewayShared(QuoteCache cache, Redis redis, Breakers breakers, RateLimiter rateLimiter) {

  public static Future<GatewayShared> create(Vertx vertx, GatewayConfig config) {
    Breakers breakers = new Breakers(vertx, config.upstreamTimeout(), config.circuitFailures(), config.circuitReset());
    RateLimiter limiter = new RateLimiter(config.rateLimitRps(), config.rateLimitBurst());
    Redis redis = config.redisUrl()
      .map(url -> Redis.createClient(vertx, new RedisOptions().setConnectionString(url.toString())
        .setMaxPoolSize(16).setMaxPoolWaiting(1024).setPoolRecycleTimeout(15_000)))
      .orElse(null);
    QuoteCache cache = QuoteCache.create(vertx, config.cache(), redis);
    return Future.succeededFuture(new GatewayShared(cache, redis, breakers, limiter));
  }

  public void close() {
    breakers.close();
    if (redis != null) redis.close();
  }
}
