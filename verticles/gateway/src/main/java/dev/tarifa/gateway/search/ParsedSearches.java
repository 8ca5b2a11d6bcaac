package dev.tarifa.gateway.search;

import dev.tarifa.shared.cache.CacheKey;
import dev.tarifa.shared.search.SearchQuery;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers which validated search (and cache key) a raw query string meant, so that the hot path
 * of a repeated search skips query decoding, validation and key building. Popular searches arrive
 * with the same query string over and over (the web page and most clients build it the same way),
 * and parsing is the largest cost of an L1 hit after writing the bytes (docs/PERFORMANCE.md).
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li>only queries that validated are remembered, so a bad query is always re-validated and
 *       answered 400;
 *   <li>an entry is trusted only within the wall-clock minute in which it was validated: validation
 *       depends on the current date (travel dates lie within the {@code Horizon}), and every time
 *       zone in use has whole-minute offsets, so a date boundary always falls between two minutes;
 *   <li>bounded: at most {@code capacity} entries, least recently used dropped first, and none from
 *       an earlier minute (the map is emptied when the minute changes).
 * </ul>
 *
 * Not thread-safe by design: one instance per verticle (event loop), so lookups take no lock.
 */
public final class ParsedSearches {
  private static final long MINUTE = 60_000;

  /** A validated search, its cache key, and the wall-clock minute in which it was validated. */
  public record Parsed(SearchQuery query, CacheKey key, long minute) {}

  private final Map<String, Parsed> entries;

  /** The minute every entry was validated in: a new minute empties the map. */
  private long minute = Long.MIN_VALUE;

  public ParsedSearches(int capacity) {
    if (capacity < 1) throw new IllegalArgumentException("capacity must be positive");
    this.entries =
        new LinkedHashMap<>(Math.min(capacity, 1024) * 2, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Parsed> eldest) {
            return size() > capacity;
          }
        };
  }

  /** The search {@code rawQuery} meant when validated in this minute, or null. */
  public Parsed get(String rawQuery, long nowMillis) {
    if (rawQuery == null) return null;
    startMinute(nowMillis);
    Parsed p = entries.get(rawQuery);
    if (p == null) return null;
    if (p.minute != nowMillis / MINUTE) {
      entries.remove(rawQuery);
      return null;
    }
    return p;
  }

  /**
   * Remembers a query that validated at {@code nowMillis}; returns what to use for this request.
   */
  public Parsed put(String rawQuery, SearchQuery query, long nowMillis) {
    startMinute(nowMillis);
    Parsed p = new Parsed(query, query.key(), nowMillis / MINUTE);
    if (rawQuery != null && rawQuery.length() <= CacheKey.MAX_LENGTH * 4) entries.put(rawQuery, p);
    return p;
  }

  /**
   * Entries of an earlier minute are never answered again: dropped all at once when the minute
   * changes, rather than kept until the LRU bound pushes them out (in a soak of mostly unique
   * queries they filled the whole bound, about 6 MB of dead entries per gateway).
   */
  private void startMinute(long nowMillis) {
    long m = nowMillis / MINUTE;
    if (m != minute) {
      entries.clear();
      minute = m;
    }
  }

  public int size() {
    return entries.size();
  }
}
