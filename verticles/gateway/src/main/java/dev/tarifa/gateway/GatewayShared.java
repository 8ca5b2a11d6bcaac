package dev.tarifa.gateway;

import dev.tarifa.gateway.edge.Invalidation;
import dev.tarifa.gateway.edge.RateLimiter;
import dev.tarifa.gateway.edge.SharedBudget;
import dev.tarifa.gateway.upstream.Breakers;
import dev.tarifa.shared.cache.QuoteCache;
import dev.tarifa.shared.cache.RedisConnections;
import dev.tarifa.shared.events.EventTransport;
import dev.tarifa.shared.events.EventTransports;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every gateway verticle of one process shares: the quote cache (its L1, in-flight map and
 * Redis client, so L1 and coalescing are per process as QuoteCache's threading model intends), one
 * circuit breaker per upstream, and the rate-limit buckets. Created once by {@link
 * GatewayService#prepare}; all members are thread-safe.
 */
public record GatewayShared(
    QuoteCache cache,
    Redis redis,
    Breakers breakers,
    RateLimiter rateLimiter,
    AtomicReference<EventTransport> events) {
  private static final Logger log = LoggerFactory.getLogger(GatewayShared.class);

  public static Future<GatewayShared> create(Vertx vertx, GatewayConfig config) {
    Breakers breakers =
        new Breakers(
            vertx, config.upstreamTimeout(), config.circuitFailures(), config.circuitReset());
    Redis redis =
        config
            .redisUrl()
            .map(url -> Redis.createClient(vertx, RedisConnections.options(url)))
            .orElse(null);
    SharedBudget budget =
        redis == null
            ? null
            : new SharedBudget(
                vertx,
                redis,
                config.cache().keyPrefix(),
                config.rateLimitRps(),
                config.rateLimitBurst(),
                config.cache().l2Timeout());
    RateLimiter limiter =
        new RateLimiter(
            config.rateLimitRps(), config.rateLimitBurst(), config.trustedProxies(), budget);
    QuoteCache cache = QuoteCache.create(vertx, config.cache(), redis);
    GatewayShared shared =
        new GatewayShared(cache, redis, breakers, limiter, new AtomicReference<>());
    // Invalidation events are wanted but not vital: without them answers still expire by TTL, so a
    // broker that is
    // down at start-up is logged (and shown as degraded readiness) rather than failing the gateway.
    // The gateway publishes nothing: no publisher connection.
    return EventTransports.createSubscriber(vertx, config.events(), "gateway")
        .compose(
            transport -> {
              shared.events.set(transport);
              return Invalidation.subscribe(transport, cache);
            })
        .transform(
            ar -> {
              if (ar.failed())
                log.warn(
                    "offer-change invalidation is not running (answers expire by TTL only): {}",
                    ar.cause().toString());
              return Future.succeededFuture(shared);
            });
  }

  /** Whether offer-change events are being consumed. */
  public boolean invalidationRunning() {
    return events.get() != null;
  }

  public void close() {
    breakers.close();
    EventTransport t = events.get();
    if (t != null) t.close();
    cache.close();
    if (redis != null) redis.close();
  }
}
