package dev.tarifa.loadtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tarifa.loadtests.QueryMix.Kind;
import dev.tarifa.loadtests.QueryMix.Query;
import dev.tarifa.loadtests.QuoteReuse.Counts;
import dev.tarifa.shared.pricing.CatalogueSize;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QuoteReuseTest {
  private static final LocalDate BASE = LocalDate.parse("2026-11-21");

  @Test
  void aMissIsCountedAsReusableOnlyWhileAnotherViewOfItsComparisonIsFresh() {
    QuoteReuse m = new QuoteReuse(60, 30);
    m.observe(
        0, Kind.FLIGHT, "FRA-JFK d1 adults=1", "FRA-JFK d1", "FRA-JFK d1"); // miss, nothing held
    m.observe(
        10,
        Kind.FLIGHT,
        "FRA-JFK d1 adults=2",
        "FRA-JFK d1",
        "FRA-JFK d1"); // miss, adults=1 held fresh
    m.observe(20, Kind.FLIGHT, "FRA-JFK d1 adults=1", "FRA-JFK d1", "FRA-JFK d1"); // hit
    m.observe(
        75,
        Kind.FLIGHT,
        "FRA-JFK d1 adults=1",
        "FRA-JFK d1",
        "FRA-JFK d1"); // stale (60..90): a refresh
    m.observe(
        200,
        Kind.FLIGHT,
        "FRA-JFK d1 adults=3",
        "FRA-JFK d1",
        "FRA-JFK d1"); // miss, last fill at 75 expired
    m.observe(
        201,
        Kind.FLIGHT,
        "LHR-JFK d1 adults=1",
        "LHR-JFK d1",
        "LHR-JFK d1"); // miss, another comparison

    Counts c = m.counts(Kind.FLIGHT);
    assertThat(c.lookups()).isEqualTo(6);
    assertThat(c.hits()).isEqualTo(1);
    assertThat(c.stale()).isEqualTo(1);
    assertThat(c.misses()).isEqualTo(4);
    assertThat(c.originCalls()).isEqualTo(5);
    assertThat(c.missesHeldElsewhere()).isEqualTo(1);
    assertThat(c.reuseShare()).isEqualTo(0.25);
    // One entry per comparison: FRA-JFK filled at 0 (fresh for adults=2 and the hit at 20), again
    // at 75 and 200; LHR once.
    assertThat(c.comparisonOriginCalls()).isEqualTo(4);
    assertThat(m.counts(Kind.HOTEL).lookups()).isZero();
    // At 230: FRA-JFK adults=3 (filled at 200) and LHR-JFK (201) are held; adults=1 (75) and
    // adults=2 (10) are not.
    assertThat(m.heldAt(230)).containsExactly(2, 2);
    assertThat(m.heldAt(300)).containsExactly(0, 0);
  }

  @Test
  void theLooseKeyCountsCarsAtTheSameStationAndDaysWhateverTheHour() {
    QuoteReuse m = new QuoteReuse(60, 0);
    m.observe(0, Kind.CAR, "FRA 09:00", "FRA 09:00", "FRA day");
    m.observe(1, Kind.CAR, "FRA 10:00", "FRA 10:00", "FRA day");
    Counts c = m.counts(Kind.CAR);
    assertThat(c.misses()).isEqualTo(2);
    assertThat(c.missesHeldElsewhere()).isZero();
    assertThat(c.missesHeldLoose()).isEqualTo(1);
  }

  @Test
  void comparisonKeysDropTheViewParametersAndKeepWhatTheOriginComputes() {
    QueryMix mix = new QueryMix(9, BASE, CatalogueSize.FULL);
    Query f = mix.flight();
    Map<String, Object> p = f.params();
    assertThat(QuoteReuse.comparisonKey(f))
        .isEqualTo("F " + p.get("from") + "-" + p.get("to") + " " + p.get("date") + " economy")
        .doesNotContain("adults");
    Query h = mix.hotel();
    assertThat(QuoteReuse.comparisonKey(h))
        .isEqualTo(
            "H "
                + h.params().get("near")
                + " "
                + h.params().get("checkIn")
                + " "
                + h.params().get("checkOut"));
    Query car = mix.car();
    String pickUp = (String) car.params().get("pickUp"),
        dropOff = (String) car.params().get("dropOff");
    assertThat(QuoteReuse.comparisonKey(car))
        .isEqualTo("C " + car.params().get("location") + " " + pickUp + " " + dropOff);
    assertThat(QuoteReuse.looseKey(car))
        .isEqualTo(
            "C "
                + car.params().get("location")
                + " "
                + pickUp.substring(0, 10)
                + " "
                + dropOff.substring(0, 10));
    assertThat(QuoteReuse.looseKey(f)).isEqualTo(QuoteReuse.comparisonKey(f));
  }

  @Test
  void onTheMixTheReplayFollowsTheRateAndSharesAndAComparisonCacheNeverCallsTheOriginMore() {
    QuoteReuse m = new QuoteReuse(60, 30);
    QuoteReuse longer = new QuoteReuse(600, 30);
    QuoteReuse.replay(
        new QueryMix(42, BASE, CatalogueSize.FULL),
        100,
        QueryMix.shares("60/25/15"),
        120,
        List.of(m, longer));
    assertThat(m.counts(Kind.FLIGHT).lookups()).isEqualTo(7200);
    assertThat(m.counts(Kind.HOTEL).lookups()).isEqualTo(3000);
    assertThat(m.counts(Kind.CAR).lookups()).isEqualTo(1800);
    for (Kind k : new Kind[] {Kind.FLIGHT, Kind.HOTEL, Kind.CAR}) {
      Counts c = m.counts(k);
      assertThat(c.hits() + c.stale() + c.misses()).isEqualTo(c.lookups());
      assertThat(c.comparisonOriginCalls()).isLessThanOrEqualTo(c.originCalls());
      assertThat(c.missesHeldElsewhere())
          .isLessThanOrEqualTo(c.missesHeldLoose())
          .isLessThanOrEqualTo(c.misses());
      assertThat(longer.counts(k).hitRatio()).isGreaterThanOrEqualTo(c.hitRatio());
    }
    // The mix sets no car view parameter: a car view is its comparison, never held under another
    // view.
    assertThat(m.counts(Kind.CAR).missesHeldElsewhere()).isZero();
    // Flights vary party size (45 % more than one adult) over popular routes: some misses find
    // another party's.
    assertThat(m.counts(Kind.FLIGHT).missesHeldElsewhere()).isPositive();
    assertThat(m.total().lookups()).isEqualTo(12000);
  }

  @Test
  void rejectsANonPositiveTtl() {
    assertThatThrownBy(() -> new QuoteReuse(0, 30)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new QuoteReuse(60, -1)).isInstanceOf(IllegalArgumentException.class);
  }
}
