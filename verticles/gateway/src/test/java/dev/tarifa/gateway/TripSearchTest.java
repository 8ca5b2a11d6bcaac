package dev.tarifa.gateway;

import static dev.tarifa.gateway.GatewayHarness.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code /api/v1/trips/search} against fake services: round trips (outbound + return flight + hotel
 * + car), one-way trips with and without nights, each leg through the cache, each leg failing on
 * its own, bundle order and limit. The fake services price product i of 4 at {@code base + 1000 ×
 * (3 - i)}, one offer each (TripBundlesTest covers the spread of several offers).
 */
class TripSearchTest {
  static final LocalDate DEPART = LocalDate.now(ZoneOffset.UTC).plusDays(20);
  static final String DATE = DEPART.toString();
  static final String BACK = DEPART.plusDays(5).toString();
  static final String ROUND =
      "/api/v1/trips/search?from=fra&to=JFK&depart=" + DATE + "&return=" + BACK + "&adults=3";
  // outbound FRA → JFK, return JFK → FRA: the flights service tells them apart by the (sorted)
  // query string
  static final Predicate<String> OUTBOUND = uri -> uri.contains("from=FRA");
  static final Predicate<String> RETURN = uri -> uri.contains("from=JFK");
  Vertx vertx;
  GatewayHarness gw;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    startGateway(Map.of());
  }

  private void startGateway(Map<String, String> env) {
    gw = new GatewayHarness(vertx).start(env);
    gw.service("flights").basePriceFor = uri -> OUTBOUND.test(uri) ? 20_000 : 15_000;
    gw.service("hotels").basePrice = 10_000;
    gw.service("cars").basePrice = 3_000;
  }

  @AfterEach
  void stop() {
    await(vertx.close());
  }

  HttpResponse<Buffer> get(String uri) {
    return await(gw.client.get(uri).send());
  }

  static long amount(JsonObject bundle, String field) {
    return bundle.getJsonObject(field).getLong("amount");
  }

  @Test
  void roundTripBundlesOutboundReturnHotelAndCarForTheParty() {
    HttpResponse<Buffer> r = get(ROUND + "&limit=7");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.getHeader("X-Degraded")).isNull();
    assertThat(r.getHeader("Cache-Control")).isEqualTo("no-cache");
    JsonObject trip = r.bodyAsJsonObject();
    assertThat(trip.getJsonObject("query"))
        .isEqualTo(
            new JsonObject()
                .put("type", "round-trip")
                .put("from", "FRA")
                .put("to", "JFK")
                .put("depart", DATE)
                .put("return", BACK)
                .put("nights", 5)
                .put("adults", 3)
                .put("rooms", 2)
                .put("limit", 7));
    assertThat(trip.getBoolean("degraded")).isFalse();
    assertThat(trip.getJsonArray("failedLegs")).isEmpty();
    assertThat(trip.getJsonObject("legs").fieldNames())
        .containsExactly("outbound", "return", "hotel", "car");
    for (String leg : List.of("outbound", "return", "hotel", "car")) {
      JsonObject info = trip.getJsonObject("legs").getJsonObject(leg);
      assertThat(info.getBoolean("failed")).as(leg).isFalse();
      assertThat(info.getInteger("count")).as(leg).isEqualTo(4);
      assertThat(info.getString("cache")).as(leg).isEqualTo("MISS");
    }

    JsonArray bundles = trip.getJsonArray("bundles");
    assertThat(bundles).hasSize(7);
    JsonObject best = bundles.getJsonObject(0);
    // the cheapest of each leg: outbound 20 000, return 15 000, hotel 10 000, car 3 000
    assertThat(amount(best, "total")).isEqualTo(20_000 + 15_000 + 10_000 + 3_000);
    assertThat(best.getJsonObject("total").getString("currency")).isEqualTo("EUR");
    JsonObject prices = best.getJsonObject("prices");
    assertThat(prices.fieldNames()).containsExactly("outbound", "return", "hotel", "car");
    assertThat(amount(prices, "outbound")).isEqualTo(20_000);
    assertThat(amount(prices, "return")).isEqualTo(15_000);
    assertThat(amount(prices, "hotel")).isEqualTo(10_000);
    assertThat(amount(prices, "car")).isEqualTo(3_000);
    assertThat(best.getJsonObject("outbound").getString("id")).isEqualTo("flights-3");
    assertThat(best.getJsonObject("return").getString("id")).isEqualTo("flights-3");
    assertThat(best.getJsonObject("hotel").getString("id")).isEqualTo("hotels-3");
    assertThat(best.getJsonObject("car").getString("id")).isEqualTo("cars-3");
    assertThat(best.getJsonObject("outbound").containsKey("offers")).isFalse();
    assertThat(best.getJsonArray("missing")).isEmpty();
    // one offer per product: the dearest providers cost the same
    assertThat(amount(best, "spread")).isZero();
    assertThat(amount(best, "mostExpensive")).isEqualTo(amount(best, "total"));
    long previous = 0;
    for (int i = 0; i < bundles.size(); i++) {
      JsonObject b = bundles.getJsonObject(i);
      long sum =
          b.getJsonObject("prices").stream()
              .mapToLong(e -> ((JsonObject) e.getValue()).getLong("amount"))
              .sum();
      assertThat(amount(b, "total")).isEqualTo(sum).isGreaterThanOrEqualTo(previous);
      previous = sum;
    }
    // the second cheapest differs from the cheapest by the smallest step: 1 000 on one leg
    assertThat(amount(bundles.getJsonObject(1), "total")).isEqualTo(49_000);

    // each leg went to its service with the derived query
    List<String> flights = gw.service("flights").uris;
    assertThat(flights).hasSize(2);
    assertThat(flights)
        .anySatisfy(
            u ->
                assertThat(u)
                    .contains("adults=3")
                    .contains("date=" + DATE)
                    .contains("from=FRA")
                    .contains("to=JFK"));
    assertThat(flights)
        .anySatisfy(
            u ->
                assertThat(u)
                    .contains("adults=3")
                    .contains("date=" + BACK)
                    .contains("from=JFK")
                    .contains("to=FRA"));
    String hotel = gw.service("hotels").uris.get(0);
    assertThat(hotel)
        .contains("near=JFK")
        .contains("checkIn=" + DATE)
        .contains("checkOut=" + BACK)
        .contains("guests=3")
        .contains("rooms=2");
    String car = gw.service("cars").uris.get(0);
    assertThat(car)
        .contains("location=JFK")
        .contains("pickUp=" + DATE + "T10%3A00")
        .contains("dropOff=" + BACK + "T10%3A00");

    // every leg came through the cache: the same trip again calls no service
    JsonObject again = get(ROUND + "&limit=7").bodyAsJsonObject();
    for (String leg : List.of("outbound", "return", "hotel", "car")) {
      assertThat(again.getJsonObject("legs").getJsonObject(leg).getString("cache"))
          .as(leg)
          .isEqualTo("HIT-L1");
    }
    assertThat(gw.service("flights").searchCalls.get()).isEqualTo(2);
    assertThat(gw.service("hotels").searchCalls.get()).isEqualTo(1);
    assertThat(gw.service("cars").searchCalls.get()).isEqualTo(1);
    // the return flight is an ordinary flight search: the same search asked directly is the trip's
    // cached answer
    HttpResponse<Buffer> direct =
        get("/api/v1/flights/search?from=JFK&to=FRA&date=" + BACK + "&adults=3&limit=10");
    assertThat(direct.getHeader("X-Cache")).isEqualTo("HIT-L1");
    assertThat(gw.service("flights").searchCalls.get()).isEqualTo(2);
  }

  @Test
  void defaultLimitIsFiveBundles() {
    JsonObject trip = get(ROUND).bodyAsJsonObject();
    assertThat(trip.getJsonObject("query").getInteger("limit")).isEqualTo(5);
    assertThat(trip.getJsonArray("bundles")).hasSize(5);
  }

  @Test
  void oneWayWithoutNightsIsTheOutboundFlightAlone() {
    HttpResponse<Buffer> r = get("/api/v1/trips/search?from=FRA&to=JFK&depart=" + DATE);
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject trip = r.bodyAsJsonObject();
    JsonObject query = trip.getJsonObject("query");
    assertThat(query.getString("type")).isEqualTo("one-way");
    assertThat(query.getValue("return")).isNull();
    assertThat(query.getInteger("nights")).isZero();
    assertThat(query.getInteger("adults")).isEqualTo(1);
    assertThat(query.getInteger("rooms")).isEqualTo(1);
    assertThat(trip.getJsonObject("legs").fieldNames()).containsExactly("outbound");
    JsonArray bundles = trip.getJsonArray("bundles");
    // three cheapest outbound flights make the three bundles
    assertThat(bundles).hasSize(3);
    assertThat(bundles.getJsonObject(0).getJsonObject("prices").fieldNames())
        .containsExactly("outbound");
    assertThat(amount(bundles.getJsonObject(0), "total")).isEqualTo(20_000);
    assertThat(amount(bundles.getJsonObject(2), "total")).isEqualTo(22_000);
    assertThat(bundles.getJsonObject(0).containsKey("return")).isFalse();
    assertThat(gw.service("hotels").calls.get()).isZero();
    assertThat(gw.service("cars").calls.get()).isZero();
    assertThat(gw.service("flights").uris)
        .singleElement()
        .satisfies(u -> assertThat(u).contains("from=FRA"));
  }

  @Test
  void oneWayWithNightsAddsTheHotelAndCarForThoseNights() {
    String out = DEPART.plusDays(4).toString();
    JsonObject trip =
        get("/api/v1/trips/search?from=FRA&to=JFK&depart=" + DATE + "&nights=4&adults=2")
            .bodyAsJsonObject();
    assertThat(trip.getJsonObject("query").getString("type")).isEqualTo("one-way");
    assertThat(trip.getJsonObject("query").getInteger("nights")).isEqualTo(4);
    assertThat(trip.getJsonObject("legs").fieldNames()).containsExactly("outbound", "hotel", "car");
    JsonObject best = trip.getJsonArray("bundles").getJsonObject(0);
    assertThat(amount(best, "total")).isEqualTo(20_000 + 10_000 + 3_000);
    assertThat(best.getJsonObject("prices").fieldNames())
        .containsExactly("outbound", "hotel", "car");
    assertThat(gw.service("hotels").uris.get(0))
        .contains("checkIn=" + DATE)
        .contains("checkOut=" + out)
        .contains("guests=2")
        .contains("rooms=1");
    assertThat(gw.service("cars").uris.get(0))
        .contains("pickUp=" + DATE + "T10%3A00")
        .contains("dropOff=" + out + "T10%3A00");
    assertThat(gw.service("flights").uris).hasSize(1);
  }

  /**
   * Each leg fails on its own (a 500 from its service): named, the trip degraded, the other legs
   * bundled.
   */
  @ParameterizedTest
  @ValueSource(strings = {"outbound", "return", "hotel", "car"})
  void aFailedLegIsNamedAndTheOthersAnswered(String leg) {
    failLeg(leg, 500);
    HttpResponse<Buffer> r = get(ROUND);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.getHeader("X-Degraded")).isEqualTo("true");
    JsonObject trip = r.bodyAsJsonObject();
    assertThat(trip.getBoolean("degraded")).isTrue();
    assertThat(trip.getJsonArray("failedLegs").getList()).containsExactly(leg);
    JsonObject legs = trip.getJsonObject("legs");
    assertThat(legs.getJsonObject(leg).getBoolean("failed")).isTrue();
    List<String> others = new ArrayList<>(List.of("outbound", "return", "hotel", "car"));
    others.remove(leg);
    for (String other : others) {
      assertThat(legs.getJsonObject(other).getBoolean("failed")).as(other).isFalse();
      assertThat(legs.getJsonObject(other).getInteger("count")).as(other).isEqualTo(4);
    }
    JsonObject best = trip.getJsonArray("bundles").getJsonObject(0);
    assertThat(best.containsKey(leg)).isFalse();
    assertThat(best.getJsonArray("missing").getList()).containsExactly(leg);
    assertThat(best.getJsonObject("prices").fieldNames()).containsExactlyElementsOf(others);
    long full = 20_000 + 15_000 + 10_000 + 3_000;
    long without =
        switch (leg) {
          case "outbound" -> 20_000;
          case "return" -> 15_000;
          case "hotel" -> 10_000;
          default -> 3_000;
        };
    assertThat(amount(best, "total")).isEqualTo(full - without);
  }

  /** A leg rejected with a 4xx (nothing there) or answered without results is empty, not failed. */
  @ParameterizedTest
  @ValueSource(strings = {"return", "hotel", "car"})
  void aLegWithNoOffersSaysSoWithoutDegrading(String leg) {
    emptyLeg(leg);
    HttpResponse<Buffer> r = get(ROUND);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.getHeader("X-Degraded")).isNull();
    JsonObject trip = r.bodyAsJsonObject();
    assertThat(trip.getBoolean("degraded")).isFalse();
    assertThat(trip.getJsonArray("failedLegs")).isEmpty();
    JsonObject info = trip.getJsonObject("legs").getJsonObject(leg);
    assertThat(info.getBoolean("failed")).isFalse();
    assertThat(info.getInteger("count")).isZero();
    JsonObject best = trip.getJsonArray("bundles").getJsonObject(0);
    assertThat(best.getJsonArray("missing").getList()).containsExactly(leg);
    assertThat(best.containsKey(leg)).isFalse();
  }

  @Test
  void everyLegFailedIsA503() {
    for (String s : List.of("flights", "hotels", "cars")) gw.service(s).failStatus = 500;
    HttpResponse<Buffer> r = get(ROUND);
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.getHeader("Content-Type")).startsWith("application/problem+json");
  }

  /**
   * The return flight served stale after its origin failed: labelled on its leg and on the trip,
   * not failed.
   */
  @Test
  void aStaleReturnLegIsDegradedNotFailed() {
    // flight answers fresh for 300 ms, no stale-while-revalidate, then stale-if-error for 10 min
    await(vertx.close());
    vertx = Vertx.vertx();
    startGateway(
        Map.of(
            "TARIFA_CACHE_FLIGHTS_TTL",
            "300ms",
            "TARIFA_CACHE_FLIGHTS_SWR",
            "0ms",
            "TARIFA_CACHE_FLIGHTS_SIE",
            "10m"));
    assertThat(get(ROUND).statusCode()).isEqualTo(200);
    failLeg("return", 500);
    long deadline = System.currentTimeMillis() + 10_000;
    JsonObject trip;
    do {
      trip = get(ROUND).bodyAsJsonObject();
    } while (!"STALE".equals(trip.getJsonObject("legs").getJsonObject("return").getString("cache"))
        && System.currentTimeMillis() < deadline);
    JsonObject ret = trip.getJsonObject("legs").getJsonObject("return");
    assertThat(ret.getString("cache")).isEqualTo("STALE");
    assertThat(ret.getBoolean("degraded")).isTrue();
    assertThat(ret.getBoolean("failed")).isFalse();
    assertThat(trip.getBoolean("degraded")).isTrue();
    assertThat(trip.getJsonArray("failedLegs")).isEmpty();
    assertThat(trip.getJsonArray("bundles").getJsonObject(0).getJsonObject("prices").fieldNames())
        .containsExactly("outbound", "return", "hotel", "car");
  }

  @Test
  void badTripQueriesAre400sNamingTheParameter() {
    String base = "/api/v1/trips/search?from=FRA&to=JFK&depart=" + DATE;
    Map<String, String> cases =
        Map.of(
            "/api/v1/trips/search?from=FRA&to=JFK&depart=" + BACK + "&return=" + DATE,
            "return",
            base + "&return=" + DEPART.plusDays(31),
            "return",
            base + "&return=" + BACK + "&nights=2",
            "nights",
            base + "&nights=31",
            "nights",
            base + "&adults=2&rooms=3",
            "rooms",
            base + "&limit=21",
            "limit",
            "/api/v1/trips/search?from=FRA&to=FRA&depart=" + DATE,
            "to",
            "/api/v1/trips/search?from=FRA&to=JFK",
            "depart");
    cases.forEach(
        (uri, parameter) -> {
          HttpResponse<Buffer> bad = get(uri);
          assertThat(bad.statusCode()).as(uri).isEqualTo(400);
          assertThat(bad.bodyAsJsonObject().getString("parameter")).as(uri).isEqualTo(parameter);
        });
    assertThat(gw.service("flights").calls.get()).isZero();
  }

  private void failLeg(String leg, int status) {
    switch (leg) {
      case "outbound" -> gw.service("flights").failFor = uri -> OUTBOUND.test(uri) ? status : 0;
      case "return" -> gw.service("flights").failFor = uri -> RETURN.test(uri) ? status : 0;
      case "hotel" -> gw.service("hotels").failStatus = status;
      case "car" -> gw.service("cars").failStatus = status;
      default -> throw new IllegalArgumentException(leg);
    }
  }

  private void emptyLeg(String leg) {
    switch (leg) {
      case "return" -> gw.service("flights").emptyFor = RETURN;
      case "hotel" ->
          gw.service("hotels").failStatus = 400; // "no hotels near JFK": the service's 4xx
      case "car" -> gw.service("cars").emptyFor = uri -> true;
      default -> throw new IllegalArgumentException(leg);
    }
  }
}
