package dev.tarifa.shared.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tarifa.shared.testing.TcpProxy;
import dev.tarifa.shared.testing.TestServers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** L2 behaviour against the real Redis; every test uses its own key prefix. */
class QuoteCacheRedisIT {
  private static final CachePolicy POLICY =
      new CachePolicy(
          Duration.ofSeconds(60),
          Duration.ofSeconds(30),
          Duration.ofMinutes(2),
          Duration.ofSeconds(10),
          0);

  private final List<Vertx> vertxes = new ArrayList<>();
  private final AtomicInteger originCalls = new AtomicInteger();
  private URI redisUrl;
  private String prefix;
  private Vertx vertx;
  private Redis raw;
  private ManualClock clock;

  @BeforeEach
  void setUp() {
    redisUrl = TestServers.redis();
    prefix = "tarifa-test:" + UUID.randomUUID() + ":";
    vertx = newVertx();
    raw = Redis.createClient(vertx, redisUrl.toString());
    // noon UTC of today: no entry of a test here reaches the midnight cap, whenever it runs
    long day = 86_400_000L;
    clock = new ManualClock(Math.floorDiv(System.currentTimeMillis(), day) * day + day / 2);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (Vertx v : vertxes) await(v.close());
  }

  private Vertx newVertx() {
    Vertx v = Vertx.vertx();
    vertxes.add(v);
    return v;
  }

  private CacheConfig config() {
    return CacheConfig.defaults()
        .withDefaultPolicy(POLICY)
        .withKeyPrefix(prefix)
        .withL2Timeout(Duration.ofSeconds(1))
        .withLease(Duration.ofSeconds(3), Duration.ofSeconds(5), Duration.ofMillis(10));
  }

  /** A "gateway": its own vert.x instance and Redis client. */
  private QuoteCache gateway(CacheConfig config, String redis) {
    Vertx v = newVertx();
    return QuoteCache.create(
        v,
        config,
        Redis.createClient(
            v, new RedisOptions().setConnectionString(redis).setMaxWaitingHandlers(4096)),
        clock,
        new SimpleMeterRegistry());
  }

  private QuoteCache gateway(CacheConfig config) {
    return gateway(config, redisUrl.toString());
  }

  static CacheKey key(String from) {
    return CacheKey.of("flights", Map.of("from", from, "to", "JFK"));
  }

  private Supplier<Future<OriginResponse>> origin(String text, String... tags) {
    return () -> {
      originCalls.incrementAndGet();
      return Future.succeededFuture(
          new OriginResponse(Buffer.buffer(text), "application/json", Set.of(tags), false));
    };
  }

