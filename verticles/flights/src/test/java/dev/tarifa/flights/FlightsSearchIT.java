package dev.tarifa.flights;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tarifa.flights.store.CatalogueSeeder;
import dev.tarifa.flights.store.FlightStore;
import dev.tarifa.shared.db.Postgres;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Search, lookups and seeding against the real PostgreSQL with the small catalogue. */
@ExtendWith(VertxExtension.class)
class FlightsSearchIT {
  private static FlightsTestApp app;
  private static WebClient client;
  private static Pool pool;
  private static final String DATE = LocalDate.now(ZoneOffset.UTC).plusDays(30).toString();

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    app = FlightsTestApp.start(vertx, "flights_search_it");
    client = WebClient.create(vertx);
    pool = Postgres.pool(vertx, app.config.offer().service().pgUrl(), 2);
  }

  @AfterAll
  static void stop() throws Exception {
    if (client != null) client.close();
    if (pool != null) pool.close().await(5, TimeUnit.SECONDS);
  }

  private static HttpResponse<Buffer> get(String uri) throws Exception {
    return client.get(app.port, "127.0.0.1", uri).send().await(20, TimeUnit.SECONDS);
  }

  private static JsonObject search(String query) throws Exception {
    HttpResponse<Buffer> r = get("/api/v1/flights/search?" + query);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject();
  }

  private static List<JsonObject> results(JsonObject body) {
    List<JsonObject> out = new ArrayList<>();
    body.getJsonArray("results").forEach(o -> out.add((JsonObject) o));
    return out;
  }

  @Test
  void reviewEventsShowAsAirlineRatingsOnLegsOnceEach(Vertx vertx) throws Exception {
    HttpResponse<Buffer> before =
        get("/api/v1/flights/search?from=FRA&to=JFK&date=" + DATE + "&limit=5");
    String airline =
        before
            .bodyAsJsonObject()
            .getJsonArray("results")
            .getJsonObject(0)
            .getJsonArray("legs")
            .getJsonObject(0)
            .getJsonObject("airline")
            .getString("code");
    assertThat(before.getHeader("X-Cache-Tags").split(" ")).contains("airline:" + airline);
    dev.tarifa.shared.events.DomainEvent review =
        dev.tarifa.shared.events.DomainEvent.of(
            "reviews.review.created",
            List.of("airline:" + airline),
            new JsonObject()
                .put("reviewId", "r-flights-it")
                .put("authorId", "u1")
                .put("subject", "airline:" + airline)
                .put("rating", 2));
    var bus =
        new dev.tarifa.shared.events.EventBusTransport(
            vertx, dev.tarifa.shared.events.EventsConfig.defaults());
    // The same event, re-sent until it shows (the consumer may still be subscribing): applied once
    // all the same.
    JsonObject rating = null;
    for (int i = 0; i < 100 && (rating == null || rating.getInteger("count") == 0); i++) {
      bus.publish(review).await(5, TimeUnit.SECONDS);
      Thread.sleep(100);
      rating = get("/api/v1/airlines/" + airline).bodyAsJsonObject().getJsonObject("rating");
    }
    assertThat(rating).isEqualTo(new JsonObject().put("average", 2.0).put("count", 1));
    bus.publish(review).await(5, TimeUnit.SECONDS);
    Thread.sleep(300);
    var row =
        pool.preparedQuery("SELECT count, sum FROM airline_ratings WHERE airline = $1")
            .execute(io.vertx.sqlclient.Tuple.of(airline))
            .await(5, TimeUnit.SECONDS)
            .iterator()
            .next();
    assertThat(row.getLong(0)).isEqualTo(1);
    assertThat(row.getLong(1)).isEqualTo(2);
    for (JsonObject it : results(search("from=FRA&to=JFK&date=" + DATE + "&limit=5"))) {
      for (Object o : it.getJsonArray("legs")) {
        JsonObject a = ((JsonObject) o).getJsonObject("airline");
        assertThat(a.getJsonObject("rating"))
            .isEqualTo(
                a.getString("code").equals(airline)
                    ? rating
                    : new JsonObject().putNull("average").put("count", 0));
      }
    }
    assertThat(
            pool.preparedQuery("SELECT tags FROM outbox WHERE payload->>'reviewEvent' = $1")
                .execute(io.vertx.sqlclient.Tuple.of(review.id().toString()))
                .await(5, TimeUnit.SECONDS)
                .iterator()
                .next()
                .getArrayOfStrings(0))
        .containsExactly("airline:" + airline);
  }

  @Test
  void cheapestFirstWithSortedOffersAndSpread() throws Exception {
    JsonObject body = search("from=fra&to=JFK&date=" + DATE + "&limit=50");
    assertThat(body.getJsonObject("query").getString("from")).isEqualTo("FRA");
    assertThat(body.getJsonObject("query").getString("cabin")).isEqualTo("economy");
    List<JsonObject> results = results(body);
    assertThat(results).isNotEmpty();
    long previous = Long.MIN_VALUE;
    Set<String> providers = new HashSet<>();
    for (JsonObject it : results) {
      JsonArray offers = it.getJsonArray("offers");
      assertThat(offers.size()).isGreaterThanOrEqualTo(1);
      long cheapest = it.getJsonObject("cheapest").getJsonObject("price").getLong("amount");
      assertThat(cheapest).isGreaterThanOrEqualTo(previous);
      previous = cheapest;
      long last = Long.MIN_VALUE;
      for (Object o : offers) {
        JsonObject offer = (JsonObject) o;
        long amount = offer.getJsonObject("price").getLong("amount");
        assertThat(amount).isGreaterThanOrEqualTo(last);
        assertThat(offer.getJsonObject("price").getString("currency")).isEqualTo("EUR");
        last = amount;
        providers.add(offer.getJsonObject("provider").getString("code"));
      }
      assertThat(it.getJsonObject("cheapest")).isEqualTo(offers.getJsonObject(0));
      assertThat(it.getJsonObject("spread").getLong("amount")).isEqualTo(last - cheapest);
    }
    assertThat(body.getJsonObject("providers").getJsonArray("answered").getList())
        .containsAll(providers);
    assertThat(body.getInteger("total")).isGreaterThanOrEqualTo(results.size());
  }

  @Test
  void eachItineraryOnceAndNonstopsAreComplete() throws Exception {
    JsonObject body = search("from=FRA&to=JFK&date=" + DATE + "&maxStops=0&limit=50");
    List<JsonObject> results = results(body);
    Set<String> ids = new HashSet<>();
    for (JsonObject it : results) {
      assertThat(ids.add(it.getString("id"))).as("duplicate " + it.getString("id")).isTrue();
      assertThat(it.getInteger("stops")).isZero();
    }
    // Every flight on the route that operates that weekday appears, exactly once.
    int day = FlightStore.dayBit(LocalDate.parse(DATE));
    long expected =
        pool.preparedQuery(
                "SELECT count(*) FROM flights WHERE origin = 'FRA' AND destination = 'JFK' AND (days & $1) <> 0")
            .execute(io.vertx.sqlclient.Tuple.of(day))
            .await(5, TimeUnit.SECONDS)
            .iterator()
            .next()
            .getLong(0);
    assertThat((long) results.size()).isEqualTo(expected).isPositive();
  }

  @Test
  void oneStopItinerariesRespectTheLayoverBounds() throws Exception {
    JsonObject body = search("from=PMI&to=PEK&date=" + DATE + "&limit=50&sort=duration");
    List<JsonObject> oneStops =
        results(body).stream().filter(it -> it.getInteger("stops") == 1).toList();
    assertThat(oneStops).isNotEmpty();
    for (JsonObject it : oneStops) {
      JsonObject leg1 = it.getJsonArray("legs").getJsonObject(0),
          leg2 = it.getJsonArray("legs").getJsonObject(1);
      assertThat(leg1.getJsonObject("from").getString("iata")).isEqualTo("PMI");
      assertThat(leg2.getJsonObject("to").getString("iata")).isEqualTo("PEK");
      assertThat(leg1.getJsonObject("to").getString("iata"))
          .isEqualTo(leg2.getJsonObject("from").getString("iata"));
      assertThat(leg1.getString("departure")).startsWith(DATE);
      // Both times are local at the hub, so the layover is their difference.
      long layover =
          Duration.between(
                  LocalDateTime.parse(leg1.getString("arrival")),
                  LocalDateTime.parse(leg2.getString("departure")))
              .toMinutes();
      assertThat(layover)
          .isBetween(45L, 360L)
          .isEqualTo(it.getInteger("layoverMinutes").longValue());
    }
    HttpResponse<Buffer> r =
        get("/api/v1/flights/search?from=PMI&to=PEK&date=" + DATE + "&limit=50");
    // The searched pair, then the airlines this page shows (their ratings are on it): no tag per
    // leg (an admin change of a leg names the pairs whose one-stop itineraries can contain it
    // instead, FlightsAdminIT), none for airlines only on other pages.
    assertThat(pageTags(r)).isEqualTo(expectedTags(r, "flights:PMI-PEK"));
    HttpResponse<Buffer> first =
        get("/api/v1/flights/search?from=PMI&to=PEK&date=" + DATE + "&limit=1");
    assertThat(pageTags(first)).isEqualTo(expectedTags(first, "flights:PMI-PEK"));
    assertThat(pageTags(first).size()).isLessThan(pageTags(r).size());
  }

  private static List<String> pageTags(HttpResponse<Buffer> r) {
    return List.of(r.getHeader("X-Cache-Tags").split(" "));
  }

  /** The pair's tag, then airline:XX for every airline on the page's legs, in order. */
  private static List<String> expectedTags(HttpResponse<Buffer> r, String pair) {
    java.util.TreeSet<String> airlines = new java.util.TreeSet<>();
    for (Object it : r.bodyAsJsonObject().getJsonArray("results"))
      for (Object l : ((JsonObject) it).getJsonArray("legs"))
        airlines.add("airline:" + ((JsonObject) l).getJsonObject("airline").getString("code"));
    List<String> out = new java.util.ArrayList<>(List.of(pair));
    out.addAll(airlines);
    return out;
  }

  @Test
  void sameQueryGivesTheSameAnswer() throws Exception {
    String q = "from=LHR&to=CDG&date=" + DATE + "&adults=2&cabin=economy";
    assertThat(search(q).getJsonArray("results")).isEqualTo(search(q).getJsonArray("results"));
  }

  @Test
  void adultsMultiplyThePrice() throws Exception {
    JsonObject one =
        results(search("from=LHR&to=CDG&date=" + DATE + "&maxStops=0&sort=departure")).get(0);
    JsonObject three =
        results(search("from=LHR&to=CDG&date=" + DATE + "&maxStops=0&sort=departure&adults=3"))
            .get(0);
    assertThat(three.getString("id")).isEqualTo(one.getString("id"));
    assertThat(three.getJsonObject("cheapest").getJsonObject("price").getLong("amount"))
        .isEqualTo(3 * one.getJsonObject("cheapest").getJsonObject("price").getLong("amount"));
  }

  @Test
  void sortByDepartureAndPaging() throws Exception {
    List<JsonObject> all =
        results(search("from=LHR&to=JFK&date=" + DATE + "&sort=departure&limit=50"));
    for (int i = 1; i < all.size(); i++) {
      assertThat(all.get(i).getString("departure"))
          .isGreaterThanOrEqualTo(all.get(i - 1).getString("departure"));
    }
    assertThat(all.size()).isGreaterThan(3);
    List<JsonObject> page =
        results(search("from=LHR&to=JFK&date=" + DATE + "&sort=departure&limit=2&offset=2"));
    assertThat(page)
        .extracting(j -> j.getString("id"))
        .containsExactly(all.get(2).getString("id"), all.get(3).getString("id"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "to=JFK&date=+D|from",
        "from=FRAX&to=JFK&date=+D|from",
        "from=XXX&to=JFK&date=+D|from",
        "from=FRA&to=ZZZ&date=+D|to",
        "from=FRA&to=FRA&date=+D|to",
        "from=FRA&to=JFK|date",
        "from=FRA&to=JFK&date=2026-13-01|date",
        "from=FRA&to=JFK&date=2020-01-01|date",
        "from=FRA&to=JFK&date=2099-01-01|date",
        "from=FRA&to=JFK&date=+D&adults=0|adults",
        "from=FRA&to=JFK&date=+D&adults=10|adults",
        "from=FRA&to=JFK&date=+D&adults=two|adults",
        "from=FRA&to=JFK&date=+D&cabin=cargo|cabin",
        "from=FRA&to=JFK&date=+D&maxStops=2|maxStops",
        "from=FRA&to=JFK&date=+D&sort=cheap|sort",
        "from=FRA&to=JFK&date=+D&limit=0|limit",
        "from=FRA&to=JFK&date=+D&limit=51|limit",
        "from=FRA&to=JFK&date=+D&offset=-1|offset",
        "from=FRA&to=JFK&date=+D&offset=1001|offset",
        "from=FRA&to=JFK&date=+D&offset=99999999999999999999|offset",
      })
  void invalidInputIsA400NamingTheParameter(String query, String parameter) throws Exception {
    HttpResponse<Buffer> r = get("/api/v1/flights/search?" + query.replace("+D", DATE));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(400);
    assertThat(r.getHeader("Content-Type")).startsWith("application/problem+json");
    assertThat(r.bodyAsJsonObject().getString("parameter")).isEqualTo(parameter);
  }

  @Test
  void overlongParameterIsA400() throws Exception {
    HttpResponse<Buffer> r =
        get("/api/v1/flights/search?from=FRA&to=JFK&date=" + DATE + "&cabin=" + "x".repeat(300));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.bodyAsJsonObject().getString("parameter")).isEqualTo("cabin");
  }

  @Test
  void airportAutocompleteByCodeCityOrName() throws Exception {
    JsonObject byCode = get("/api/v1/airports?q=fra").bodyAsJsonObject();
    assertThat(byCode.getJsonArray("results").getJsonObject(0).getString("iata")).isEqualTo("FRA");
    JsonObject byCity = get("/api/v1/airports?q=LONDON").bodyAsJsonObject();
    List<String> codes =
        byCity.getJsonArray("results").stream()
            .map(o -> ((JsonObject) o).getString("iata"))
            .toList();
    assertThat(codes).containsExactly("LHR", "LGW"); // busiest first
    assertThat(get("/api/v1/airports?q=%25").statusCode()).isEqualTo(400);
    assertThat(get("/api/v1/airports?q=%25%25").bodyAsJsonObject().getJsonArray("results"))
        .isEmpty();
    assertThat(
            get("/api/v1/airports?q=" + "a".repeat(51)).bodyAsJsonObject().getString("parameter"))
        .isEqualTo("q");
    assertThat(get("/api/v1/airports").bodyAsJsonObject().getString("parameter")).isEqualTo("q");
  }

  @Test
  void airportAndAirlineLookups() throws Exception {
    JsonObject fra = get("/api/v1/airports/fra").bodyAsJsonObject();
    assertThat(fra.getString("city")).isEqualTo("Frankfurt");
    assertThat(fra.getInteger("utcOffsetMinutes")).isEqualTo(60);
    HttpResponse<Buffer> missing = get("/api/v1/airports/XYZ");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.getHeader("Content-Type")).startsWith("application/problem+json");
    assertThat(get("/api/v1/airlines/LH").bodyAsJsonObject().getString("name"))
        .isEqualTo("Lufthansa");
    assertThat(get("/api/v1/airlines/Q9Q").statusCode()).isEqualTo(404);
  }

  @Test
  void seedingIsIdempotent(Vertx vertx) throws Exception {
    var before =
        pool.query("SELECT seeded_at, flights, fares FROM catalogue_meta")
            .execute()
            .await(5, TimeUnit.SECONDS)
            .iterator()
            .next();
    app.service.prepare(vertx).await(60, TimeUnit.SECONDS);
    var outcome =
        CatalogueSeeder.seed(
            app.config.offer().service().pgUrl(),
            app.config.offer().catalogueSeed(),
            app.config.offer().catalogueSize());
    assertThat(outcome.seeded()).isFalse();
    var after =
        pool.query(
                "SELECT seeded_at, flights, fares, (SELECT count(*) FROM flights), (SELECT count(*) FROM fares) FROM catalogue_meta")
            .execute()
            .await(5, TimeUnit.SECONDS)
            .iterator()
            .next();
    assertThat(after.getValue(0)).isEqualTo(before.getValue(0));
    assertThat(after.getInteger(1)).isEqualTo(before.getInteger(1));
    assertThat(after.getLong(3)).isEqualTo(after.getInteger(1).longValue());
    assertThat(after.getLong(4)).isEqualTo(after.getInteger(2).longValue());
  }
}
