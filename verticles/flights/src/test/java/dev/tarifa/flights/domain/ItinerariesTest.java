package dev.tarifa.flights.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tarifa.flights.domain.Itineraries.FareRow;
import dev.tarifa.flights.domain.Itineraries.LegRow;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ItinerariesTest {
  private static final LocalDate TODAY = LocalDate.of(2026, 11, 21);
  private static final LocalDate DATE =
      LocalDate.of(2026, 12, 24); // Thursday, 33 days ahead: factors 1.0 x 1.0

  private static final Reference REF =
      new Reference(
          Map.of("FRA", airport("FRA", 60), "JFK", airport("JFK", -300), "LHR", airport("LHR", 0)),
          Map.of(
              "LH",
              new Airline("LH", "Lufthansa", "Germany"),
              "BA",
              new Airline("BA", "British Airways", "UK")),
          Map.of(
              "LH",
              new Provider("LH", "Lufthansa direct"),
              "BA",
              new Provider("BA", "British Airways direct"),
              "SKYBASKET",
              new Provider("SKYBASKET", "SkyBasket"),
              "VOYAGO",
              new Provider("VOYAGO", "Voyago")));

  private static Airport airport(String iata, int offset) {
    return new Airport(iata, iata + " Airport", iata + " City", "X", "XX", 0, 0, offset, "UTC", 1);
  }

  private static SearchQuery query(SearchQuery.Sort sort) {
    return new SearchQuery("FRA", "JFK", DATE, 1, Cabin.ECONOMY, 1, sort, 20, 0);
  }

  @Test
  void offersAreSortedAndSpreadIsMaxMinusMin() {
    LegRow lh400 = new LegRow(1, "LH", 400, "FRA", "JFK", 600 - 60, 600 - 60 + 500);
    var result =
        Itineraries.build(
            query(SearchQuery.Sort.PRICE),
            TODAY,
            REF,
            List.of(List.of(lh400)),
            Map.of(
                1L,
                List.of(
                    new FareRow("LH", 50_000),
                    new FareRow("SKYBASKET", 47_000),
                    new FareRow("VOYAGO", 52_500))));
    assertThat(result).hasSize(1);
    Itinerary it = result.get(0);
    assertThat(it.offers().offers())
        .extracting(o -> o.providerCode())
        .containsExactly("SKYBASKET", "LH", "VOYAGO");
    assertThat(it.cheapest().price().amount()).isEqualTo(47_000);
    assertThat(it.offers().spread().amount()).isEqualTo(5_500);
    assertThat(it.id()).isEqualTo("LH400@2026-12-24T10:00");
    // 10:00 local in Frankfurt (09:00 UTC) + 500 min = 17:20 UTC = 12:20 local in New York
    assertThat(it.legs().get(0).arrival().toString()).isEqualTo("2026-12-24T12:20");
  }

  @Test
  void eachItineraryOnceAndCheapestFirst() {
    LegRow a = new LegRow(1, "LH", 400, "FRA", "JFK", 540, 1040);
    LegRow b = new LegRow(2, "LH", 402, "FRA", "JFK", 700, 1200);
    var result =
        Itineraries.build(
            query(SearchQuery.Sort.PRICE),
            TODAY,
            REF,
            List.of(List.of(a), List.of(b), List.of(a)),
            Map.of(1L, List.of(new FareRow("LH", 60_000)), 2L, List.of(new FareRow("LH", 40_000))));
    assertThat(result)
        .extracting(Itinerary::id)
        .containsExactly("LH402@2026-12-24T12:40", "LH400@2026-12-24T10:00");

    var byDeparture =
        Itineraries.build(
            query(SearchQuery.Sort.DEPARTURE),
            TODAY,
            REF,
            List.of(List.of(a), List.of(b)),
            Map.of(1L, List.of(new FareRow("LH", 60_000)), 2L, List.of(new FareRow("LH", 40_000))));
    assertThat(byDeparture)
        .extracting(Itinerary::id)
        .containsExactly("LH400@2026-12-24T10:00", "LH402@2026-12-24T12:40");
  }

  @Test
  void oneStopOffersOnlyFromProvidersSellingBothLegs() {
    LegRow leg1 = new LegRow(1, "LH", 900, "FRA", "LHR", 420, 520);
    LegRow leg2 = new LegRow(2, "BA", 117, "LHR", "JFK", 640, 1100);
    var result =
        Itineraries.build(
            query(SearchQuery.Sort.PRICE),
            TODAY,
            REF,
            List.of(List.of(leg1, leg2)),
            Map.of(
                1L,
                List.of(
                    new FareRow("LH", 10_000),
                    new FareRow("SKYBASKET", 9_000),
                    new FareRow("VOYAGO", 9_500)),
                2L,
                List.of(
                    new FareRow("BA", 40_000),
                    new FareRow("SKYBASKET", 41_000),
                    new FareRow("VOYAGO", 39_000))));
    Itinerary it = result.get(0);
    assertThat(it.offers().offers())
        .extracting(o -> o.providerCode() + "=" + o.price().amount())
        .containsExactly("VOYAGO=48500", "SKYBASKET=50000");
    assertThat(it.duration()).isEqualTo(1100 - 420);
    assertThat(it.toJson().getInteger("layoverMinutes")).isEqualTo(120);
    assertThat(it.toJson().getInteger("stops")).isEqualTo(1);
  }

  @Test
  void itineraryWithoutCommonProviderIsDropped() {
    LegRow leg1 = new LegRow(1, "LH", 900, "FRA", "LHR", 420, 520);
    LegRow leg2 = new LegRow(2, "BA", 117, "LHR", "JFK", 640, 1100);
    var result =
        Itineraries.build(
            query(SearchQuery.Sort.PRICE),
            TODAY,
            REF,
            List.of(List.of(leg1, leg2)),
            Map.of(1L, List.of(new FareRow("LH", 10_000)), 2L, List.of(new FareRow("BA", 40_000))));
    assertThat(result).isEmpty();
  }

  @Test
  void secondLegIsPricedOnItsOwnDate() {
    // Leg 2 leaves on Friday 25 Dec (x1.10): 23:00 UTC + 5 h layover = 04:00 UTC next day.
    LegRow leg1 = new LegRow(1, "LH", 900, "FRA", "LHR", 1260, 1380);
    LegRow leg2 = new LegRow(2, "LH", 117, "LHR", "JFK", 1680, 2160);
    var result =
        Itineraries.build(
            query(SearchQuery.Sort.PRICE),
            TODAY,
            REF,
            List.of(List.of(leg1, leg2)),
            Map.of(1L, List.of(new FareRow("LH", 10_000)), 2L, List.of(new FareRow("LH", 20_000))));
    assertThat(result.get(0).legs().get(1).departure().toString()).isEqualTo("2026-12-25T04:00");
    assertThat(result.get(0).cheapest().price().amount()).isEqualTo(10_000 + 22_000);
  }
}
