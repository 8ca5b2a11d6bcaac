package dev.tarifa.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;

import static dev.tarifa.gateway.GatewayHarness.await;
import static org.assertj.core.api.Assertions.assertThat;

class ResilienceTest {
  static final String DATE = LocalDate.now(ZoneOffset.UTC).plusDays(20).toString();
  static final String BACK = LocalDate.now(ZoneOffset.UTC).plusDays(25).toString();
  Vertx vertx;
  GatewayHarness gw;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    // fresh for 300 ms, no SWR, stale-if-error for 10 min; the circuit opens after 3 failures for 500 ms
    gw = new GatewayHarness(vertx).start(Map.of("TARIFA_CACHE_FLIGHTS_TTL", "300ms", "TARIFA_CACHE_FLIGHTS_SWR", "0ms",
      "TARIFA_CACHE_FLIGHTS_SIE", "10m"));
  }

  @AfterEach
  void stop() {
    await(vertx.close());
  }

  HttpResponse<Buffer> get(String uri) {
    return await(gw.client.get(uri).send());
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void upstreamDownServesStaleIfErrorThenFast503ThenRecovers() {
    FakeService flights = gw.service("flights");
    String cached = "/api/v1/flights/search?from=FRA&to=JFK&date=" + DATE;
    HttpResponse<Buffer> warm = get(cached);
    assertThat(warm.statusCode()).isEqualTo(200);
    String body = warm.bodyAsString();

    await(flights.stop());
    sleep(400); // the entry is no longer fresh

    // cached key: served stale, degraded, never a 5xx
    for (int i = 0; i < 6; i++) {
      HttpResponse<Buffer> r = get(cached);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.getHeader("X-Cache")).isEqualTo("STALE");
      assertThat(r.getHeader("X-Degraded")).isEqualTo("true");
      assertThat(r.getHeader("Warning")).contains("111");
      assertThat(r.bodyAsString()).isEqualTo(body);
    }
    // by now the circuit is open (each stale answer above began with a failed origin call)
    assertThat(gw.shared.breakers().of("flights").state().name()).isEqualTo("OPEN");

    // uncached key with the circuit open: a fast 503 problem, no upstream attempt
    HttpResponse<Buffer> uncached = get("/api/v1/flights/search?from=MUC&to=JFK&date=" + DATE);
    assertThat(uncached.statusCode()).isEqualTo(503);
    assertThat(uncached.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(uncached.bodyAsJsonObject().getString("detail")).contains("circuit open");

    // the circuit state is exported
    String metrics = get("/metrics").bodyAsString();
    assertThat(metrics).contains("tarifa_gateway_circuit_state{upstream=\"flights\"} 2.0");

    // recovery: the service comes back; after the reset timeout the trial call closes the circuit
    await(flights.start());
    sleep(700);
    HttpResponse<Buffer> recovered = get("/api/v1/flights/search?from=MUC&to=JFK&date=" + DATE);
    assertThat(recovered.statusCode()).isEqualTo(200);
    assertThat(recovered.getHeader("X-Cache")).isEqualTo("MISS");
    assertThat(gw.shared.breakers().of("flights").state().name()).isEqualTo("CLOSED");
    HttpResponse<Buffer> refreshed = get(cached);
    assertThat(refreshed.statusCode()).isEqualTo(200);
    assertThat(refreshed.getHeader("X-Degraded")).isNull();
  }

  @Test
  void upstreamServerErrorsCountForTheBreakerButClientErrorsDoNot() {
    FakeService cars = gw.service("cars");
    cars.failStatus = 404;
    for (int i = 0; i < 5; i++) {
      assertThat(get("/api/v1/cars/suppliers/HZ").statusCode()).isEqualTo(404);
    }
    assertThat(gw.shared.breakers().of("cars").state().name()).isEqualTo("CLOSED");
    cars.failStatus = 500;
    for (int i = 0; i < 3; i++) {
      assertThat(get("/api/v1/cars/suppliers/HZ").statusCode()).isEqualTo(500);
    }
    assertThat(gw.shared.breakers().of("cars").state().name()).isEqualTo("OPEN");
    int calls = cars.calls.get();
    assertThat(get("/api/v1/cars/suppliers/HZ").statusCode()).isEqualTo(503);
    assertThat(cars.calls.get()).isEqualTo(calls);
  }

  @Test
  void tripWithOneLegDownIsDegradedButAnswered() {
    gw.service("hotels").failStatus = 500;
    gw.service("flights").basePrice = 20_000;
    gw.service("cars").basePrice = 3_000;
    HttpResponse<Buffer> r = get("/api/v1/trips/search?from=fra&to=JFK&depart=" + DATE + "&return=" + BACK + "&adults=2");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.getHeader("X-Degraded")).isEqualTo("true");
    JsonObject trip = r.bodyAsJsonObject();
    assertThat(trip.getBoolean("degraded")).isTrue();
    assertThat(trip.getJsonArray("failedLegs").getList()).containsExactly("hotels");
    assertThat(trip.getJsonObject("query").getString("from")).isEqualTo("FRA");
    var bundles = trip.getJsonArray("bundles");
    assertThat(bundles).hasSize(5);
    JsonObject best = bundles.getJsonObject(0);
    // cheapest flight 20 000 + cheapest car 3 000, no hotel
    assertThat(best.getJsonObject("total").getLong("amount")).isEqualTo(23_000);
    assertThat(best.getJsonObject("flight").getString("id")).isEqualTo("flights-3");
    assertThat(best.getJsonObject("car").getString("id")).isEqualTo("cars-3");
    assertThat(best.containsKey("hotel")).isFalse();
    for (int i = 1; i < bundles.size(); i++) {
      assertThat(bundles.getJsonObject(i).getJsonObject("total").getLong("amount"))
        .isGreaterThanOrEqualTo(bundles.getJsonObject(i - 1).getJsonObject("total").getLong("amount"));
    }
    // legs went to their services with the derived queries
    FakeService cars = gw.service("cars");
    assertThat(cars.uris.get(cars.uris.size() - 1)).contains("location=JFK").contains("pickUp=" + DATE + "T10%3A00")
      .contains("dropOff=" + BACK + "T10%3A00");
    FakeService hotels = gw.service("hotels");
    assertThat(hotels.uris.get(hotels.uris.size() - 1)).contains("near=JFK").contains("checkIn=" + DATE).contains("checkOut=" + BACK);

    // all legs healthy: complete bundles, not degraded
    gw.service("hotels").failStatus = 0;
    JsonObject full = get("/api/v1/trips/search?from=FRA&to=JFK&depart=" + DATE + "&return=" + BACK + "&adults=2").bodyAsJsonObject();
    assertThat(full.getBoolean("degraded")).isFalse();
    assertThat(full.getJsonArray("failedLegs")).isEmpty();
    assertThat(full.getJsonArray("bundles").getJsonObject(0).getJsonObject("total").getLong("amount")).isEqualTo(20_000 + 10_000 + 3_000);
    assertThat(full.getJsonObject("legs").getJsonObject("cars").getString("cache")).isEqualTo("HIT-L1");

    // a bad trip query is a 400 naming the parameter
    HttpResponse<Buffer> bad = get("/api/v1/trips/search?from=FRA&to=JFK&depart=" + BACK + "&return=" + DATE);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.bodyAsJsonObject().getString("parameter")).isEqualTo("return");
  }

  @Test
  void readinessReportsL2DisabledAsUpAndMetricsCountSearches() {
    get("/api/v1/flights/search?from=FRA&to=CDG&date=" + DATE);
    HttpResponse<Buffer> ready = get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.bodyAsString()).contains("cache-l2");
    String metrics = get("/metrics").bodyAsString();
    assertThat(metrics).contains("tarifa_gateway_searches_total{domain=\"flights\"}");
    assertThat(metrics).contains("tarifa_gateway_searches_in_flight 0.0");
  }
}
