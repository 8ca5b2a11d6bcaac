package dev.tarifa.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tarifa.shared.testing.TestServers;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The GCRA script against the real Redis, and the fail-open path against a Redis that never
 * answers.
 */
@ExtendWith(VertxExtension.class)
class SharedBudgetTest {

  @Test
  void gcraAdmitsTheBurstThenOneRequestPerInterval(Vertx vertx) throws Exception {
    Redis redis =
        Redis.createClient(
            vertx, new RedisOptions().setConnectionString(TestServers.redis().toString()));
    try {
      String prefix = "sbtest-" + UUID.randomUUID() + ":";
      // 2 per second, burst 5: the first 5 pass, the 6th waits about one interval (500 ms).
      SharedBudget budget =
          new SharedBudget(vertx, redis, prefix, 2, 5, Duration.ofSeconds(5), 1, System::nanoTime);
      for (int i = 0; i < 5; i++) assertThat(take(budget, "c1")).as("request %d", i + 1).isZero();
      long wait = take(budget, "c1");
      assertThat(wait)
          .isBetween(TimeUnit.MILLISECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(500));
      // Another client has its own budget.
      assertThat(take(budget, "c2")).isZero();
      // After the wait, exactly one more request conforms.
      Thread.sleep(TimeUnit.NANOSECONDS.toMillis(wait) + 20);
      assertThat(take(budget, "c1")).isZero();
      assertThat(take(budget, "c1")).isPositive();
      // The key expires once the client is back to a full burst (no key per client forever).
      long ttl =
          redis
              .send(
                  io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.PTTL)
                      .arg(prefix + "rl:c1"))
              .await(5, TimeUnit.SECONDS)
              .toLong();
      assertThat(ttl).isBetween(1L, 3000L);
    } finally {
      redis.close();
    }
  }

  @Test
  void leasesSaveRoundTripsButNeverExceedTheBudget(Vertx vertx) throws Exception {
    Redis redis =
        Redis.createClient(
            vertx, new RedisOptions().setConnectionString(TestServers.redis().toString()));
    try {
      String prefix = "sbtest-" + UUID.randomUUID() + ":";
      // Two replicas, 1 per second, burst 10, leases of 4: a burst is 10 requests in all, whichever
      // replica serves.
      AtomicLong now = new AtomicLong(System.nanoTime());
      SharedBudget one =
          new SharedBudget(vertx, redis, prefix, 1, 10, Duration.ofSeconds(5), 4, now::get);
      SharedBudget two =
          new SharedBudget(vertx, redis, prefix, 1, 10, Duration.ofSeconds(5), 4, now::get);
      int admitted = 0;
      int answeredAtOnce = 0;
      for (int i = 0; i < 30; i++) {
        var f = (i % 2 == 0 ? one : two).tryAcquire("c");
        if (f.isComplete()) answeredAtOnce++;
        if (f.await(5, TimeUnit.SECONDS) == 0) admitted++;
      }
      // 10 charged in Redis (4 + 4 + 2), every one of them spent here: no more, and with two
      // replicas none stranded.
      assertThat(admitted).isBetween(10, 11);
      assertThat(answeredAtOnce).as("requests served from a lease").isGreaterThanOrEqualTo(6);
      // An expired lease is not spent.
      String other = "d";
      assertThat(one.tryAcquire(other).await(5, TimeUnit.SECONDS)).isZero();
      now.addAndGet(SharedBudget.LEASE_LIFETIME.toNanos() + 1);
      assertThat(one.tryAcquire(other).isComplete()).as("lease expired: asks Redis").isFalse();
      assertThat(SharedBudget.defaultLeaseSize(100)).isEqualTo(10);
      assertThat(SharedBudget.defaultLeaseSize(5)).isEqualTo(1);
      assertThat(SharedBudget.defaultLeaseSize(1_000_000)).isEqualTo(20);
    } finally {
      redis.close();
    }
  }

  @Test
  void aSilentRedisFailsOpenOnceThenIsSkippedForThePause(Vertx vertx) throws Exception {
    // Accepts connections and never answers.
    NetServer silent =
        vertx
            .createNetServer()
            .connectHandler(socket -> socket.handler(b -> {}))
            .listen(0, "127.0.0.1")
            .await(5, TimeUnit.SECONDS);
    Redis redis =
        Redis.createClient(
            vertx,
            new RedisOptions().setConnectionString("redis://127.0.0.1:" + silent.actualPort()));
    AtomicLong now = new AtomicLong(System.nanoTime());
    try {
      SharedBudget budget =
          new SharedBudget(vertx, redis, "x:", 1, 1, Duration.ofMillis(100), 1, now::get);
      long started = System.nanoTime();
      assertThat(budget.tryAcquire("c").await(5, TimeUnit.SECONDS)).isZero();
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isBetween(90L, 4000L);
      // Paused: answered at once, without a round trip, and admitted.
      for (int i = 0; i < 100; i++) {
        var f = budget.tryAcquire("c");
        assertThat(f.isComplete()).isTrue();
        assertThat(f.result()).isZero();
      }
      // After the pause Redis is tried again (and times out again).
      now.addAndGet(SharedBudget.PAUSE.toNanos() + 1);
      assertThat(budget.tryAcquire("c").isComplete()).isFalse();
    } finally {
      redis.close();
      silent.close();
    }
  }

  private static long take(SharedBudget budget, String client) throws Exception {
    return budget.tryAcquire(client).await(5, TimeUnit.SECONDS);
  }
}
