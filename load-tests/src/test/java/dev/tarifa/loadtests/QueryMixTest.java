package dev.tarifa.loadtests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tarifa.loadtests.QueryMix.Kind;
import dev.tarifa.loadtests.QueryMix.Query;
import dev.tarifa.shared.pricing.CatalogueSize;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryMixTest {
  private static final LocalDate BASE = LocalDate.parse("2026-11-21");

  @Test
  void theSameSeedGivesTheSameSequenceAndAnotherSeedAnother() {
    List<String> a = sample(new QueryMix(7, BASE, CatalogueSize.FULL), 500);
    List<String> b = sample(new QueryMix(7, BASE, CatalogueSize.FULL), 500);
    List<String> c = sample(new QueryMix(8, BASE, CatalogueSize.FULL), 500);
    assertThat(a).isEqualTo(b);
    assertThat(a).isNotEqualTo(c);
  }

  @Test
  void theTopTenAirportsGetAFarLargerShareThanTheMedianAirport() {
    QueryMix mix = new QueryMix(1, BASE, CatalogueSize.FULL);
    Map<String, Integer> origins = new HashMap<>();
    int n = 200_000;
    for (int i = 0; i < n; i++)
      origins.merge((String) mix.flight().params().get("from"), 1, Integer::sum);
    List<String> ranked = mix.airportsByRank();
    assertThat(ranked.size()).isGreaterThan(100);
    double top10 =
        ranked.subList(0, 10).stream().mapToInt(k -> origins.getOrDefault(k, 0)).sum() / (double) n;
    double median = origins.getOrDefault(ranked.get(ranked.size() / 2), 0) / (double) n;
    // Zipf s=1 over ~400 airports: the top ten hold ~45 % of origins; one median airport well under
    // 1 %.
    assertThat(top10).isBetween(0.30, 0.65);
    assertThat(median).isLessThan(0.01);
    assertThat(top10 / 10)
        .as("average top-10 airport vs median airport")
        .isGreaterThan(20 * median);
  }

  @Test
  void flightsAndTripsAskOnlyForRealRoutes() {
    QueryMix mix = new QueryMix(3, BASE, CatalogueSize.FULL);
    for (int i = 0; i < 20_000; i++) {
      Query q = i % 2 == 0 ? mix.flight() : mix.trip();
      String pair = q.params().get("from") + "-" + q.params().get("to");
      assertThat(mix.routes()).contains(pair);
    }
    assertThat(mix.routes()).contains("FRA-JFK", "LHR-JFK").doesNotContain("FRA-FRA");
  }

  @Test
  void datesFavourTheNearTermWithinTheHorizonAndPartiesAreMostlySmall() {
    QueryMix mix = new QueryMix(4, BASE, CatalogueSize.FULL);
    int near = 0, n = 20_000, smallParty = 0;
    for (int i = 0; i < n; i++) {
      Query q = mix.flight();
      LocalDate d = LocalDate.parse((String) q.params().get("date"));
      assertThat(d).isAfter(BASE).isBeforeOrEqualTo(BASE.plusDays(QueryMix.DEFAULT_HORIZON_DAYS));
      if (!d.isAfter(BASE.plusDays(30))) near++;
      if ((int) q.params().get("adults") <= 2) smallParty++;
    }
    assertThat(near / (double) n).as("share within 30 days").isBetween(0.55, 0.75);
    assertThat(smallParty / (double) n).isBetween(0.85, 0.95);
  }

  @Test
  void hotelsAndCarsAreAtCatalogueAirportsAndTheSmallCatalogueIsASubset() {
    QueryMix small = new QueryMix(5, BASE, CatalogueSize.SMALL);
    QueryMix full = new QueryMix(5, BASE, CatalogueSize.FULL);
    assertThat(full.airportsByRank()).containsAll(small.airportsByRank());
    assertThat(small.airportsByRank()).hasSize(40);
    assertThat(full.placeAirports()).containsAll(small.placeAirports());
    assertThat(small.placeAirports().size()).isLessThan(full.placeAirports().size());
    for (int i = 0; i < 2_000; i++) {
      Query h = small.hotel(), c = small.car();
      assertThat(small.placeAirports())
          .contains((String) h.params().get("near"), (String) c.params().get("location"));
      assertThat(LocalDate.parse((String) h.params().get("checkOut")))
          .isAfter(LocalDate.parse((String) h.params().get("checkIn")));
      assertThat(LocalDateTime.parse((String) c.params().get("dropOff")))
          .isAfter(LocalDateTime.parse((String) c.params().get("pickUp")));
      assertThat(h.path()).startsWith("/api/v1/hotels/search?near=");
      assertThat(c.path()).startsWith("/api/v1/cars/search?location=");
    }
    assertThat(full.feeder(Kind.FLIGHT).next())
        .containsKeys("path", "kind", "from", "to", "date", "adults");
  }

  private static List<String> sample(QueryMix mix, int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add(mix.next(Kind.values()[i % 4]).path());
    return out;
  }
}
