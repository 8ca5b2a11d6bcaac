package dev.tarifa.gateway.search;

import dev.tarifa.gateway.domain.TripQuery;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Combines the legs of a trip into the cheapest bundles: the {@link #PER_LEG} cheapest results of every leg that
 * answered, every combination priced (sum of each result's cheapest offer, EUR minor units), the
 * {@link #BUNDLES} cheapest first. A leg that failed is left out of the bundles and named in {@code failedLegs}
 * (then {@code degraded: true}); a leg with no results is left out and reported with {@code count: 0}, as is a leg
 * its service rejected with a 4xx (nothing there, e.g. no hotels near the destination; the problem's
 * {@code detail} is reported as {@code problem}).
 */
public final class TripBundles {
  public static final int PER_LEG = 3;
  public static final int BUNDLES = 5;
  public static final List<String> LEGS = List.of("flights", "hotels", "cars");

  private TripBundles() {}

  /** One leg's outcome: its parsed answer and X-Cache value, or null when it failed; why a rejected leg has none. */
  public record Leg(String name, JsonObject answer, String cache, boolean degraded, String problem) {
    public Leg(String name, JsonObject answer, String cache, boolean degraded) {
      this(name, answer, cache, degraded, null);
    }

    /** A leg its service rejected with {@code status} (a 4xx) and a problem body: answered, no results. */
    public static Leg rejected(String name, int status, Buffer body) {
      String detail = null;
      try {
        JsonObject problem = body == null || body.length() == 0 ? null : new JsonObject(body);
        if (problem != null) detail = problem.getString("detail", problem.getString("title"));
      } catch (RuntimeException e) {
        detail = null; // not a problem document: the status says enough
      }
      return new Leg(name, new JsonObject().put("results", new JsonArray()), null, false,
        detail == null ? name + " answered " + status : detail);
    }
  }

  public static JsonObject build(TripQuery q, List<Leg> legs) {
    JsonArray failed = new JsonArray();
    JsonObject legInfo = new JsonObject();
    Map<String, List<JsonObject>> cheapest = new LinkedHashMap<>();
    boolean degraded = false;
    for (Leg leg : legs) {
      if (leg.answer() == null) {
        failed.add(leg.name());
        degraded = true;
        continue;
      }
      degraded |= leg.degraded();
      List<JsonObject> results = new ArrayList<>();
      JsonArray all = leg.answer().getJsonArray("results", new JsonArray());
      for (Object o : all) if (o instanceof JsonObject r && price(r) >= 0) results.add(r);
      results.sort(Comparator.comparingLong(TripBundles::price));
      JsonObject info = new JsonObject().put("count", all.size()).put("cache", leg.cache()).put("degraded", leg.degraded());
      if (leg.problem() != null) info.put("problem", leg.problem());
      legInfo.put(leg.name(), info);
      if (!results.isEmpty()) cheapest.put(leg.name(), results.subList(0, Math.min(PER_LEG, results.size())));
    }
    List<JsonObject> bundles = new ArrayList<>();
    combine(new ArrayList<>(cheapest.entrySet()), 0, new LinkedHashMap<>(), bundles);
    bundles.sort(Comparator.comparingLong(b -> b.getJsonObject("total").getLong("amount")));
    return new JsonObject()
      .put("query", new JsonObject().put("from", q.from()).put("to", q.to()).put("depart", q.depart().toString())
        .put("return", q.returnDate().toString()).put("adults", q.adults()))
      .put("bundles", new JsonArray(new ArrayList<>(bundles.subList(0, Math.min(BUNDLES, bundles.size())))))
      .put("legs", legInfo)
      .put("degraded", degraded)
      .put("failedLegs", failed);
  }

  private static void combine(List<Map.Entry<String, List<JsonObject>>> legs, int i, Map<String, JsonObject> chosen,
                              List<JsonObject> out) {
    if (i == legs.size()) {
      if (chosen.isEmpty()) return;
      long total = 0;
      JsonObject bundle = new JsonObject();
      for (Map.Entry<String, JsonObject> e : chosen.entrySet()) {
        total += price(e.getValue());
        JsonObject summary = e.getValue().copy();
        summary.remove("offers");
        bundle.put(singular(e.getKey()), summary);
      }
      out.add(new JsonObject().put("total", new JsonObject().put("amount", total).put("currency", "EUR")).mergeIn(bundle));
      return;
    }
    for (JsonObject r : legs.get(i).getValue()) {
      chosen.put(legs.get(i).getKey(), r);
      combine(legs, i + 1, chosen, out);
    }
    chosen.remove(legs.get(i).getKey());
  }

  private static String singular(String leg) {
    return switch (leg) {
      case "flights" -> "flight";
      case "hotels" -> "hotel";
      case "cars" -> "car";
      default -> leg;
    };
  }

  /** The cheapest offer's amount in EUR minor units, or -1 when absent. */
  static long price(JsonObject result) {
    JsonObject cheapest = result.getJsonObject("cheapest");
    JsonObject price = cheapest == null ? null : cheapest.getJsonObject("price");
    Object amount = price == null ? null : price.getValue("amount");
    return amount instanceof Number n ? n.longValue() : -1;
  }
}
