package dev.tarifa.gateway;

import static dev.tarifa.gateway.GatewayHarness.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tarifa.shared.testing.TcpProxy;
import dev.tarifa.shared.testing.TestServers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.net.URI;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two gateway replicas (two Vert.x instances, each with its own QuoteCache) sharing the real Redis.
 */
class GatewayRedisIT {
  static final String DATE = LocalDate.now(ZoneOffset.UTC).plusDays(40).toString();
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
            "TARIFA_REDIS_URL", "redis://127.0.0.1:" + redisProxy.port(),
            "TARIFA_CACHE_PREFIX", "gwtest-" + UUID.randomUUID() + ":",
            // a Redis command past this bound falls back to L1 + origin (a second origin call):
            // under a 500-request burst
            // on a loaded 2-core machine the queue on one connection can take seconds; this test is
            // about coalescing
            "TARIFA_CACHE_L2_TIMEOUT", "10s",
            // generous lease bounds: on a small shared CI machine the leader's fill can take
            // seconds under a 500-request burst
            "TARIFA_CACHE_LEASE_TTL", "15s",
            "TARIFA_CACHE_LEASE_WAIT", "12s");
    a = new GatewayHarness(vertxA).start(env);
    b = new GatewayHarness(vertxB).start(env, a.services);
    // warm up both replicas (classes, HTTP and Redis connections) on an unrelated key: the machine
    // is small and shared
    for (GatewayHarness gw : List.of(a, b)) {
      assertThat(
              await(gw.client.get("/api/v1/flights/search?from=CDG&to=LHR&date=" + DATE).send())
                  .statusCode())
          .isEqualTo(200);
    }
  }

  @AfterEach
  void stop() {
    await(vertxB.close());
    await(vertxA.close());
  }

  @Test
  void fiveHundredConcurrentColdSearchesOnTwoReplicasMakeOneOriginCall() {
    FakeService flights = a.service("flights");
    flights.delayMs = 300;
    String uri = "/api/v1/flights/search?from=FRA&to=JFK&date=" + DATE;
    int before = flights.searchCalls.get();
    long originBefore =
        a.shared.cache().stats().originCalls() + b.shared.cache().stats().originCalls();
    long started = System.nanoTime();
    List<Future<HttpResponse<Buffer>>> all = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      GatewayHarness gw = i % 2 == 0 ? a : b;
      // vary the spelling: every request is the same canonical search
      String u =
          i % 3 == 0 ? uri : "/api/v1/flights/search?date=" + DATE + "&to=jfk&from=fra&adults=1";
      all.add(gw.client.get(u).send());
    }
    await(Future.join(all));
    List<String> caches = new ArrayList<>();
    for (Future<HttpResponse<Buffer>> f : all) {
      assertThat(f.succeeded()).as(String.valueOf(f.cause())).isTrue();
      assertThat(f.result().statusCode()).isEqualTo(200);
      caches.add(f.result().getHeader("X-Cache"));
    }
    System.out.println(
        "burst of 500 took "
            + (System.nanoTime() - started) / 1_000_000
            + " ms; X-Cache: "
            + caches.stream()
                .collect(
                    java.util.stream.Collectors.groupingBy(
                        c -> c, java.util.stream.Collectors.counting()))
            + " A="
            + a.shared.cache().stats()
            + " B="
            + b.shared.cache().stats());
    assertThat(flights.searchCalls.get() - before).isEqualTo(1);
    assertThat(caches)
        .allMatch(java.util.Set.of("MISS", "COALESCED", "HIT-L1", "HIT-L2")::contains);
    assertThat(caches.stream().filter("MISS"::equals).count()).isEqualTo(1);
    // the other replica now answers from Redis or its L1 without the origin
    assertThat(
            a.shared.cache().stats().originCalls()
                + b.shared.cache().stats().originCalls()
                - originBefore)
        .isEqualTo(1);
  }

  @Test
  void redisCutMidTestFailsNoRequest() {
    FakeService flights = a.service("flights");
    flights.delayMs = 20;
    List<Future<HttpResponse<Buffer>>> all = new ArrayList<>();
    for (int round = 0; round < 4; round++) {
      if (round == 2) redisProxy.cut();
      for (int i = 0; i < 60; i++) {
        GatewayHarness gw = i % 2 == 0 ? a : b;
        // 20 distinct searches per round, half of them repeated from the previous round
        int n = round * 10 + i % 20;
        String dest = "J" + (char) ('A' + n / 26) + (char) ('A' + n % 26);
        all.add(
            gw.client.get("/api/v1/flights/search?from=FRA&to=" + dest + "&date=" + DATE).send());
      }
      await(Future.join(all));
    }
    for (Future<HttpResponse<Buffer>> f : all) {
      assertThat(f.succeeded()).as(String.valueOf(f.cause())).isTrue();
      assertThat(f.result().statusCode()).isEqualTo(200);
    }
    // L2 is reported degraded, the gateway stays ready
    HttpResponse<Buffer> ready = await(a.client.get("/health/ready").send());
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.bodyAsString()).contains("\"degraded\":true");
    redisProxy.restore();
  }
}
