package dev.tarifa.shared.cache;

import java.util.Objects;

/**
 * The answer of {@link QuoteCache#get}: the entry to write as-is and how it was obtained.
 *
 * @param response the entry; its body, content type and ETag are what the client receives
 * @param result   how it was obtained (the {@code X-Cache} header is {@code result.header()})
 * @param degraded the origin failed and this is a stale entry served within its stale-if-error window
 *                 (then {@code result} is {@link CacheResult#STALE})
 */
public record Lookup(CachedResponse response, CacheResult result, boolean degraded) {
  public Lookup {
    Objects.requireNonNull(response, "response");
    Objects.requireNonNull(result, "result");
  }
}
