package dev.tarifa.shared.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The in-process layer: Caffeine bounded by weight in bytes (W-TinyLFU), each entry expiring at its
 * stale-if-error end, on the cache's clock. Caffeine runs its maintenance and listeners on the
 * calling thread (direct executor): no pool thread ever touches vert.x state, and evictions are
 * visible right after the write that caused them.
 *
 * <p>The tag index maps a tag to the keys whose entries carry it. It is kept consistent by the
 * removal listener (which drops a key from a tag's set unless the key's current entry still carries
 * the tag) and is verified by {@link #evictTag}, which invalidates a key only if its current entry
 * carries the tag, so a stale index member never invalidates the wrong entry.
 *
 * <p>Eviction by tag or key is soft (as Varnish's soft purge): the entry is replaced by an {@link
 * L1Entry#invalidated invalidated} copy that is never answered as fresh again but stays until the
 * end of its stale-if-error window as the fallback for a failing origin. Negative entries are
 * removed outright (never served stale).
 */
final class L1Cache {
  private final Cache<String, L1Entry> cache;
  private final ConcurrentHashMap<String, Set<String>> tagIndex = new ConcurrentHashMap<>();
  private final long maxBytes;

  L1Cache(long maxBytes, LongSupplier clock, Consumer<RemovalCause> onEviction) {
    this.maxBytes = maxBytes;
    this.cache =
        Caffeine.newBuilder()
            .maximumWeight(maxBytes)
            .weigher((String k, L1Entry v) -> v.weight)
            .expireAfter(
                new Expiry<String, L1Entry>() {
                  @Override
                  public long expireAfterCreate(String key, L1Entry value, long currentTime) {
                    return Math.max(
                        0, value.response.staleIfErrorUntil() * 1_000_000L - currentTime);
                  }

                  @Override
                  public long expireAfterUpdate(
                      String key, L1Entry value, long currentTime, long currentDuration) {
                    return expireAfterCreate(key, value, currentTime);
                  }

                  @Override
                  public long expireAfterRead(
                      String key, L1Entry value, long currentTime, long currentDuration) {
                    return currentDuration;
                  }
                })
            .ticker(() -> clock.getAsLong() * 1_000_000L)
            .executor(Runnable::run)
            .removalListener(
                (String key, L1Entry value, RemovalCause cause) -> {
                  if (key == null || value == null) return;
                  unindex(key, value);
                  if (cause.wasEvicted()) onEviction.accept(cause);
                })
            .build();
  }

  L1Entry get(String key) {
    return cache.getIfPresent(key);
  }

  /**
   * Stores {@code response} under {@code key}, replacing any entry; returns the stored L1 value, or
   * null for an entry heavier than the whole bound, which is not stored (the key's previous entry
   * is removed) since Caffeine would evict it at once.
   */
  L1Entry put(String key, CachedResponse response) {
    if (L1Entry.weigh(key, response) > maxBytes) {
      // Caffeine would evict it at once (after indexing and listener work): only drop what it
      // replaces
      cache.invalidate(key);
      return null;
    }
    L1Entry e = new L1Entry(key, response);
    // index before the entry becomes visible, so evictTag never misses a live tagged entry
    for (String tag : response.tags()) {
      tagIndex.compute(
          tag,
          (t, set) -> {
            Set<String> s = set != null ? set : ConcurrentHashMap.newKeySet();
            s.add(key);
            return s;
          });
    }
    cache.put(key, e);
    return e;
  }

  /**
   * Stores {@code response} under {@code key} as an invalidated entry (a stale-if-error fallback
   * only), unless the key holds an entry already or the response is negative or heavier than the
   * bound; returns whether it was stored. Not indexed by tag: an invalidated entry is never
   * invalidated again.
   */
  boolean putFallbackIfAbsent(String key, CachedResponse response, long now) {
    if (response.negative() || L1Entry.weigh(key, response) > maxBytes) return false;
    L1Entry e = new L1Entry(key, response.expiredAt(now), true);
    return cache.asMap().putIfAbsent(key, e) == null;
  }

  /**
   * Invalidates the entry of {@code key} (soft eviction, see the class description); returns
   * whether a valid one existed.
   */
  boolean invalidate(String key, long now) {
    boolean[] hit = new boolean[1];
    cache.asMap().computeIfPresent(key, (k, v) -> invalidated(k, v, now, hit));
    return hit[0];
  }

  /** Invalidates every valid entry carrying {@code tag} (soft eviction); returns how many. */
  int evictTag(String tag, long now) {
    Set<String> keys = tagIndex.remove(tag);
    if (keys == null) return 0;
    int removed = 0;
    for (String key : keys) {
      boolean[] hit = new boolean[1];
      cache
          .asMap()
          .computeIfPresent(
              key, (k, v) -> v.response.tags().contains(tag) ? invalidated(k, v, now, hit) : v);
      if (hit[0]) removed++;
    }
    return removed;
  }

  private static L1Entry invalidated(String key, L1Entry v, long now, boolean[] hit) {
    if (v.invalidated) return v;
    hit[0] = true;
    return v.response.negative() ? null : new L1Entry(key, v.response.expiredAt(now), true);
  }

  private void unindex(String key, L1Entry removed) {
    for (String tag : removed.response.tags()) {
      tagIndex.computeIfPresent(
          tag,
          (t, set) -> {
            L1Entry current = cache.policy().getIfPresentQuietly(key);
            if (current == null || !current.response.tags().contains(t)) set.remove(key);
            return set.isEmpty() ? null : set;
          });
    }
  }

  long weightedSize() {
    return cache.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
  }

  long maxBytes() {
    return maxBytes;
  }

  long size() {
    return cache.estimatedSize();
  }

  /** Runs pending maintenance (evictions, expirations) now. */
  void cleanUp() {
    cache.cleanUp();
  }

  /** Number of tags in the index (tests). */
  int indexedTags() {
    return tagIndex.size();
  }
}
