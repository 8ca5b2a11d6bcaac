package dev.tarifa.gateway.search;

import dev.tarifa.shared.pricing.OfferComparison;
import dev.tarifa.shared.search.TripQuery;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Combines the legs of a trip ({@link TripQuery#legs()}: {@code outbound}, {@code return}, {@code
 * hotel}, {@code car}) into the cheapest bundles.
 *
 * <p>The {@link #PER_LEG} cheapest products of every leg that has results are combined; a bundle is
 * priced as the sum of each part's cheapest offer ({@code total}) and, for the spread, the sum of
 * each part's most expensive offer ({@code mostExpensive}: the same bundle bought from the dearest
 * providers; {@code spread} is the difference). Each part's own price is in {@code prices}. The
 * legs' answers are already priced for the party (flights per adult, hotels per room and night, the
 * car for the days), so the parts are simply added. Money is EUR minor units; a product in another
 * currency is left out. The {@code limit} cheapest bundles are kept, cheapest first (ties keep the
 * legs' own order).
 *
 * <p>A leg that failed (its service down, the breaker open, a timeout, and no stale answer) is
 * named in {@code failedLegs} and the trip is {@code degraded}; a leg with no products (nothing
 * there, e.g. no hotels near the destination, or its service rejected the derived query with a 4xx,
 * whose {@code detail} is reported as {@code problem}) is answered with {@code count: 0} and
 * degrades nothing. Either way the bundles are made of the other legs and name the missing part in
 * {@code missing}.
 */
public final class TripBundles {
  public static final int PER_LEG = 3;
  public static final String CURRENCY = "EUR";

  private TripBundles() {}

  /**
   * One leg's outcome: its parsed answer and X-Cache value, or null when it failed; why a rejected
   * leg has none.
   */
  public record Leg(
      String name, JsonObject answer, String cache, boolean degraded, String problem) {
    public Leg(String name, JsonObject answer, String cache, boolean degraded) {
      this(name, answer, cache, degraded, null);
    }

    /** A leg that failed: no answer. */
    public static Leg failed(String name) {
      return new Leg(name, null, null, true, null);
    }

    /**
     * A leg its service rejected with {@code status} (a 4xx) and a problem body: answered, no
     * results.
     */
    public static Leg rejected(String name, int status, Buffer body) {
      String detail = null;
      try {
        JsonObject problem = body == null || body.length() == 0 ? null : new JsonObject(body);
        if (problem != null) detail = problem.getString("detail", problem.getString("title"));
      } catch (RuntimeException e) {
        detail = null; // not a problem document: the status says enough
      }
      return new Leg(
          name,
          new JsonObject().put("results", new JsonArray()),
          null,
          false,
          detail == null ? name + " answered " + status : detail);
    }
  }

  /** A product of a leg with its cheapest and most expensive price. */
  private record Part(String leg, JsonObject product, long cheapest, long dearest) {}

  public static JsonObject build(TripQuery q, List<Leg> legs) {
    JsonArray failed = new JsonArray();
    JsonObject legInfo = new JsonObject();
    Map<String, List<Part>> cheapest = new LinkedHashMap<>();
    boolean degraded = false;
    for (Leg leg : legs) {
      if (leg.answer() == null) {
        failed.add(leg.name());
        degraded = true;
        legInfo.put(
            leg.name(),
            new JsonObject()
                .put("failed", true)
                .put("count", 0)
                .putNull("cache")
                .put("degraded", true));
        continue;
      }
      degraded |= leg.degraded();
      List<Part> parts = new ArrayList<>();
      JsonArray all = leg.answer().getJsonArray("results", new JsonArray());
      for (Object o : all) {
        if (o instanceof JsonObject r) {
          OfferComparison.read(r, CURRENCY)
              .ifPresent(
                  p ->
                      parts.add(
                          new Part(leg.name(), r, p.cheapest().amount(), p.dearest().amount())));
        }
      }
      parts.sort(Comparator.comparingLong(Part::cheapest));
      JsonObject info =
          new JsonObject()
              .put("failed", false)
              .put("count", all.size())
              .put("cache", leg.cache())
              .put("degraded", leg.degraded());
      if (leg.problem() != null) info.put("problem", leg.problem());
      legInfo.put(leg.name(), info);
      if (!parts.isEmpty())
        cheapest.put(leg.name(), parts.subList(0, Math.min(PER_LEG, parts.size())));
    }
    List<String> missing =
        legs.stream().map(Leg::name).filter(n -> !cheapest.containsKey(n)).toList();
    List<JsonObject> bundles = new ArrayList<>();
    combine(new ArrayList<>(cheapest.values()), 0, new ArrayList<>(), missing, bundles);
    bundles.sort(Comparator.comparingLong(b -> b.getJsonObject("total").getLong("amount")));
    JsonObject query =
        new JsonObject()
            .put("type", q.roundTrip() ? "round-trip" : "one-way")
            .put("from", q.from())
            .put("to", q.to())
            .put("depart", q.depart().toString())
            .put("return", q.roundTrip() ? q.returnDate().toString() : null)
            .put("nights", q.nights())
            .put("adults", q.adults())
            .put("rooms", q.rooms())
            .put("limit", q.limit());
    return new JsonObject()
        .put("query", query)
        .put(
            "bundles",
            new JsonArray(new ArrayList<>(bundles.subList(0, Math.min(q.limit(), bundles.size())))))
        .put("legs", legInfo)
        .put("degraded", degraded)
        .put("failedLegs", failed);
  }

  private static void combine(
      List<List<Part>> legs, int i, List<Part> chosen, List<String> missing, List<JsonObject> out) {
    if (i == legs.size()) {
      if (chosen.isEmpty()) return;
      long total = 0, dearest = 0;
      JsonObject bundle = new JsonObject();
      JsonObject prices = new JsonObject();
      for (Part p : chosen) {
        total += p.cheapest();
        dearest += p.dearest();
        prices.put(p.leg(), money(p.cheapest()));
        JsonObject summary = p.product().copy();
        summary.remove("offers");
        bundle.put(p.leg(), summary);
      }
      out.add(
          new JsonObject()
              .put("total", money(total))
              .put("mostExpensive", money(dearest))
              .put("spread", money(dearest - total))
              .put("prices", prices)
              .mergeIn(bundle)
              .put("missing", new JsonArray(missing)));
      return;
    }
    for (Part p : legs.get(i)) {
      chosen.add(p);
      combine(legs, i + 1, chosen, missing, out);
      chosen.remove(chosen.size() - 1);
    }
  }

  private static JsonObject money(long amount) {
    return new JsonObject().put("amount", amount).put("currency", CURRENCY);
  }
}
