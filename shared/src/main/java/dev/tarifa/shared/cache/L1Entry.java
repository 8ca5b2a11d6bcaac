package dev.tarifa.shared.cache;

import io.vertx.core.Future;

/**
 * An L1 value: the entry plus its two possible immediate answers, built once at insertion so that
 * an L1 hit (fresh or stale-while-revalidate) allocates nothing. Completed futures without a
 * context are immutable and may be handed to any thread.
 */
final class L1Entry {
  final CachedResponse response;
  final Future<Lookup> hit;
  final Future<Lookup> stale;
  final int weight;

  /**
   * Invalidated (by tag or key): never answered as fresh or within stale-while-revalidate again,
   * only kept as a stale-if-error fallback (soft eviction).
   */
  final boolean invalidated;

  L1Entry(String key, CachedResponse response) {
    this(key, response, false);
  }

  L1Entry(String key, CachedResponse response, boolean invalidated) {
    this.response = response;
    this.invalidated = invalidated;
    this.hit = Future.succeededFuture(new Lookup(response, CacheResult.HIT_L1, false));
    this.stale = Future.succeededFuture(new Lookup(response, CacheResult.STALE, false));
    this.weight = weigh(key, response);
  }

  /**
   * The weight of the L1 value of {@code response} under {@code key}: body bytes plus an estimate
   * of the rest.
   */
  static int weigh(String key, CachedResponse response) {
    return response.weight() + 2 * key.length() + 96;
  }
}
