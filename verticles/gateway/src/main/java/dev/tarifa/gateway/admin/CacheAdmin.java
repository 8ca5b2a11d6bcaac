package dev.tarifa.gateway.admin;

import dev.tarifa.shared.cache.CacheKey;
import dev.tarifa.shared.cache.CacheStats;
import dev.tarifa.shared.cache.QuoteCache;
import dev.tarifa.shared.domain.Unavailable;
import io.vertx.core.Future;

/**
 * The administration of the gateway's quote cache: its statistics and purges. A purge that fails
 * has still evicted from this gateway's memory, but not from Redis, so it fails with {@link
 * Unavailable} for the caller to retry.
 */
public final class CacheAdmin {
  private final QuoteCache cache;

  public CacheAdmin(QuoteCache cache) {
    this.cache = cache;
  }

  public CacheStats stats() {
    return cache.stats();
  }

  /** Evicts every entry tagged {@code tag}. */
  public Future<Eviction> evictTag(String tag) {
    return notInRedis(cache.evictTag(tag).map(n -> Eviction.ofTag(tag, n)));
  }

  /** Evicts the entry of {@code key}, if there is one. */
  public Future<Eviction> evictKey(CacheKey key) {
    return notInRedis(cache.evictKey(key).map(found -> Eviction.ofKey(key, found)));
  }

  private static Future<Eviction> notInRedis(Future<Eviction> eviction) {
    return eviction.recover(
        e ->
            Future.failedFuture(
                new Unavailable("evicted from this gateway's memory, but not from Redis: retry")));
  }
}
