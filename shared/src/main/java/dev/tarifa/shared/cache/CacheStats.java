package dev.tarifa.shared.cache;

import io.vertx.core.json.JsonObject;

/**
 * A snapshot of one {@link QuoteCache} since it was created, for the admin endpoint. Counters are
 * per instance (the Prometheus meters aggregate the whole process). Ratios are over all lookups and
 * are 0 when there were none.
 *
 * @param l1Entries entries in L1 (estimate)
 * @param l1Bytes weighted size of L1, never above {@code l1MaxBytes} after maintenance
 * @param hitsL1 lookups answered fresh from L1
 * @param hitsL2 lookups answered fresh from Redis
 * @param misses lookups that called the origin themselves (including failed ones)
 * @param stale lookups answered with a stale entry (SWR, or degraded stale-if-error)
 * @param coalesced lookups answered by another lookup's origin call (this process or another
 *     replica)
 * @param originCalls origin calls made (including background refreshes)
 * @param leaseTakeovers leases taken over from a replica that did not fill in time
 * @param l1Evictions L1 entries evicted for size or expiry
 */
public record CacheStats(
    long l1Entries,
    long l1Bytes,
    long l1MaxBytes,
    long hitsL1,
    long hitsL2,
    long misses,
    long stale,
    long coalesced,
    long originCalls,
    long leaseTakeovers,
    long l1Evictions,
    L2Status l2) {

  public long lookups() {
    return hitsL1 + hitsL2 + misses + stale + coalesced;
  }

  /** Share of lookups that did not call the origin themselves. */
  public double hitRatio() {
    long n = lookups();
    return n == 0 ? 0 : (double) (n - misses) / n;
  }

  public double l1HitRatio() {
    long n = lookups();
    return n == 0 ? 0 : (double) hitsL1 / n;
  }

  public double l2HitRatio() {
    long n = lookups();
    return n == 0 ? 0 : (double) hitsL2 / n;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put(
            "l1",
            new JsonObject()
                .put("entries", l1Entries)
                .put("bytes", l1Bytes)
                .put("maxBytes", l1MaxBytes)
                .put("evictions", l1Evictions))
        .put("l2", l2.name().toLowerCase())
        .put(
            "lookups",
            new JsonObject()
                .put("total", lookups())
                .put("hitL1", hitsL1)
                .put("hitL2", hitsL2)
                .put("miss", misses)
                .put("stale", stale)
                .put("coalesced", coalesced))
        .put(
            "ratios",
            new JsonObject().put("hit", hitRatio()).put("l1", l1HitRatio()).put("l2", l2HitRatio()))
        .put("originCalls", originCalls)
        .put("leaseTakeovers", leaseTakeovers);
  }
}