  /** An origin answering after {@code ms} real milliseconds. */
  private Supplier<Future<OriginResponse>> slowOrigin(String text, long ms) {
    return () -> {
      originCalls.incrementAndGet();
      Promise<OriginResponse> p = Promise.promise();
      vertx.setTimer(
          ms,
          id ->
              p.complete(
                  new OriginResponse(Buffer.buffer(text), "application/json", Set.of(), false)));
      return p.future();
    };
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  private long exists(String redisKey) throws Exception {
    return await(raw.send(Request.cmd(Command.EXISTS).arg(redisKey))).toLong();
  }

  /** Waits (bounded) until the background L2 fill of {@code key} has landed. */
  private void awaitInRedis(CacheKey key) throws Exception {
    for (int i = 0; i < 500 && exists(prefix + "c2:" + key.value()) == 0; i++) Thread.sleep(10);
    assertThat(exists(prefix + "c2:" + key.value())).isEqualTo(1);
  }

  @Test
  void anL2HitFillsL1() throws Exception {
    QuoteCache a = gateway(config());
    QuoteCache b = gateway(config());
    assertThat(await(a.get(key("FRA"), origin("v1"))).result()).isEqualTo(CacheResult.MISS);
    awaitInRedis(key("FRA"));

    Lookup fromL2 = await(b.get(key("FRA"), origin("never")));
    assertThat(fromL2.result()).isEqualTo(CacheResult.HIT_L2);
    assertThat(fromL2.response().body().toString()).isEqualTo("v1");
    assertThat(await(b.get(key("FRA"), origin("never"))).result()).isEqualTo(CacheResult.HIT_L1);
    assertThat(originCalls).hasValue(1);
    assertThat(b.l2Status()).isEqualTo(L2Status.UP);
    assertThat(exists(prefix + "l:" + key("FRA").value())).as("lease released").isZero();
  }

  @Test
  void twoGatewaysMakeOneOriginCallFor500ConcurrentColdLookups() throws Exception {
    QuoteCache a = gateway(config());
    QuoteCache b = gateway(config());
    List<Future<Lookup>> all = new ArrayList<>();
    for (int i = 0; i < 500; i++)
      all.add((i % 2 == 0 ? a : b).get(key("FRA"), slowOrigin("one", 300)));
    List<Lookup> answers = new ArrayList<>();
    for (Future<Lookup> f : all) answers.add(await(f));

    assertThat(originCalls).hasValue(1);
    assertThat(answers).extracting(l -> l.response().body().toString()).containsOnly("one");
    assertThat(answers).filteredOn(l -> l.result() == CacheResult.MISS).hasSize(1);
    assertThat(answers).filteredOn(l -> l.result() == CacheResult.COALESCED).hasSize(499);
    assertThat(a.stats().originCalls() + b.stats().originCalls()).isEqualTo(1);
  }

  @Test
  void whenTheLeaderDiesExactlyOneWaiterTakesOverAndAllAreAnswered() throws Exception {
    CacheConfig cfg =
        config().withLease(Duration.ofMillis(1000), Duration.ofSeconds(5), Duration.ofMillis(10));
    QuoteCache leader = gateway(cfg.withOriginTimeout(Duration.ofSeconds(60)));
    QuoteCache b = gateway(cfg);
    QuoteCache c = gateway(cfg);
    // connect the waiters' Redis clients first, so they reach Redis while the dead leader's lease
    // still stands
    await(b.get(key("WARM-B"), origin("warm")));
    await(c.get(key("WARM-C"), origin("warm")));
    originCalls.set(0);

    AtomicInteger leaderCalls = new AtomicInteger();
    Future<Lookup> hung =
        leader.get(
            key("FRA"),
            () -> {
              leaderCalls.incrementAndGet();
              return Promise.<OriginResponse>promise().future(); // never completes, never releases
            });
    for (int i = 0; i < 500 && leaderCalls.get() == 0; i++) Thread.sleep(5);
    assertThat(leaderCalls).hasValue(1);
    assertThat(exists(prefix + "l:" + key("FRA").value()))
        .as("the dead leader's lease")
        .isEqualTo(1);

    List<Future<Lookup>> waiters = new ArrayList<>();
    for (int i = 0; i < 100; i++)
      waiters.add((i % 2 == 0 ? b : c).get(key("FRA"), slowOrigin("taken-over", 50)));
    List<Lookup> answers = new ArrayList<>();
    for (Future<Lookup> f : waiters) answers.add(await(f));

    assertThat(answers).extracting(l -> l.response().body().toString()).containsOnly("taken-over");
    assertThat(originCalls).as("origin calls by the waiters").hasValue(1);
    assertThat(b.stats().leaseTakeovers() + c.stats().leaseTakeovers()).isEqualTo(1);
    assertThat(hung.isComplete()).isFalse();
  }

  /** Polls every 3 s: only the fill notification can answer the waiter well within that. */
  private CacheConfig slowPolling() {
    return config()
        .withLease(Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(3));
  }

  private static void awaitSubscribed(QuoteCache... caches) throws Exception {
    for (QuoteCache c : caches) {
      for (int i = 0; i < 500 && !c.fillNotificationsSubscribed(); i++) Thread.sleep(10);
      assertThat(c.fillNotificationsSubscribed()).as("fill notifications subscribed").isTrue();
    }
  }

  @Test
  void aWaitingReplicaIsAnsweredWhenTheFillLandsNotAtItsNextPoll() throws Exception {
    QuoteCache a = gateway(slowPolling());
    QuoteCache b = gateway(slowPolling());
    awaitSubscribed(a, b);
    Future<Lookup> leader = a.get(key("FRA"), slowOrigin("filled", 300));
    for (int i = 0; i < 500 && exists(prefix + "l:" + key("FRA").value()) == 0; i++)
      Thread.sleep(5);

    long start = System.nanoTime();
    Lookup waiter = await(b.get(key("FRA"), origin("never")));
    long waitedMs = (System.nanoTime() - start) / 1_000_000;

    assertThat(await(leader).result()).isEqualTo(CacheResult.MISS);
    assertThat(waiter.result()).isEqualTo(CacheResult.COALESCED);
    assertThat(waiter.response().body().toString()).isEqualTo("filled");
    assertThat(waitedMs).as("woken by the notification, not by the 3 s poll").isLessThan(2_000);
    assertThat(originCalls).hasValue(1);
  }

  @Test
  void aLeaderThatFailsReleasesTheLeaseAndAWaiterTakesOverAtOnce() throws Exception {
    QuoteCache a = gateway(slowPolling());
    QuoteCache b = gateway(slowPolling());
    awaitSubscribed(a, b);
    Promise<OriginResponse> failing = Promise.promise();
    Future<Lookup> leader =
        a.get(
            key("FRA"),
            () -> {
              originCalls.incrementAndGet();
              return failing.future();
            });
    for (int i = 0; i < 500 && exists(prefix + "l:" + key("FRA").value()) == 0; i++)
      Thread.sleep(5);

    long start = System.nanoTime();
    Future<Lookup> waiter = b.get(key("FRA"), origin("second"));
    Thread.sleep(200); // the waiter is parked on the lease
    vertx.runOnContext(v -> failing.fail(new IllegalStateException("origin down")));
    Lookup taken = await(waiter);
    long waitedMs = (System.nanoTime() - start) / 1_000_000;

    assertThat(
            leader
                .toCompletionStage()
                .toCompletableFuture()
                .handle((l, e) -> e)
                .get(20, TimeUnit.SECONDS))
        .hasMessageContaining("origin down");
    assertThat(taken.result()).isEqualTo(CacheResult.MISS);
    assertThat(taken.response().body().toString()).isEqualTo("second");
    assertThat(b.stats().leaseTakeovers()).isEqualTo(1);
    assertThat(waitedMs).as("woken by the release, not by the 3 s poll").isLessThan(2_000);
  }

  @Test
  void aWaiterGivesUpAfterTheWaitBoundAndCallsTheOriginItself() throws Exception {
    // a lease held by someone who will never fill it within the wait bound
    await(
        raw.send(
            Request.cmd(Command.SET)
                .arg(prefix + "l:" + key("FRA").value())
                .arg("foreign")
                .arg("PX")
                .arg(60_000)));
    QuoteCache a =
        gateway(
            config()
                .withLease(Duration.ofSeconds(3), Duration.ofMillis(200), Duration.ofMillis(20)));
    Lookup l = await(a.get(key("FRA"), origin("own")));
    assertThat(l.result()).isEqualTo(CacheResult.MISS);
    assertThat(l.response().body().toString()).isEqualTo("own");
    assertThat(originCalls).hasValue(1);
    assertThat(a.stats().leaseTakeovers()).isZero();
    awaitInRedis(key("FRA"));
    assertThat(
            await(raw.send(Request.cmd(Command.GET).arg(prefix + "l:" + key("FRA").value())))
                .toString())
        .as("someone else's lease is left alone")
        .isEqualTo("foreign");
  }

  @Test
  void withRedisUnreachableLookupsSucceedAndAnOpenBreakerSkipsRedisUntilItRecovers()
      throws Exception {
    TcpProxy proxy = await(new TcpProxy(vertx, redisUrl.getHost(), redisUrl.getPort()).start());
    CacheConfig cfg = config().withBreaker(2, Duration.ofSeconds(5));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Vertx v = newVertx();
    Redis client = Redis.createClient(v, "redis://127.0.0.1:" + proxy.port());
    await(
        client.send(
            Request.cmd(Command.PING))); // connected before the cache's first bounded command
    QuoteCache a = QuoteCache.create(v, cfg, client, clock, registry);
    assertThat(await(a.get(key("FRA"), origin("warm"))).result()).isEqualTo(CacheResult.MISS);
    assertThat(a.l2Status()).isEqualTo(L2Status.UP);
    assertThat(registry.get("tarifa.cache.l2.breaker.state").gauge().value())
        .as("breaker gauge, closed")
        .isZero();

    proxy.cut();
    assertThat(await(a.get(key("FRA"), origin("x"))).result()).isEqualTo(CacheResult.HIT_L1);
    for (int i = 0; i < 3; i++) {
      assertThat(await(a.get(key("K" + i), origin("o" + i))).result()).isEqualTo(CacheResult.MISS);
    }
    assertThat(a.l2Status()).isEqualTo(L2Status.DEGRADED);
    assertThat(registry.get("tarifa.cache.l2.breaker.state").gauge().value())
        .as("breaker gauge, open")
        .isEqualTo(2.0);

    // Counted when sent: a command already in flight when the breaker opened may still complete
    // (and be timed) later.
    long redisCommands = a.l2CommandsSent();
    int before = originCalls.get();
    for (int i = 10; i < 30; i++) {
      Lookup l = await(a.get(key("K" + i), origin("o" + i)));
      assertThat(l.result()).isEqualTo(CacheResult.MISS);
    }
    assertThat(originCalls.get() - before).isEqualTo(20);
    assertThat(a.l2CommandsSent())
        .as("no Redis command sent while the breaker is open")
        .isEqualTo(redisCommands);

    proxy.restore();
    // past the reset period, the next command is the half-open probe; the Redis client reconnects
    // in real time, so probes are retried (each after a reset period) for up to ~10 s
    awaitL2Up(a);
    assertThat(registry.get("tarifa.cache.l2.breaker.state").gauge().value())
        .as("breaker gauge, closed again")
        .isZero();
    await(proxy.close());
  }

  /** The stored form of an entry as Redis holds it, or null. */
  /**
   * A replica's fills while Redis was away reached only its own L1; without a second attempt the
   * other replicas found nothing in Redis for those keys, not even a stale-if-error fallback.
   */
  @Test
  void fillsMadeWhileRedisWasAwayAreWrittenOnceItAnswersAndOnlyAsFallbackIfEvictedSince()
      throws Exception {
    TcpProxy proxy = await(new TcpProxy(vertx, redisUrl.getHost(), redisUrl.getPort()).start());
    QuoteCache a = behind(proxy);

    proxy.cut();
    for (int i = 0; i < 3; i++) {
      Lookup l = await(a.get(key("K" + i), origin("while away " + i, "route:K" + i + "-JFK")));
      assertThat(l.result()).isEqualTo(CacheResult.MISS);
    }
    assertThat(a.l2Status()).isEqualTo(L2Status.DEGRADED);
    // K2's price changes while Redis is away: its pending fill predates the change
    a.evictTag("route:K2-JFK").otherwiseEmpty().toCompletionStage().toCompletableFuture().get();

    proxy.restore();
    awaitL2Up(a);
    awaitInRedis(key("K0"));
    awaitInRedis(key("K1"));

    QuoteCache b = gateway(config());
    for (int i = 0; i < 2; i++) {
      Lookup l = await(b.get(key("K" + i), origin("never")));
      assertThat(l.result()).isEqualTo(CacheResult.HIT_L2);
      assertThat(l.response().body().toString()).isEqualTo("while away " + i);
    }
    // K2, evicted since, is written as the fallback a soft eviction leaves: never fresh
    awaitInRedis(key("K2"));
    Lookup down =
        await(
            b.get(key("K2"), () -> Future.failedFuture(new IllegalStateException("origin down"))));
    assertThat(down.result()).isEqualTo(CacheResult.STALE);
    assertThat(down.degraded()).isTrue();
    assertThat(down.response().body().toString()).isEqualTo("while away 2");
    QuoteCache c = gateway(config());
    assertThat(await(c.get(key("K2"), origin("new price", "route:K2-JFK"))).result())
        .isEqualTo(CacheResult.MISS);
    await(proxy.close());
  }

  @Test
  void aBacklogOfFillsDrainsAFewAtATimeOnceRedisIsBack() throws Exception {
    TcpProxy proxy = await(new TcpProxy(vertx, redisUrl.getHost(), redisUrl.getPort()).start());
    QuoteCache a = behind(proxy);

    proxy.cut();
    int fills = 300;
    for (int i = 0; i < fills; i++)
      await(a.get(key("B" + i), origin("while away " + i, "route:B" + i + "-JFK")));
    assertThat(a.l2Status()).isEqualTo(L2Status.DEGRADED);

    proxy.restore();
    awaitL2Up(a);
    for (int i = 0; i < fills; i++) awaitInRedis(key("B" + i));
    // all written, never more than a few at once beside the lookups (a burst of hundreds made
    // lookups wait past the L2 timeout and opened the breaker again)
    assertThat(a.mostRefillsInFlight()).isBetween(1, QuoteCache.REFILL_CONCURRENCY).isLessThan(10);
    await(proxy.close());
  }

  /** A gateway reaching Redis through {@code proxy}, its breaker opening after 2 failures. */
  private QuoteCache behind(TcpProxy proxy) throws Exception {
    Vertx v = newVertx();
    Redis client = Redis.createClient(v, "redis://127.0.0.1:" + proxy.port());
    await(client.send(Request.cmd(Command.PING)));
    return QuoteCache.create(
        v,
        config().withBreaker(2, Duration.ofSeconds(5)),
        client,
        clock,
        new SimpleMeterRegistry());
  }

  /** Moves the clock past the breaker's open time and looks up until its probe closes it. */
  private void awaitL2Up(QuoteCache a) throws Exception {
    clock.advance(5_000);
    for (int i = 0; i < 100 && a.l2Status() != L2Status.UP; i++) {
      await(a.get(key("R" + i), origin("r")));
      if (a.l2Status() != L2Status.UP) {
        Thread.sleep(100);
        clock.advance(5_000);
      }
    }
    assertThat(a.l2Status()).isEqualTo(L2Status.UP);
  }

  private Buffer stored(String redisKey) throws Exception {
    var r = await(raw.send(Request.cmd(Command.GET).arg(redisKey)));
    return r == null ? null : r.toBuffer();
  }

  /**
   * Whether Redis holds the entry marked invalidated (soft eviction): its state byte, read as the
   * scripts do.
   */
  private boolean invalidatedInRedis(String redisKey) throws Exception {
    Buffer b = stored(redisKey);
    assertThat(b).as("entry %s in Redis", redisKey).isNotNull();
    return b.getByte(CachedResponse.STATE_OFFSET) == CachedResponse.STATE_INVALIDATED;
  }

  @Test
  void evictTagInvalidatesL2EntriesSoftlyAndDeletesTheTagSet() throws Exception {
    QuoteCache a = gateway(config());
    QuoteCache b = gateway(config());
    await(a.get(key("FRA"), origin("a", "route:FRA-JFK")));
    await(a.get(key("MUC"), origin("b", "route:FRA-JFK", "route:MUC-FRA")));
    await(a.get(key("CDG"), origin("c", "route:CDG-JFK")));
    for (String k : List.of("FRA", "MUC", "CDG")) awaitInRedis(key(k));
    assertThat(exists(prefix + "t2:route:FRA-JFK")).isEqualTo(1);

    assertThat(await(a.evictTag("route:FRA-JFK"))).isEqualTo(4); // 2 in L1 + 2 in Redis
    assertThat(exists(prefix + "t2:route:FRA-JFK")).isZero();
    // kept as stale-if-error fallbacks, never fresh again
    assertThat(exists(prefix + "c2:" + key("FRA").value())).isEqualTo(1);
    assertThat(invalidatedInRedis(prefix + "c2:" + key("FRA").value())).isTrue();
    assertThat(invalidatedInRedis(prefix + "c2:" + key("MUC").value())).isTrue();
    assertThat(invalidatedInRedis(prefix + "c2:" + key("CDG").value())).isFalse();
    assertThat(await(a.evictTag("route:FRA-JFK"))).isZero();

    assertThat(await(b.get(key("FRA"), origin("a2"))).result()).isEqualTo(CacheResult.MISS);
    assertThat(await(b.get(key("CDG"), origin("never"))).result()).isEqualTo(CacheResult.HIT_L2);
  }

  @Test
  void afterASoftEvictionAFailingOriginGetsTheLabelledOldAnswerThenTheNewPriceOnceItIsBack()
      throws Exception {
    QuoteCache a = gateway(config());
    QuoteCache b = gateway(config());
    await(a.get(key("FRA"), origin("old price", "route:FRA-JFK")));
    awaitInRedis(key("FRA"));
    assertThat(await(b.get(key("FRA"), origin("never"))).result()).isEqualTo(CacheResult.HIT_L2);

    await(a.evictTag("route:FRA-JFK"));
    await(b.evictTag("route:FRA-JFK"));
    // a third replica with an empty L1: the fallback comes from Redis
    QuoteCache c = gateway(config());
    for (QuoteCache g : List.of(a, b, c)) {
      Lookup l =
          await(
              g.get(
                  key("FRA"),
                  () -> {
                    originCalls.incrementAndGet();
                    return Future.failedFuture(new IllegalStateException("origin down"));
                  }));
      assertThat(l.result()).isEqualTo(CacheResult.STALE);
      assertThat(l.degraded()).isTrue();
      assertThat(l.response().body().toString()).isEqualTo("old price");
    }

    Lookup fresh = await(c.get(key("FRA"), origin("new price", "route:FRA-JFK")));
    assertThat(fresh.result()).isEqualTo(CacheResult.MISS);
    assertThat(fresh.response().body().toString()).isEqualTo("new price");
    for (int i = 0;
        i < 500
            && !"new price"
                .equals(
                    await(b.get(key("FRA"), origin("new price", "route:FRA-JFK")))
                        .response()
                        .body()
                        .toString());
        i++) {
      Thread.sleep(10);
    }
    for (QuoteCache g : List.of(a, b, c)) {
      Lookup l =
          await(
              g.get(
                  key("FRA"), () -> Future.failedFuture(new IllegalStateException("origin down"))));
      assertThat(l.response().body().toString())
          .as("never the old price again")
          .isEqualTo("new price");
      assertThat(l.degraded()).isFalse();
    }
  }

  /**
   * One chain of lookups on {@code ctx}: each starts when the previous answered, until {@code
   * stop}; a lookup issued after {@code evicted} was set must not answer {@code old} as fresh.
   */
  private void chain(
      io.vertx.core.Context ctx,
      QuoteCache cache,
      List<CacheKey> ks,
      int n,
      String tag,
      String old,
      String fresh,
      java.util.concurrent.atomic.AtomicBoolean changed,
      java.util.concurrent.atomic.AtomicBoolean evicted,
      java.util.concurrent.atomic.AtomicBoolean stop,
      java.util.concurrent.atomic.AtomicLong after,
      List<String> violations,
      Promise<Void> done) {
    if (stop.get()) {
      done.tryComplete();
      return;
    }
    boolean issuedAfter = evicted.get();
    // the origin answers the old price (slowly) when called before the change's event was received,
    // else the new one
    Supplier<Future<OriginResponse>> origin =
        () -> {
          if (changed.get()) return origin(fresh, tag).get();
          Promise<OriginResponse> p = Promise.promise();
          ctx.owner()
              .setTimer(
                  40,
                  id ->
                      p.complete(
                          new OriginResponse(
                              Buffer.buffer(old), "application/json", Set.of(tag), false)));
          return p.future();
        };
    cache
        .get(ks.get(n % ks.size()), origin)
        .onComplete(
            ar -> {
              if (ar.failed()) violations.add(ar.cause().toString());
              else if (issuedAfter) {
                after.incrementAndGet();
                if (ar.result().response().body().toString().equals(old)
                    && !ar.result().degraded()) {
                  violations.add(tag + " " + ar.result().result());
                }
              }
              ctx.runOnContext(
                  v ->
                      chain(
                          ctx,
                          cache,
                          ks,
                          n + 1,
                          tag,
                          old,
                          fresh,
                          changed,
                          evicted,
                          stop,
                          after,
                          violations,
                          done));
            });
  }

  @Test
  void afterEvictTagCompletesNoLookupOnThatReplicaAnswersTheOldEntryAsFresh() throws Exception {
    QuoteCache a = gateway(config());
    // b as a gateway runs: lookups on several event loops, the invalidation consumer on another
    Vertx vb = newVertx();
    QuoteCache b =
        QuoteCache.create(
            vb,
            config(),
            Redis.createClient(
                vb,
                new RedisOptions()
                    .setConnectionString(redisUrl.toString())
                    .setMaxWaitingHandlers(4096)
                    .setMaxPoolSize(8)
                    .setMaxPoolWaiting(1024)),
            clock,
            new SimpleMeterRegistry());
    List<io.vertx.core.Context> loops = new ArrayList<>();
    for (int i = 0; i < 4; i++) loops.add(vb.getOrCreateContext());
    io.vertx.core.Context consumer = vb.getOrCreateContext();
    int keys = 8;
    List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
    java.util.concurrent.atomic.AtomicLong afterEviction =
        new java.util.concurrent.atomic.AtomicLong();
    for (int trial = 0; trial < 20; trial++) {
      String tag = "route:T" + trial;
      String old = "old-" + trial;
      String fresh = "new-" + trial;
      List<CacheKey> ks = new ArrayList<>();
      for (int i = 0; i < keys; i++) ks.add(key("K" + trial + "-" + i));
      // half of the keys cached (in Redis and b's L1), half cold: loads of the old answer run when
      // the event arrives
      for (CacheKey k : ks.subList(0, keys / 2)) await(a.get(k, origin(old, tag)));
      for (CacheKey k : ks.subList(0, keys / 2)) awaitInRedis(k);
      for (CacheKey k : ks.subList(0, keys / 2)) await(b.get(k, origin(old, tag)));

      java.util.concurrent.atomic.AtomicBoolean changed =
          new java.util.concurrent.atomic.AtomicBoolean();
      java.util.concurrent.atomic.AtomicBoolean evicted =
          new java.util.concurrent.atomic.AtomicBoolean();
      java.util.concurrent.atomic.AtomicBoolean stop =
          new java.util.concurrent.atomic.AtomicBoolean();
      List<Future<Void>> chains = new ArrayList<>();
      for (int c = 0; c < 16; c++) {
        io.vertx.core.Context ctx = loops.get(c % loops.size());
        Promise<Void> done = Promise.promise();
        chains.add(done.future());
        int first = c;
        ctx.runOnContext(
            v ->
                chain(
                    ctx,
                    b,
                    ks,
                    first,
                    tag,
                    old,
                    fresh,
                    changed,
                    evicted,
                    stop,
                    afterEviction,
                    violations,
                    done));
      }
      Thread.sleep(10);
      // both replicas handle the change's event; b's Redis eviction races b's lookups
      changed.set(true); // the change committed; its event is on its way
      Future<Long> onA = a.evictTag(tag);
      Promise<Long> onB = Promise.promise();
      consumer.runOnContext(
          v ->
              b.evictTag(tag)
                  .onComplete(
                      ar -> {
                        evicted.set(true);
                        onB.handle(ar);
                      }));
      await(onB.future());
      await(onA);
      Thread.sleep(100);
      stop.set(true);
      for (Future<Void> f : chains) await(f);
    }
    assertThat(afterEviction.get()).as("lookups issued after the eviction").isGreaterThan(100);
    assertThat(violations).as("old answers served as fresh after evictTag completed").isEmpty();
  }

  @Test
  void afterAFailedRedisEvictionTheTagsRedisEntriesAreNotTrustedAsFresh() throws Exception {
    QuoteCache a = gateway(config());
    await(a.get(key("FRA"), origin("old price", "route:FRA-JFK")));
    awaitInRedis(key("FRA"));
    TcpProxy proxy = await(new TcpProxy(vertx, redisUrl.getHost(), redisUrl.getPort()).start());
    Vertx v = newVertx();
    Redis client = Redis.createClient(v, "redis://127.0.0.1:" + proxy.port());
    await(client.send(Request.cmd(Command.PING)));
    QuoteCache b =
        QuoteCache.create(
            v,
            config().withL2Timeout(Duration.ofMillis(300)),
            client,
            clock,
            new SimpleMeterRegistry());

    proxy.cut();
    assertThat(
            b.evictTag("route:FRA-JFK")
                .toCompletionStage()
                .toCompletableFuture()
                .handle((n, e) -> e)
                .get(20, TimeUnit.SECONDS))
        .as("the Redis eviction failed")
        .isNotNull();
    proxy.restore();
    // wait until b reads Redis again: an entry of another tag comes back as an L2 hit
    boolean redisBack = false;
    for (int i = 0; i < 100 && !redisBack; i++) {
      await(a.get(key("P" + i), origin("probe", "probe")));
      awaitInRedis(key("P" + i));
      redisBack = await(b.get(key("P" + i), origin("probe"))).result() == CacheResult.HIT_L2;
      if (!redisBack) Thread.sleep(100);
    }
    assertThat(redisBack).as("b reads Redis again").isTrue();

    // Redis still holds the old entry as fresh (the eviction never reached it); b must not answer
    // it as fresh
    Lookup l = await(b.get(key("FRA"), origin("new price", "route:FRA-JFK")));
    assertThat(l.response().body().toString()).isEqualTo("new price");
    assertThat(l.result()).isEqualTo(CacheResult.MISS);
    await(proxy.close());
  }

  @Test
  void aBurstOfFiftyEvictionsCostsAFewRedisCommands() throws Exception {
    Vertx v = newVertx();
    QuoteCache a =
        QuoteCache.create(
            v,
            config(),
            Redis.createClient(v, new RedisOptions().setConnectionString(redisUrl.toString())),
            clock,
            new SimpleMeterRegistry());
    for (int i = 0; i < 50; i++) await(a.get(key("B" + i), origin("v" + i, "hotel:" + i)));
    for (int i = 0; i < 50; i++) awaitInRedis(key("B" + i));

    long before = a.l2CommandsSent();
    // The burst is issued in one event-loop task, as a batch of delivered events is handled: the
    // batching timer
    // cannot fire before the task ends, so what is counted is the batching, not how fast this
    // thread ran (from the
    // test thread, a pause of more than the 2 ms window on a busy machine split the burst).
    Promise<List<Future<Long>>> issued = Promise.promise();
    v.runOnContext(
        x -> {
          List<Future<Long>> all = new ArrayList<>();
          for (int i = 0; i < 50; i++) all.add(a.evictTag("hotel:" + i));
          issued.complete(all);
        });
    List<Future<Long>> evictions = await(issued.future());
    for (Future<Long> f : evictions) assertThat(await(f)).as("L1 and Redis").isEqualTo(2);
    assertThat(a.l2CommandsSent() - before).as("Redis commands for 50 evictions").isBetween(1L, 3L);
    assertThat(a.l2Status()).isEqualTo(L2Status.UP);
    for (int i = 0; i < 50; i++) {
      assertThat(exists(prefix + "t2:hotel:" + i)).isZero();
      assertThat(invalidatedInRedis(prefix + "c2:" + key("B" + i).value())).isTrue();
    }
    QuoteCache b = gateway(config());
    assertThat(await(b.get(key("B7"), origin("v7'"))).result()).isEqualTo(CacheResult.MISS);
  }

  @Test
  void aBurstNamingTheSameTagsOverAndOverSendsEachTagOnceAndAnswersEveryCaller() throws Exception {
    Vertx v = newVertx();
    QuoteCache a =
        QuoteCache.create(
            v,
            config(),
            Redis.createClient(v, new RedisOptions().setConnectionString(redisUrl.toString())),
            clock,
            new SimpleMeterRegistry());
    for (int i = 0; i < 3; i++) await(a.get(key("D" + i), origin("v" + i, "flights:D-JFK")));
    for (int i = 0; i < 3; i++) awaitInRedis(key("D" + i));

    long before = a.l2CommandsSent();
    Promise<List<Future<Long>>> issued = Promise.promise();
    v.runOnContext(
        x -> {
          List<Future<Long>> all = new ArrayList<>();
          // 300 events of the same leg: 300 × the same tag, more than one script's worth
          for (int i = 0; i < 300; i++) all.add(a.evictTag("flights:D-JFK"));
          issued.complete(all);
        });
    long total = 0;
    for (Future<Long> f : await(issued.future())) total += await(f);
    assertThat(total).as("3 in L1 and 3 in Redis, each counted once").isEqualTo(6);
    assertThat(a.l2CommandsSent() - before).as("one script for one distinct tag").isEqualTo(1);
    for (int i = 0; i < 3; i++)
      assertThat(invalidatedInRedis(prefix + "c2:" + key("D" + i).value())).isTrue();
  }

  /** A JSON-like answer of several KB, compressible. */
  static String largeBody(String marker) {
    StringBuilder sb =
        new StringBuilder("{\"marker\":\"").append(marker).append("\",\"results\":[");
    for (int i = 0; i < 60; i++)
      sb.append(i == 0 ? "" : ",")
          .append("{\"id\":\"LH-")
          .append(400 + i)
          .append("\",\"price\":{\"amount\":")
          .append(41_000 + 37 * i)
          .append(",\"currency\":\"EUR\"},\"cabin\":\"economy\"}");
    return sb.append("]}").toString();
  }

  static String gunzip(Buffer gz) throws Exception {
    try (var in =
        new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz.getBytes()))) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  @Test
  void anL2HitServesBothRepresentationsFromTheStoredFormAndFillsL1() throws Exception {
    QuoteCache a = gateway(config());
    QuoteCache b = gateway(config());
    String text = largeBody("round trip");
    Lookup filled = await(a.get(key("FRA"), origin(text, "route:FRA-JFK", "airline:LH")));
    assertThat(filled.response().gzipBody()).as("made once, at the fill").isNotNull();
    awaitInRedis(key("FRA"));
    Buffer raw = stored(prefix + "c2:" + key("FRA").value());
    assertThat(raw.getByte(0)).as("format version").isEqualTo(CachedResponse.FORMAT_VERSION);
    // the stored form ends with the two bodies exactly as they are written to clients
    int gz = filled.response().gzipBody().length();
    assertThat(raw.getBuffer(raw.length() - gz, raw.length()))
        .isEqualTo(filled.response().gzipBody());
    assertThat(raw.getBuffer(raw.length() - gz - text.length(), raw.length() - gz).toString())
        .isEqualTo(text);

    Lookup hit = await(b.get(key("FRA"), origin("never")));
    assertThat(hit.result()).isEqualTo(CacheResult.HIT_L2);
    CachedResponse r = hit.response();
    assertThat(r.body().toString()).isEqualTo(text);
    assertThat(gunzip(r.gzipBody())).isEqualTo(text);
    assertThat(r.etag()).isEqualTo(filled.response().etag());
    assertThat(r.gzipEtag())
        .isEqualTo(filled.response().gzipEtag())
        .isEqualTo(CachedResponse.gzipEtag(r.etag()))
        .isNotEqualTo(r.etag());
    assertThat(r.tags()).containsExactlyInAnyOrder("route:FRA-JFK", "airline:LH");
    assertThat(r.softExpiresAt()).isEqualTo(filled.response().softExpiresAt());
    assertThat(r.staleIfErrorUntil()).isEqualTo(filled.response().staleIfErrorUntil());
    Lookup again = await(b.get(key("FRA"), origin("never")));
    assertThat(again.result()).isEqualTo(CacheResult.HIT_L1);
    assertThat(gunzip(again.response().gzipBody())).isEqualTo(text);
    assertThat(originCalls.get()).isEqualTo(1);
  }

