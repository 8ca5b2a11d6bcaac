package dev.tarifa.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tarifa.gateway.search.TripBundles;
import dev.tarifa.shared.search.TripQuery;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pricing arithmetic of trip bundles: totals, each part's price, the spread at the dearest
 * providers.
 */
class TripBundlesTest {
  static final LocalDate DEPART = LocalDate.of(2030, 5, 10);
  static final TripQuery ROUND =
      new TripQuery("FRA", "JFK", DEPART, DEPART.plusDays(3), 3, 2, 1, 5);

  /**
   * A product with offers at these amounts (any order): cheapest and spread as the services write
   * them.
   */
  static JsonObject product(String id, long... amounts) {
    JsonArray offers = new JsonArray();
    long min = Long.MAX_VALUE, max = 0;
    for (int i = 0; i < amounts.length; i++) {
      offers.add(offer("p" + i, amounts[i], "EUR"));
      min = Math.min(min, amounts[i]);
      max = Math.max(max, amounts[i]);
    }
    long cheapest = min;
    JsonObject best =
        offers.stream()
            .map(o -> (JsonObject) o)
            .filter(o -> o.getJsonObject("price").getLong("amount") == cheapest)
            .findFirst()
            .orElseThrow();
    return new JsonObject()
        .put("id", id)
        .put("offers", offers)
        .put("cheapest", best)
        .put("spread", new JsonObject().put("amount", max - min).put("currency", "EUR"));
  }

  static JsonObject offer(String provider, long amount, String currency) {
    return new JsonObject()
        .put("provider", new JsonObject().put("code", provider))
        .put("price", new JsonObject().put("amount", amount).put("currency", currency));
  }

  static TripBundles.Leg leg(String name, JsonObject... products) {
    return new TripBundles.Leg(
        name,
        new JsonObject().put("results", new JsonArray(List.of((Object[]) products))),
        "MISS",
        false);
  }

  @Test
  void totalIsTheSumOfTheCheapestOffersAndTheSpreadTheDearest() {
    JsonObject trip =
        TripBundles.build(
            ROUND,
            List.of(
                leg("outbound", product("o1", 30_000, 34_500, 31_000)),
                leg("return", product("r1", 28_000, 28_000)),
                leg("hotel", product("h1", 45_000, 52_000)),
                leg("car", product("c1", 12_345))));
    JsonObject b = trip.getJsonArray("bundles").getJsonObject(0);
    assertThat(b.getJsonObject("total"))
        .isEqualTo(
            new JsonObject()
                .put("amount", 30_000 + 28_000 + 45_000 + 12_345L)
                .put("currency", "EUR"));
    assertThat(b.getJsonObject("mostExpensive").getLong("amount"))
        .isEqualTo(34_500 + 28_000 + 52_000 + 12_345L);
    assertThat(b.getJsonObject("spread").getLong("amount")).isEqualTo(4_500 + 7_000L);
    assertThat(b.getJsonObject("prices").getJsonObject("outbound").getLong("amount"))
        .isEqualTo(30_000);
    assertThat(b.getJsonObject("prices").getJsonObject("car").getLong("amount")).isEqualTo(12_345);
    assertThat(b.getJsonObject("hotel").getString("id")).isEqualTo("h1");
    assertThat(
            b.getJsonObject("hotel")
                .getJsonObject("cheapest")
                .getJsonObject("price")
                .getLong("amount"))
        .isEqualTo(45_000);
  }

  @Test
  void cheapestBundlesFirstFromTheThreeCheapestOfEachLegUpToTheLimit() {
    TripQuery q = new TripQuery("FRA", "JFK", DEPART, DEPART.plusDays(3), 3, 2, 1, 20);
    JsonObject trip =
        TripBundles.build(
            q,
            List.of(
                leg(
                    "outbound",
                    product("o4", 400),
                    product("o1", 100),
                    product("o3", 300),
                    product("o2", 200)),
                leg("hotel", product("h2", 20), product("h1", 10))));
    JsonArray bundles = trip.getJsonArray("bundles");
    // o4 (the dearest of four) is not among the three considered: 3 × 2 bundles
    assertThat(bundles).hasSize(6);
    assertThat(
            bundles.stream()
                .map(o -> ((JsonObject) o).getJsonObject("total").getLong("amount"))
                .toList())
        .containsExactly(110L, 120L, 210L, 220L, 310L, 320L);
    assertThat(bundles.getJsonObject(0).getJsonObject("outbound").getString("id")).isEqualTo("o1");
    assertThat(bundles.getJsonObject(0).getJsonObject("hotel").getString("id")).isEqualTo("h1");

    TripQuery two = new TripQuery("FRA", "JFK", DEPART, DEPART.plusDays(3), 3, 2, 1, 2);
    assertThat(
            TripBundles.build(
                    two,
                    List.of(
                        leg(
                            "outbound",
                            product("o1", 100),
                            product("o2", 200),
                            product("o3", 300))))
                .getJsonArray("bundles"))
        .hasSize(2);
  }

  @Test
  void productsInAnotherCurrencyOrWithoutPriceAreLeftOut() {
    JsonObject usd = new JsonObject().put("id", "usd").put("cheapest", offer("p", 1, "USD"));
    JsonObject none = new JsonObject().put("id", "none");
    JsonObject trip =
        TripBundles.build(ROUND, List.of(leg("outbound", usd, none, product("eur", 500))));
    JsonArray bundles = trip.getJsonArray("bundles");
    assertThat(bundles).hasSize(1);
    assertThat(bundles.getJsonObject(0).getJsonObject("outbound").getString("id")).isEqualTo("eur");
    assertThat(trip.getJsonObject("legs").getJsonObject("outbound").getInteger("count"))
        .isEqualTo(3);
  }

  @Test
  void noBundleWhenNoLegHasProducts() {
    JsonObject trip =
        TripBundles.build(
            ROUND,
            List.of(
                TripBundles.Leg.failed("outbound"),
                leg("return"),
                TripBundles.Leg.rejected("hotel", 400, null),
                leg("car")));
    assertThat(trip.getJsonArray("bundles")).isEmpty();
    assertThat(trip.getJsonArray("failedLegs").getList()).containsExactly("outbound");
    assertThat(trip.getJsonObject("legs").getJsonObject("hotel").getString("problem"))
        .isEqualTo("hotel answered 400");
  }
}
