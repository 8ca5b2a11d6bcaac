package dev.tarifa.loadtests;

import dev.tarifa.loadtests.QueryMix.Kind;
import dev.tarifa.loadtests.QueryMix.Query;
import dev.tarifa.shared.pricing.CatalogueSize;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Offline measurement of quote reuse on the load tests' Zipf mix: of the origin calls the gateway's
 * cache makes (one per key it does not hold fresh), what share asks for a comparison the cache
 * already holds fresh under another view. A comparison is what the origin computes before views are
 * applied: a flight route, date and cabin (views: adults, sort, maxStops, limit, offset), a hotel
 * place and stay dates (views: guests, rooms, stars, sort, page), a car station and rental period
 * (views: class, sort, page).
 *
 * <p>The key stream is the one {@code PriceComparisonSimulation} sends: each kind its own constant
 * arrival stream (Gatling's {@code constantUsersPerSec}, evenly spaced) at its share of the rate,
 * queries from {@link QueryMix} with the same seed. The cache model is the gateway's {@code
 * QuoteCache} without capacity bounds (L1 and Redis together, so an L1 eviction that Redis still
 * answers counts as a hit) and without jitter: a key filled at {@code t} is fresh until {@code t +
 * freshTtl} (a hit), then served stale with one refresh until {@code t + freshTtl + swr} (an origin
 * call, not a miss), then missed. Origin latency is taken as zero (no coalescing), which slightly
 * overstates misses of keys asked twice within one origin call.
 *
 * <p>Run: {@code java -cp <load-tests classpath> dev.tarifa.loadtests.QuoteReuse} with {@code
 * -Drates=40,150} (arrivals/s, all kinds), {@code -Dseconds=600}, {@code -DfreshTtl=60} and {@code
 * -Dswr=30} (the gateway's defaults, seconds), {@code -Dttls=60,300,900,1800,3600} (the fresh-TTL
 * sweep), {@code -Dmix=60/25/15}, and the mix's {@code -Dseed -DbaseDate -DcatalogueSize}. Prints
 * Markdown tables.
 */
public final class QuoteReuse {
  /** Counters of one kind of search. */
  public static final class Counts {
    long lookups;
    long hits;
    long stale;
    long misses;
    long missesHeldElsewhere;
    long missesHeldLoose;
    long comparisonOriginCalls;

    public long lookups() {
      return lookups;
    }

    public long hits() {
      return hits;
    }

    public long stale() {
      return stale;
    }

    public long misses() {
      return misses;
    }

    /**
     * Origin calls with the views as keys, as the gateway makes them today: misses plus stale
     * refreshes.
     */
    public long originCalls() {
      return misses + stale;
    }

    /** Misses whose comparison was held fresh under another view. */
    public long missesHeldElsewhere() {
      return missesHeldElsewhere;
    }

    /**
     * Misses whose loose comparison (cars: station and rental days, any hour) was held fresh; else
     * as above.
     */
    public long missesHeldLoose() {
      return missesHeldLoose;
    }

    /**
     * Origin calls if the cache kept one comparison per comparison key and rendered every view from
     * it.
     */
    public long comparisonOriginCalls() {
      return comparisonOriginCalls;
    }

    public double hitRatio() {
      return lookups == 0 ? 0 : (double) hits / lookups;
    }

    public double reuseShare() {
      return misses == 0 ? 0 : (double) missesHeldElsewhere / misses;
    }

    public double looseReuseShare() {
      return misses == 0 ? 0 : (double) missesHeldLoose / misses;
    }

    public double comparisonHitRatio() {
      return lookups == 0 ? 0 : 1 - (double) comparisonOriginCalls / lookups;
    }
  }

  /** Where a key stands in the cache model. */
  private static final class Entry {
    double filledAt;
  }

  private final double freshTtl;
  private final double swr;
  private final Map<String, Entry> views = new HashMap<>();

  /** The latest fill of any view of a comparison: it is held fresh while that fill is. */
  private final Map<String, Double> comparisonFill = new HashMap<>();

  private final Map<String, Double> looseFill = new HashMap<>();

  /** A cache keyed by comparison, for the "cache the comparison once" alternative. */
  private final Map<String, Entry> comparisons = new HashMap<>();

  private final Map<Kind, Counts> counts = new EnumMap<>(Kind.class);

  /** A cache model with the given fresh TTL and stale-while-revalidate window, in seconds. */
  public QuoteReuse(double freshTtlSeconds, double swrSeconds) {
    if (!(freshTtlSeconds > 0)) throw new IllegalArgumentException("freshTtl must be positive");
    if (swrSeconds < 0) throw new IllegalArgumentException("swr must not be negative");
    this.freshTtl = freshTtlSeconds;
    this.swr = swrSeconds;
  }

