package dev.tarifa.shared.cache;

/** How a {@link Lookup} was answered; {@link #header()} is the {@code X-Cache} value. */
public enum CacheResult {
  /** Fresh entry from this process's memory. */
  HIT_L1("HIT-L1", "hit_l1"),
  /** Fresh entry from Redis (now also in L1). */
  HIT_L2("HIT-L2", "hit_l2"),
  /** This lookup called the origin. */
  MISS("MISS", "miss"),
  /**
   * A stale entry: within stale-while-revalidate (a refresh runs), or within stale-if-error when
   * degraded.
   */
  STALE("STALE", "stale"),
  /** Answered by another lookup's origin call, in this process or in another replica. */
  COALESCED("COALESCED", "coalesced");

  private final String header;
  private final String metricTag;

  CacheResult(String header, String metricTag) {
    this.header = header;
    this.metricTag = metricTag;
  }

  /** The {@code X-Cache} header value, for example {@code HIT-L1}. */
  public String header() {
    return header;
  }

  /** The {@code result} label of {@code tarifa_cache_lookups_total}, for example {@code hit_l1}. */
  public String metricTag() {
    return metricTag;
  }
}