  @Test
  void entriesOfTheEarlierFormatOrUnreadableOnesAreMissesNotErrors() throws Exception {
    QuoteCache a = gateway(config());
    // what the previous version left: a hash entry at c:, its tag set at t:
    await(
        raw.send(
            Request.cmd(Command.HSET)
                .arg(prefix + "c:" + key("FRA").value())
                .arg("v")
                .arg("old")
                .arg("s")
                .arg(Long.MAX_VALUE / 2)
                .arg("h")
                .arg(Long.MAX_VALUE / 2)
                .arg("n")
                .arg(0)));
    await(
        raw.send(
            Request.cmd(Command.SADD)
                .arg(prefix + "t:route:FRA-JFK")
                .arg(prefix + "c:" + key("FRA").value())));
    // and garbage where this version reads
    await(
        raw.send(
            Request.cmd(Command.SET).arg(prefix + "c2:" + key("MUC").value()).arg("not an entry")));

    assertThat(await(a.get(key("FRA"), origin("new", "route:FRA-JFK"))).result())
        .isEqualTo(CacheResult.MISS);
    assertThat(await(a.get(key("MUC"), origin("new too"))).result()).isEqualTo(CacheResult.MISS);
    awaitInRedis(key("FRA"));
    // an eviction by tag ignores the earlier format's sets and entries
    assertThat(await(a.evictTag("route:FRA-JFK"))).isEqualTo(2);
    assertThat(exists(prefix + "t:route:FRA-JFK")).isEqualTo(1);
    assertThat(a.l2Status()).isEqualTo(L2Status.UP);
    QuoteCache b = gateway(config());
    for (int i = 0; i < 500 && !"new too".equals(bodyInRedis(key("MUC"))); i++) Thread.sleep(10);
    assertThat(await(b.get(key("MUC"), origin("never"))).result())
        .as("the garbage was replaced by the fill")
        .isEqualTo(CacheResult.HIT_L2);
  }

