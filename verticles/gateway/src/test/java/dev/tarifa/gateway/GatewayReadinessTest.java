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
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Readiness fits an orchestrator: it covers what the gateway itself needs to serve, so one upstream
 * down leaves every gateway ready (its body and {@code tarifa_gateway_upstream_up} name the
 * upstream as degraded) instead of pulling every replica out of its Service.
 */
class GatewayReadinessTest {
  static final String DATE = LocalDate.now(ZoneOffset.UTC).plusDays(20).toString();
  Vertx vertx;
  GatewayHarness gw;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    gw = new GatewayHarness(vertx).start(Map.of());
  }

  @AfterEach
  void stop() {
    await(vertx.close());
  }

  @Test
  void allUpstreamsUpIsReadyWithNothingDegraded() {
    HttpResponse<Buffer> ready = get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    JsonObject body = ready.bodyAsJsonObject();
    assertThat(body.getString("status")).isEqualTo("UP");
    assertThat(body.containsKey("data")).as(body.encode()).isFalse();
    for (String upstream : new String[] {"users", "flights", "hotels", "cars", "reviews"}) {
      JsonObject data = check(body, upstream).getJsonObject("data");
      assertThat(data.getString("upstream")).isEqualTo("up");
      assertThat(data.getString("circuit")).isEqualTo("closed");
      assertThat(data.getBoolean("degraded")).isFalse();
    }
    assertThat(body.getJsonArray("checks").stream().map(JsonObject.class::cast))
        .allSatisfy(
            c ->
                assertThat(c.getJsonObject("data", new JsonObject()).getBoolean("degraded", false))
                    .as(c.encode())
                    .isFalse());
    assertThat(get("/metrics").bodyAsString())
        .contains("tarifa_gateway_upstream_up{upstream=\"reviews\"} 1.0");
  }

  @Test
  void oneUpstreamDownLeavesTheGatewayReadyAndNamesItDegraded() {
    await(gw.service("reviews").stop());

    HttpResponse<Buffer> ready = get("/health/ready");
    assertThat(ready.statusCode()).as(ready.bodyAsString()).isEqualTo(200);
    JsonObject body = ready.bodyAsJsonObject();
    assertThat(body.getString("status")).isEqualTo("UP");
    assertThat(body.getJsonObject("data").getJsonArray("degraded"))
        .isEqualTo(new JsonArray().add("reviews"));
    JsonObject reviews = check(body, "reviews");
    assertThat(reviews.getString("status")).isEqualTo("UP");
    assertThat(reviews.getJsonObject("data").getString("upstream")).isEqualTo("down");
    assertThat(reviews.getJsonObject("data").getString("circuit")).isEqualTo("closed");
    assertThat(reviews.getJsonObject("data").getBoolean("degraded")).isTrue();
    assertThat(reviews.getJsonObject("data").getString("error")).isNotBlank();
    assertThat(check(body, "flights").getJsonObject("data").getBoolean("degraded")).isFalse();
    assertThat(get("/metrics").bodyAsString())
        .contains("tarifa_gateway_upstream_up{upstream=\"reviews\"} 0.0")
        .contains("tarifa_gateway_upstream_up{upstream=\"flights\"} 1.0");

    // the gateway still serves: searches answer, the dead upstream's routes are 503 problems
    assertThat(get("/api/v1/flights/search?from=FRA&to=JFK&date=" + DATE).statusCode())
        .isEqualTo(200);
    for (int i = 0; i < 3; i++)
      assertThat(get("/api/v1/reviews?subject=hotel:1").statusCode()).isEqualTo(503);

    // its circuit, now open, is named in the body too (and in tarifa_gateway_circuit_state)
    JsonObject open = check(get("/health/ready").bodyAsJsonObject(), "reviews");
    assertThat(open.getJsonObject("data").getString("circuit")).isEqualTo("open");
    assertThat(get("/metrics").bodyAsString())
        .contains("tarifa_gateway_circuit_state{upstream=\"reviews\"} 2.0");
    assertThat(get("/health/ready").statusCode()).isEqualTo(200);
  }

  private static JsonObject check(JsonObject body, String id) {
    Predicate<JsonObject> named = c -> id.equals(c.getString("id"));
    return body.getJsonArray("checks").stream()
        .map(JsonObject.class::cast)
        .filter(named)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no check " + id + " in " + body.encode()));
  }

  private HttpResponse<Buffer> get(String uri) {
    return await(gw.client.get(uri).send());
  }
}