  /**
   * One lookup at {@code t} seconds (non-decreasing) of the view {@code viewKey} of the comparison
   * {@code comparisonKey}; {@code looseKey} is a coarser comparison (the same as {@code
   * comparisonKey} when there is none).
   */
  public void observe(double t, Kind kind, String viewKey, String comparisonKey, String looseKey) {
    Counts c = counts.computeIfAbsent(kind, k -> new Counts());
    c.lookups++;
    Entry e = views.get(viewKey);
    if (e != null && t < e.filledAt + freshTtl) {
      c.hits++;
    } else if (e != null && t < e.filledAt + freshTtl + swr) {
      c.stale++;
      fill(e, t, comparisonKey, looseKey);
    } else {
      c.misses++;
      // Checked before this view's own fill: a comparison held now is held under another view.
      if (freshAt(comparisonFill.get(comparisonKey), t)) c.missesHeldElsewhere++;
      if (freshAt(looseFill.get(looseKey), t)) c.missesHeldLoose++;
      if (e == null) {
        e = new Entry();
        views.put(viewKey, e);
      }
      fill(e, t, comparisonKey, looseKey);
    }
    // The alternative: one entry per comparison, same policy; a stale refresh is an origin call
    // there too.
    Entry ce = comparisons.get(comparisonKey);
    if (ce == null || t >= ce.filledAt + freshTtl) {
      c.comparisonOriginCalls++;
      if (ce == null) {
        ce = new Entry();
        comparisons.put(comparisonKey, ce);
      }
      ce.filledAt = t;
    }
  }

  private void fill(Entry e, double t, String comparisonKey, String looseKey) {
    e.filledAt = t;
    comparisonFill.put(comparisonKey, t);
    looseFill.put(looseKey, t);
  }

  private boolean freshAt(Double filledAt, double t) {
    return filledAt != null && t < filledAt + freshTtl;
  }

  /**
   * Keys the cache holds at {@code t} (fresh or within stale-while-revalidate), by view and by
   * comparison: what the policy costs in memory (times the answer size) once {@code t} is past a
   * TTL.
   */
  public long[] heldAt(double t) {
    long v = views.values().stream().filter(e -> t < e.filledAt + freshTtl + swr).count();
    long c = comparisons.values().stream().filter(e -> t < e.filledAt + freshTtl).count();
    return new long[] {v, c};
  }

  /** The counters of one kind (empty when it was never observed). */
  public Counts counts(Kind kind) {
    return counts.getOrDefault(kind, new Counts());
  }

  /** All kinds together. */
  public Counts total() {
    Counts t = new Counts();
    for (Counts c : counts.values()) {
      t.lookups += c.lookups;
      t.hits += c.hits;
      t.stale += c.stale;
      t.misses += c.misses;
      t.missesHeldElsewhere += c.missesHeldElsewhere;
      t.missesHeldLoose += c.missesHeldLoose;
      t.comparisonOriginCalls += c.comparisonOriginCalls;
    }
    return t;
  }

  /**
   * The comparison a query's answer is a view of: flights by route, date and cabin; hotels by place
   * and stay dates; cars by station and exact rental period. Parameters the mix never sets are
   * taken at the gateway's defaults.
   */
  public static String comparisonKey(Query q) {
    Map<String, Object> p = q.params();
    return switch (q.kind()) {
      case FLIGHT ->
          "F "
              + p.get("from")
              + "-"
              + p.get("to")
              + " "
              + p.get("date")
              + " "
              + p.getOrDefault("cabin", "economy");
      case HOTEL ->
          "H "
              + p.getOrDefault("near", p.get("city"))
              + " "
              + p.get("checkIn")
              + " "
              + p.get("checkOut");
      case CAR -> "C " + p.get("location") + " " + p.get("pickUp") + " " + p.get("dropOff");
      case TRIP ->
          "T " + p.get("from") + "-" + p.get("to") + " " + p.get("depart") + " " + p.get("return");
    };
  }

  /**
   * Cars: station and rental days whatever the hours (an upper bound: a price by whole days);
   * others as above.
   */
  public static String looseKey(Query q) {
    if (q.kind() != Kind.CAR) return comparisonKey(q);
    Map<String, Object> p = q.params();
    return "C " + p.get("location") + " " + day(p.get("pickUp")) + " " + day(p.get("dropOff"));
  }

  private static String day(Object dateTime) {
    String s = String.valueOf(dateTime);
    int t = s.indexOf('T');
    return t < 0 ? s : s.substring(0, t);
  }

  /**
   * Feeds {@code model} the simulation's key stream: {@code rate} arrivals/s split by {@code
   * shares} (flights/hotels/cars), each kind evenly spaced, for {@code seconds}.
   */
  public static void replay(
      QueryMix mix, double rate, double[] shares, double seconds, List<QuoteReuse> models) {
    Kind[] kinds = {Kind.FLIGHT, Kind.HOTEL, Kind.CAR};
    long[] sent = new long[3];
    while (true) {
      // The n-th arrival of a kind at n / (its rate), computed, not summed: no drift over a long
      // run.
      int k = -1;
      double t = Double.POSITIVE_INFINITY;
      for (int i = 0; i < 3; i++) {
        if (shares[i] <= 0) continue;
        double ti = sent[i] / (rate * shares[i]);
        if (ti < t) {
          t = ti;
          k = i;
        }
      }
      if (k < 0 || t >= seconds) return;
      Query q = mix.next(kinds[k]);
      String view = q.path(), comparison = comparisonKey(q), loose = looseKey(q);
      for (QuoteReuse m : models) m.observe(t, kinds[k], view, comparison, loose);
      sent[k]++;
    }
  }

