package dev.tarifa.gateway;

import static dev.tarifa.gateway.GatewayHarness.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ResilienceTest {
  static final String DATE = LocalDate.now(ZoneOffset.UTC).plusDays(20).toString();
  Vertx vertx;
  GatewayHarness gw;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    // fresh for 300 ms, no SWR, stale-if-error for 10 min; the circuit opens after 3 failures for
    // 500 ms
    gw =
        new GatewayHarness(vertx)
            .start(
                Map.of(
                    "TARIFA_CACHE_FLIGHTS_TTL",
                    "300ms",
                    "TARIFA_CACHE_FLIGHTS_SWR",
                    "0ms",
                    "TARIFA_CACHE_FLIGHTS_SIE",
                    "10m"));
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

    // a refused search: a 400 problem from the failure handler
    assertThat(get("/api/v1/flights/search?from=MUC").statusCode()).isEqualTo(400);

    // the circuit state is exported; the failed searches are metered under their route, not "*"
    String metrics = get("/metrics").bodyAsString();
    assertThat(metrics).contains("tarifa_gateway_circuit_state{upstream=\"flights\"} 2.0");
    for (String status : new String[] {"503", "400"}) {
      assertThat(metrics)
          .contains(
              "tarifa_http_server_requests_seconds_count{method=\"GET\",route=\"/api/v1/flights/search\",server=\"gateway\",status=\""
                  + status
                  + "\"}")
          .doesNotContain(
              "tarifa_http_server_requests_seconds_count{method=\"GET\",route=\"*\",server=\"gateway\",status=\""
                  + status
                  + "\"}");
    }

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
