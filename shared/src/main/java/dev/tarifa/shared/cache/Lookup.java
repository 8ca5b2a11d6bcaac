package dev.tarifa.shared.cache;

import java.util.Objects;

/**
 * The answer of {@link QuoteCache#get}: the entry to write as-is and how it was obtained.
 *
 * @param response the entry; its body, content type and ETag are what the client receives
 * @param result how it was obtained (the {@code X-Cache} header is {@code result.header()})
 * @param degraded the origin failed and this is a stale entry served within its stale-if-error
 *     window (then {@code result} is {@link CacheResult#STALE})
 * @param readyNanos {@link System#nanoTime()} when a load made this answer available in this
 *     process (the origin answered, or Redis returned the entry); shared by the load's leader and
 *     every caller that joined it, so {@code nanoTime() - readyNanos} when writing is what waiting
 *     on the load added. 0 for answers that were already in L1.
 */
public record Lookup(
    CachedResponse response, CacheResult result, boolean degraded, long readyNanos) {
  public Lookup {
    Objects.requireNonNull(response, "response");
    Objects.requireNonNull(result, "result");
  }

  /** An answer that was already there (an L1 entry): no load, {@code readyNanos} 0. */
  public Lookup(CachedResponse response, CacheResult result, boolean degraded) {
    this(response, result, degraded, 0);
  }
}