  public static void main(String[] args) {
    double[] rates = doubles(System.getProperty("rates", "40,150"));
    double seconds = Double.parseDouble(System.getProperty("seconds", "600"));
    double ttl = Double.parseDouble(System.getProperty("freshTtl", "60"));
    double swr = Double.parseDouble(System.getProperty("swr", "30"));
    double[] ttls = doubles(System.getProperty("ttls", "60,300,900,1800,3600"));
    double[] shares = QueryMix.shares(System.getProperty("mix", "60/25/15"));
    long seed = Long.getLong("seed", 42L);
    String base = System.getProperty("baseDate", "");
    LocalDate baseDate = base.isBlank() ? LocalDate.now(ZoneOffset.UTC) : LocalDate.parse(base);
    CatalogueSize size =
        CatalogueSize.valueOf(System.getProperty("catalogueSize", "full").toUpperCase(Locale.ROOT));

    System.out.printf(
        Locale.ROOT,
        "Quote reuse on the Zipf mix (seed %d, base date %s, catalogue %s, mix %s), %s s per rate, fresh TTL %s s, SWR %s s%n%n",
        seed,
        baseDate,
        size,
        System.getProperty("mix", "60/25/15"),
        fmt(seconds),
        fmt(ttl),
        fmt(swr));
    System.out.println(
        "| rate /s | kind | lookups | hit ratio | origin calls | misses | misses whose comparison is held under another view | same, cars by day (any hour) | origin calls with one entry per comparison | hit ratio then |");
    System.out.println("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (double rate : rates) {
      QuoteReuse m = new QuoteReuse(ttl, swr);
      replay(new QueryMix(seed, baseDate, size), rate, shares, seconds, List.of(m));
      for (Kind k : new Kind[] {Kind.FLIGHT, Kind.HOTEL, Kind.CAR})
        System.out.println(row(rate, k.name().toLowerCase(Locale.ROOT), m.counts(k)));
      System.out.println(row(rate, "all", m.total()));
    }
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "Fresh-TTL sweep (SWR %s s; hit ratio with the views as keys / with one entry per comparison)%n%n",
        fmt(swr));
    StringBuilder head = new StringBuilder("| rate /s | kind |");
    StringBuilder rule = new StringBuilder("|---:|---|");
    for (double t : ttls) {
      head.append(" TTL ").append(fmt(t)).append(" s |");
      rule.append("---:|");
    }
    System.out.println(head);
    System.out.println(rule);
    for (double rate : rates) {
      List<QuoteReuse> models = new ArrayList<>();
      for (double t : ttls) models.add(new QuoteReuse(t, swr));
      replay(new QueryMix(seed, baseDate, size), rate, shares, seconds, models);
      for (Kind k : new Kind[] {Kind.FLIGHT, Kind.HOTEL, Kind.CAR, null}) {
        StringBuilder line =
            new StringBuilder(
                "| "
                    + fmt(rate)
                    + " | "
                    + (k == null ? "all" : k.name().toLowerCase(Locale.ROOT))
                    + " |");
        for (QuoteReuse m : models) {
          Counts c = k == null ? m.total() : m.counts(k);
          line.append(
              String.format(
                  Locale.ROOT,
                  " %.1f %% / %.1f %% |",
                  100 * c.hitRatio(),
                  100 * c.comparisonHitRatio()));
        }
        System.out.println(line);
      }
      StringBuilder held =
          new StringBuilder(
              "| " + fmt(rate) + " | keys held at the end, by view / by comparison |");
      for (QuoteReuse m : models) {
        long[] h = m.heldAt(seconds);
        held.append(' ').append(h[0]).append(" / ").append(h[1]).append(" |");
      }
      System.out.println(held);
    }
  }

  private static String row(double rate, String kind, Counts c) {
    return String.format(
        Locale.ROOT,
        "| %s | %s | %d | %.1f %% | %d | %d | %d (%.1f %%) | %d (%.1f %%) | %d | %.1f %% |",
        fmt(rate),
        kind,
        c.lookups(),
        100 * c.hitRatio(),
        c.originCalls(),
        c.misses(),
        c.missesHeldElsewhere(),
        100 * c.reuseShare(),
        c.missesHeldLoose(),
        100 * c.looseReuseShare(),
        c.comparisonOriginCalls(),
        100 * c.comparisonHitRatio());
  }

  private static double[] doubles(String csv) {
    String[] parts = csv.split(",");
    double[] out = new double[parts.length];
    for (int i = 0; i < parts.length; i++) out[i] = Double.parseDouble(parts[i].trim());
    return out;
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }
}
