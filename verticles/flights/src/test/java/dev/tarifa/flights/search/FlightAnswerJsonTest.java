package dev.tarifa.flights.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tarifa.flights.domain.Airline;
import dev.tarifa.flights.domain.Airport;
import dev.tarifa.flights.domain.Cabin;
import dev.tarifa.flights.domain.Itineraries;
import dev.tarifa.flights.domain.Itineraries.FareRow;
import dev.tarifa.flights.domain.Itineraries.LegRow;
import dev.tarifa.flights.domain.Itinerary;
import dev.tarifa.flights.domain.Provider;
import dev.tarifa.flights.domain.Reference;
import dev.tarifa.flights.domain.SearchQuery;
import dev.tarifa.shared.events.RatingsConsumer;
import dev.tarifa.shared.pricing.SearchPage;
import dev.tarifa.shared.search.FlightQuery;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The streamed answer body is byte for byte the JSON tree it replaces. */
class FlightAnswerJsonTest {
  private static final LocalDate TODAY = LocalDate.of(2026, 11, 21);
  private static final LocalDate DATE = LocalDate.of(2026, 12, 24);

  private static final Reference REF =
      new Reference(
          Map.of(
              "FRA", airport("FRA", "Frankfurt am Main", 60),
              "JFK", airport("JFK", "John F \"Kennedy\"", -300),
              "GRU", airport("GRU", "São Paulo–Guarulhos", -180)),
          Map.of(
              "LH", new Airline("LH", "Lufthansa", "Germany"),
              "LA", new Airline("LA", "LATAM Airlines\\Brasil", "Brazil")),
          Map.of(
              "LH", new Provider("LH", "Lufthansa direct"),
              "SKYBASKET", new Provider("SKYBASKET", "SkyBasket"),
              "VOYAGO", new Provider("VOYAGO", "Voyago ✈")));

  private static Airport airport(String iata, String name, int offset) {
    return new Airport(iata, name, iata + " City", "X", "XX", 0, 0, offset, "UTC", 1);
  }

  @Test
  void streamedBodyEqualsTheTreeEncoding() {
    FlightQuery q = new FlightQuery("FRA", "JFK", DATE, 2, "economy", 1, "price", 20, 0);
    List<Itinerary> all =
        Itineraries.build(
            new SearchQuery("FRA", "JFK", DATE, 2, Cabin.ECONOMY, 1, SearchQuery.Sort.PRICE, 20, 0),
            TODAY,
            REF,
            List.of(
                List.of(new LegRow(1, "LH", 400, "FRA", "JFK", 540, 1040)),
                List.of(
                    new LegRow(2, "LA", 8071, "FRA", "GRU", 1320, 2040),
                    new LegRow(3, "LA", 8180, "GRU", "JFK", 2160, 2760))),
            Map.of(
                1L, List.of(new FareRow("LH", 50_000), new FareRow("SKYBASKET", 47_000)),
                2L, List.of(new FareRow("VOYAGO", 30_000), new FareRow("SKYBASKET", 31_000)),
                3L, List.of(new FareRow("VOYAGO", 20_000), new FareRow("SKYBASKET", 19_000))));
    assertThat(all).hasSize(2);
    Map<String, JsonObject> ratings = new HashMap<>();
    ratings.put("LH", RatingsConsumer.rating(3, 1234)); // a fractional average, a long count
    ratings.put("LA", RatingsConsumer.rating(0, 0)); // null average
    Set<String> answered = Set.of("VOYAGO", "LH", "SKYBASKET");

    assertThat(FlightAnswerJson.write(q, all, 7, answered, ratings).toString())
        .isEqualTo(tree(q, all, 7, answered, ratings).toBuffer().toString());
    // an airline without a rating entry: "rating": null, as the tree's put(…, null)
    ratings.remove("LA");
    assertThat(FlightAnswerJson.write(q, all, 7, answered, ratings).toString())
        .isEqualTo(tree(q, all, 7, answered, ratings).toBuffer().toString());
    // an empty page
    assertThat(FlightAnswerJson.write(q, List.of(), 0, Set.of(), ratings).toString())
        .isEqualTo(tree(q, List.of(), 0, Set.of(), ratings).toBuffer().toString());
  }

  /** The answer as FlightSearch built it before it was streamed: a tree per itinerary. */
  private static JsonObject tree(
      FlightQuery q,
      List<Itinerary> page,
      int total,
      Set<String> answered,
      Map<String, JsonObject> ratings) {
    List<JsonObject> results = new ArrayList<>();
    for (Itinerary it : page) {
      JsonObject json = it.toJson();
      for (Object o : json.getJsonArray("legs")) {
        JsonObject airline = ((JsonObject) o).getJsonObject("airline");
        airline.put("rating", ratings.get(airline.getString("code")));
      }
      results.add(json);
    }
    return SearchPage.envelope(q.toJson(), results, total, q.limit(), q.offset(), answered);
  }
}