  private String bodyInRedis(CacheKey key) throws Exception {
    Buffer b = stored(prefix + "c2:" + key.value());
    try {
      return b == null ? null : CachedResponse.deserialize(b).body().toString();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * The key's first load raced a change (a fare change evicted one of its tags while it loaded): it
   * answered its callers and was kept in no layer as fresh, so when the origin failed next, every
   * replica had nothing to fall back on (the fault campaign's 503s on keys it had seen answered).
   */
  @Test
  void aFirstLoadRacedByAnEvictionIsEveryReplicasFallbackButNeverFresh() throws Exception {
    QuoteCache a = gateway(config());
    QuoteCache b = gateway(config());
    Promise<OriginResponse> slow = Promise.promise();
    Future<Lookup> first = a.get(key("FRA"), slow::future);
    await(a.evictTag("route:FRA-JFK"));
    await(b.evictTag("route:FRA-JFK"));
    vertx.runOnContext(
        v ->
            slow.complete(
                new OriginResponse(
                    Buffer.buffer("old price"),
                    "application/json",
                    Set.of("route:FRA-JFK"),
                    false)));
    assertThat(await(first).response().body().toString()).isEqualTo("old price");
    awaitInRedis(key("FRA"));

    for (QuoteCache g : List.of(b, a)) {
      Lookup l =
          await(
              g.get(
                  key("FRA"), () -> Future.failedFuture(new IllegalStateException("origin down"))));
      assertThat(l.result()).isEqualTo(CacheResult.STALE);
      assertThat(l.degraded()).isTrue();
      assertThat(l.response().body().toString()).isEqualTo("old price");
    }
    // never fresh: the next lookup with a working origin is a miss on a replica with an empty L1
    QuoteCache c = gateway(config());
    assertThat(await(c.get(key("FRA"), origin("new price", "route:FRA-JFK"))).result())
        .isEqualTo(CacheResult.MISS);
  }

  @Test
  void aRacedLoadNeverReplacesAnotherReplicasFillInRedis() throws Exception {
    QuoteCache a = gateway(config());
    // b waits 100 ms for a's lease, then loads and fills without it
    QuoteCache b =
        gateway(
            config()
                .withLease(Duration.ofSeconds(3), Duration.ofMillis(100), Duration.ofMillis(10)));
    Promise<OriginResponse> slow = Promise.promise();
    Future<Lookup> first = a.get(key("FRA"), slow::future);
    await(a.evictTag("route:FRA-JFK"));
    await(b.get(key("FRA"), origin("new price", "route:FRA-JFK")));
    awaitInRedis(key("FRA"));
    vertx.runOnContext(
        v ->
            slow.complete(
                new OriginResponse(
                    Buffer.buffer("old price"),
                    "application/json",
                    Set.of("route:FRA-JFK"),
                    false)));
    await(first);
    // the fallback fill releases a's lease in the same script: once the lease is gone, it has run
    String lease = prefix + "l:" + key("FRA").value();
    for (int i = 0; i < 500 && exists(lease) == 1; i++) Thread.sleep(10);
    assertThat(exists(lease)).isZero();
    QuoteCache c = gateway(config());
    Lookup l = await(c.get(key("FRA"), origin("never")));
    assertThat(l.result()).isEqualTo(CacheResult.HIT_L2);
    assertThat(l.response().body().toString()).isEqualTo("new price");
  }

  @Test
  void aSoftEvictedL2EntryAnswersDegradedInBothFormsWhenTheOriginFails() throws Exception {
    QuoteCache a = gateway(config());
    String text = largeBody("fallback");
    await(a.get(key("FRA"), origin(text, "route:FRA-JFK")));
    awaitInRedis(key("FRA"));
    assertThat(await(a.evictKey(key("FRA")))).isTrue();
    assertThat(invalidatedInRedis(prefix + "c2:" + key("FRA").value())).isTrue();

    QuoteCache b = gateway(config());
    Lookup l =
        await(
            b.get(key("FRA"), () -> Future.failedFuture(new IllegalStateException("origin down"))));
    assertThat(l.result()).isEqualTo(CacheResult.STALE);
    assertThat(l.degraded()).isTrue();
    assertThat(l.response().maxAgeSeconds(clock.getAsLong())).isZero();
    assertThat(l.response().body().toString()).isEqualTo(text);
    assertThat(gunzip(l.response().gzipBody())).isEqualTo(text);
    // never fresh again: the next lookup with a working origin is a miss
    assertThat(await(b.get(key("FRA"), origin("new"))).result()).isEqualTo(CacheResult.MISS);
  }
}
