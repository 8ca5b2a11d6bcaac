package dev.tarifa.gateway;

import static dev.tarifa.gateway.GatewayHarness.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tarifa.gateway.search.TripBundles;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A trip leg its service rejects with a 4xx (nothing there: the small catalogue has no hotels near
 * PHL, no car station there) is an answered leg without results, not a failed one: the trip is not
 * degraded.
 */
class TripLegRejectedTest {
  static final String DATE = LocalDate.now(ZoneOffset.UTC).plusDays(20).toString();
  static final String BACK = LocalDate.now(ZoneOffset.UTC).plusDays(23).toString();
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
  void legsRejectedWithA4xxAreEmptyNotFailed() {
    gw.service("hotels").failStatus = 400;
    gw.service("cars").failStatus = 404;
    gw.service("flights").basePrice = 20_000;
    HttpResponse<Buffer> r =
        await(
            gw.client
                .get("/api/v1/trips/search?from=CDG&to=PHL&depart=" + DATE + "&return=" + BACK)
                .send());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.getHeader("X-Degraded")).isNull();
    JsonObject trip = r.bodyAsJsonObject();
    assertThat(trip.getBoolean("degraded")).isFalse();
    assertThat(trip.getJsonArray("failedLegs")).isEmpty();
    JsonObject hotels = trip.getJsonObject("legs").getJsonObject("hotel");
    assertThat(hotels.getInteger("count")).isZero();
    assertThat(hotels.getBoolean("degraded")).isFalse();
    assertThat(hotels.getString("problem")).isEqualTo("fake failure");
    assertThat(trip.getJsonObject("legs").getJsonObject("car").getInteger("count")).isZero();
    assertThat(trip.getJsonObject("legs").getJsonObject("outbound").containsKey("problem"))
        .isFalse();
    // the flights there and back alone make the bundles
    JsonObject best = trip.getJsonArray("bundles").getJsonObject(0);
    assertThat(best.getJsonObject("total").getLong("amount")).isEqualTo(20_000 + 20_000);
    assertThat(best.getJsonArray("missing").getList()).containsExactly("hotel", "car");
    assertThat(best.containsKey("hotel")).isFalse();
    assertThat(best.containsKey("car")).isFalse();

    // a 5xx is still a failure: degraded, named
    gw.service("hotels").failStatus = 500;
    JsonObject down =
        await(
                gw.client
                    .get("/api/v1/trips/search?from=CDG&to=PHL&depart=" + DATE + "&return=" + BACK)
                    .send())
            .bodyAsJsonObject();
    assertThat(down.getBoolean("degraded")).isTrue();
    assertThat(down.getJsonArray("failedLegs").getList()).containsExactly("hotel");
  }

  @Test
  void aRejectedLegKeepsTheProblemsDetail() {
    Buffer problem =
        new JsonObject()
            .put("status", 400)
            .put("title", "Invalid parameter")
            .put("detail", "near: no hotels near airport PHL")
            .toBuffer();
    TripBundles.Leg leg = TripBundles.Leg.rejected("hotel", 400, problem);
    assertThat(leg.answer().getJsonArray("results")).isEmpty();
    assertThat(leg.degraded()).isFalse();
    assertThat(leg.problem()).isEqualTo("near: no hotels near airport PHL");
    assertThat(TripBundles.Leg.rejected("car", 404, Buffer.buffer("not json")).problem())
        .isEqualTo("car answered 404");
    assertThat(TripBundles.Leg.rejected("car", 404, null).problem()).isEqualTo("car answered 404");
  }
}
