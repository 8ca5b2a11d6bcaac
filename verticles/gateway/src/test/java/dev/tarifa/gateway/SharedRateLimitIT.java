package dev.tarifa.gateway;

import static dev.tarifa.gateway.GatewayHarness.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tarifa.shared.metrics.Metrics;
import dev.tarifa.shared.testing.TcpProxy;
import dev.tarifa.shared.testing.TestServers;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Vertx;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two gateway replicas (two Vert.x instances) sharing one rate-limit budget per client in the real
 * Redis, reached through a proxy that can cut it. Clients are token subjects, a fresh one per
 * check, so budgets never mix.
 */
class SharedRateLimitIT {
  static final int BURST = 20;
  Vertx vertxA;
  Vertx vertxB;
  TcpProxy redisProxy;
  GatewayHarness a;
  GatewayHarness b;

  @BeforeEach
  void start() {
    URI redis = TestServers.redis();
    vertxA = Vertx.vertx();
    vertxB = Vertx.vertx();
    redisProxy = await(new TcpProxy(vertxA, redis.getHost(), redis.getPort()).start());
    Map<String, String> env =
        Map.of(
            "TARIFA_REDIS_URL",
            "redis://127.0.0.1:" + redisProxy.port(),
            "TARIFA_CACHE_PREFIX",
            "rltest-" + UUID.randomUUID() + ":",
            // generous: a slow answer on a busy machine would fail open and blur the count
            "TARIFA_CACHE_L2_TIMEOUT",
            "2s",
            "TARIFA_RATE_LIMIT_RPS",
            "1",
            "TARIFA_RATE_LIMIT_BURST",
            String.valueOf(BURST));
    a = new GatewayHarness(vertxA).start(env);
    b = new GatewayHarness(vertxB).start(env, a.services);
    // warm both replicas (HTTP and Redis connections) with a client of their own
    for (GatewayHarness gw : new GatewayHarness[] {a, b})
      assertThat(status(gw, gw.token("warm-" + UUID.randomUUID(), Set.of("user")))).isEqualTo(404);
  }

  @AfterEach
  void stop() {
    await(vertxB.close());
    await(vertxA.close());
  }

  @Test
  void aClientSendingTwiceItsBurstThroughTwoReplicasGetsItsBurstOnce() {
    String token = a.token("client-" + UUID.randomUUID(), Set.of("user"));
    double limitedBefore = shared("limited").count();
    long started = System.nanoTime();
    int admitted = 0;
    int admittedByB = 0;
    for (int i = 0; i < 2 * BURST; i++) {
      GatewayHarness gw = i % 2 == 0 ? a : b;
      int status = status(gw, token);
      assertThat(status).isIn(404, 429);
      if (status == 404) {
        admitted++;
        if (gw == b) admittedByB++;
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    // The burst, plus what 1 request/s refills while the loop runs; each replica alone would admit
    // 2 x BURST. Less at
    // most what two replicas' leases strand (lease size - 1 each).
    int stranded = 2 * (a.shared.rateLimiter().sharedLeaseSize() - 1);
    assertThat(admitted).isBetween(BURST - stranded, BURST + (int) Math.ceil(seconds) + 1);
    assertThat(admittedByB).as("both replicas draw on the budget").isGreaterThan(0);
    assertThat(shared("limited").count() - limitedBefore)
        .isGreaterThanOrEqualTo(2 * BURST - admitted);
  }

  @Test
  void aRequestBodyWaitsForTheSharedCheckAndReachesTheService() {
    // a fresh token: the subject is verified, then the shared budget asked, both before the body
    // handler runs
    for (int i = 0; i < 3; i++) {
      String token = a.token("writer-" + UUID.randomUUID(), Set.of("user"));
      String body =
          new io.vertx.core.json.JsonObject()
              .put("subject", "hotel:1")
              .put("rating", 4)
              .put("text", "x".repeat(2000))
              .encode();
      var r =
          await(
              a.client
                  .post("/api/v1/reviews")
                  .putHeader("Authorization", "Bearer " + token)
                  .putHeader("Content-Type", "application/json")
                  .sendBuffer(io.vertx.core.buffer.Buffer.buffer(body)));
      assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
      assertThat(r.bodyAsJsonObject().getString("body"))
          .as("the body reached the service")
          .isEqualTo(body);
    }
  }

  @Test
  void withRedisCutEveryReplicaStillAppliesItsLocalLimitAndFailsOpen() {
    redisProxy.cut();
    double failOpenBefore = shared("failopen").count();
    String token = a.token("client-" + UUID.randomUUID(), Set.of("user"));
    long started = System.nanoTime();
    int admitted = 0;
    for (int i = 0; i < 2 * BURST; i++) {
      if (status(i % 2 == 0 ? a : b, token) == 404) admitted++;
    }
    long ms = (System.nanoTime() - started) / 1_000_000;
    // Fail-open: each replica's local bucket admits its burst (no shared budget to say otherwise)
    // ...
    assertThat(admitted).isEqualTo(2 * BURST);
    assertThat(shared("failopen").count() - failOpenBefore).isGreaterThanOrEqualTo(2 * BURST);
    // ... and the local limit still holds: within what 1 request/s refilled meanwhile, replica a
    // refuses again.
    int extra = 0;
    while (status(a, token) == 404) {
      extra++;
      assertThat(extra)
          .as("local limit after %d ms", ms)
          .isLessThanOrEqualTo((int) (ms / 1000 + 2));
    }

    // Redis back: the shared budget answers again (within its pause and a reconnect).
    redisProxy.restore();
    double allowedBefore = shared("allowed").count();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (shared("allowed").count() == allowedBefore && System.nanoTime() < deadline) {
      status(b, a.token("probe-" + UUID.randomUUID(), Set.of("user")));
    }
    assertThat(shared("allowed").count()).isGreaterThan(allowedBefore);
  }

  private static int status(GatewayHarness gw, String token) {
    return await(
            gw.client
                .get("/api/v1/no-such-route")
                .putHeader("Authorization", "Bearer " + token)
                .send())
        .statusCode();
  }

  private static Counter shared(String result) {
    Counter c =
        Metrics.registry().find("tarifa_gateway_rate_limit_shared").tag("result", result).counter();
    assertThat(c).as("counter %s", result).isNotNull();
    return c;
  }
}
