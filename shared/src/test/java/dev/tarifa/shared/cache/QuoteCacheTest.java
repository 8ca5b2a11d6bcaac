package dev.tarifa.shared.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** L1-only behaviour of {@link QuoteCache} on a manual clock. */
class QuoteCacheTest {
  // 2023-11-14T22:13:20Z: every test below stays well before the next UTC midnight, except those
  // about the midnight cap, which set the clock themselves
  private static final long T0 = 1_700_000_000_000L;
  // fresh 60 s (no jitter unless a test sets it), SWR 30 s, SIE 10 min after soft expiry, negative
  // 10 s
  private static final CachePolicy POLICY =
      new CachePolicy(
          Duration.ofSeconds(60),
          Duration.ofSeconds(30),
          Duration.ofMinutes(10),
          Duration.ofSeconds(10),
          0);

  private static Vertx vertx;
  private ManualClock clock;
  private SimpleMeterRegistry registry;
  private QuoteCache cache;
  private final AtomicInteger originCalls = new AtomicInteger();

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void setUp() {
    clock = new ManualClock(T0);
    registry = new SimpleMeterRegistry();
    cache =
        QuoteCache.create(
            vertx, CacheConfig.defaults().withDefaultPolicy(POLICY), null, clock, registry);
  }

  static CacheKey key(String from) {
    return CacheKey.of("flights", Map.of("from", from, "to", "JFK", "date", "2026-12-01"));
  }

  static OriginResponse body(String text, String... tags) {
    return new OriginResponse(Buffer.buffer(text), "application/json", Set.of(tags), false);
  }

  Supplier<Future<OriginResponse>> origin(String text, String... tags) {
    return () -> {
      originCalls.incrementAndGet();
      return Future.succeededFuture(body(text, tags));
    };
  }

  Supplier<Future<OriginResponse>> failing() {
    return () -> {
      originCalls.incrementAndGet();
      return Future.failedFuture(new IllegalStateException("origin down"));
    };
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  double lookups(String result) {
    var c =
        registry
            .find("tarifa.cache.lookups")
            .tag("domain", "flights")
            .tag("result", result)
            .counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void freshEntryIsAnL1HitWithoutCallingTheOrigin() throws Exception {
    Lookup first = await(cache.get(key("FRA"), origin("{\"a\":1}")));
    clock.advance(59_999);
    Lookup second = await(cache.get(key("FRA"), origin("other")));

    assertThat(first.result()).isEqualTo(CacheResult.MISS);
    assertThat(second.result()).isEqualTo(CacheResult.HIT_L1);
    assertThat(second.result().header()).isEqualTo("HIT-L1");
    assertThat(second.response().body().toString()).isEqualTo("{\"a\":1}");
    assertThat(second.response().etag())
        .isEqualTo(first.response().etag())
        .startsWith("\"")
        .endsWith("\"");
    assertThat(second.response().age(clock.getAsLong())).isEqualTo(59);
    assertThat(originCalls).hasValue(1);
    assertThat(lookups("hit_l1")).isEqualTo(1);
    assertThat(lookups("miss")).isEqualTo(1);
    assertThat(
            registry.find("tarifa.cache.origin.calls").tag("domain", "flights").counter().count())
        .isEqualTo(1);
    assertThat(cache.stats().hitsL1()).isEqualTo(1);
    assertThat(cache.l2Status()).isEqualTo(L2Status.DISABLED);
  }

  @Test
  void l1KeepsItsOwnCopyOfTheBodyNotTheLargerBufferItCameIn() throws Exception {
    // an upstream body is often a slice of, or sits in, a larger buffer: L1 must not keep that
    // alive (its weigher counts the body's length only)
    Buffer reply = Buffer.buffer(new byte[64 * 1024]).setString(0, "{\"a\":1}");
    Buffer body = reply.slice(0, 7);
    await(
        cache.get(
            key("FRA"),
            () ->
                Future.succeededFuture(
                    new OriginResponse(body, "application/json", Set.of(), false))));
    reply.setString(0, "{\"b\":2}");

    Lookup hit = await(cache.get(key("FRA"), origin("other")));
    assertThat(hit.result()).isEqualTo(CacheResult.HIT_L1);
    assertThat(hit.response().body().toString()).isEqualTo("{\"a\":1}");
  }

  @Test
  void staleWithinSwrIsServedAtOnceAndExactlyOneBackgroundRefreshRuns() throws Exception {
    await(cache.get(key("FRA"), origin("v1")));
    clock.advance(60_000 + 5_000); // past fresh, within SWR

    Promise<OriginResponse> refresh = Promise.promise();
    AtomicInteger refreshCalls = new AtomicInteger();
    Supplier<Future<OriginResponse>> slow =
        () -> {
          refreshCalls.incrementAndGet();
          return refresh.future();
        };
    List<Lookup> answers = concurrently(100, () -> cache.get(key("FRA"), slow));

    assertThat(answers)
        .allSatisfy(
            l -> {
              assertThat(l.result()).isEqualTo(CacheResult.STALE);
              assertThat(l.degraded()).isFalse();
              assertThat(l.response().body().toString()).isEqualTo("v1");
            });
    assertThat(refreshCalls).hasValue(1);

    refresh.complete(body("v2"));
    Lookup after = await(cache.get(key("FRA"), slow));
    assertThat(after.result()).isEqualTo(CacheResult.HIT_L1);
    assertThat(after.response().body().toString()).isEqualTo("v2");
    assertThat(refreshCalls).hasValue(1);
    assertThat(lookups("stale")).isEqualTo(100);
  }

  @Test
  void pastSwrIsAMiss() throws Exception {
    await(cache.get(key("FRA"), origin("v1")));
    clock.advance(90_000); // soft + SWR reached exactly
    Lookup l = await(cache.get(key("FRA"), origin("v2")));
    assertThat(l.result()).isEqualTo(CacheResult.MISS);
    assertThat(l.response().body().toString()).isEqualTo("v2");
    assertThat(originCalls).hasValue(2);
  }

  @Test
  void originFailureWithinStaleIfErrorServesStaleDegraded() throws Exception {
    await(cache.get(key("FRA"), origin("v1")));
    clock.advance(60_000 + 9 * 60_000); // past SWR, within SIE (10 min after soft expiry)
    Lookup l = await(cache.get(key("FRA"), failing()));
    assertThat(l.result()).isEqualTo(CacheResult.STALE);
    assertThat(l.degraded()).isTrue();
    assertThat(l.response().body().toString()).isEqualTo("v1");
    assertThat(registry.find("tarifa.cache.degraded").tag("domain", "flights").counter().count())
        .isEqualTo(1);
    assertThat(
            registry
                .find("tarifa.cache.lookups")
                .tag("domain", "flights")
                .tag("result", "stale")
                .counter()
                .count())
        .isEqualTo(1);
  }

  @Test
  void originTimeoutWithinStaleIfErrorServesStaleDegraded() throws Exception {
    cache =
        QuoteCache.create(
            vertx,
            CacheConfig.defaults()
                .withDefaultPolicy(POLICY)
                .withOriginTimeout(Duration.ofMillis(50)),
            null,
            clock,
            registry);
    await(cache.get(key("FRA"), origin("v1")));
    clock.advance(100_000);
    Lookup l = await(cache.get(key("FRA"), () -> Promise.<OriginResponse>promise().future()));
    assertThat(l.result()).isEqualTo(CacheResult.STALE);
    assertThat(l.degraded()).isTrue();

    assertThatThrownBy(
            () -> await(cache.get(key("MUC"), () -> Promise.<OriginResponse>promise().future())))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(TimeoutException.class);
  }

  @Test
  void pastStaleIfErrorTheErrorPropagates() throws Exception {
    await(cache.get(key("FRA"), origin("v1")));
    clock.advance(60_000 + 10 * 60_000);
    assertThatThrownBy(() -> await(cache.get(key("FRA"), failing())))
        .isInstanceOf(ExecutionException.class)
        .hasRootCauseMessage("origin down");
  }

  @Test
  void failedOriginIsNotCachedAndTheNextCallSucceeds() throws Exception {
    assertThatThrownBy(() -> await(cache.get(key("FRA"), failing())))
        .isInstanceOf(ExecutionException.class);
    assertThatThrownBy(
            () ->
                await(
                    cache.get(
                        key("FRA"),
                        () -> {
                          throw new IllegalStateException("thrown");
                        })))
        .isInstanceOf(ExecutionException.class)
        .hasRootCauseMessage("thrown");
    Lookup l = await(cache.get(key("FRA"), origin("ok")));
    assertThat(l.result()).isEqualTo(CacheResult.MISS);
    assertThat(l.response().body().toString()).isEqualTo("ok");
    assertThat(cache.stats().l1Entries()).isEqualTo(1);
  }

  @Test
  void concurrentIdenticalMissesMakeExactlyOneOriginCall() throws Exception {
    Promise<OriginResponse> slow = Promise.promise();
    Supplier<Future<OriginResponse>> origin =
        () -> {
          originCalls.incrementAndGet();
          return slow.future();
        };
    List<Future<Lookup>> pending = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<CompletableFuture<Future<Lookup>>> calls = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        calls.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    go.await();
                  } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                  }
                  return cache.get(key("FRA"), origin);
                },
                pool));
      }
      go.countDown();
      for (var c : calls) pending.add(c.get(10, TimeUnit.SECONDS));
    } finally {
      pool.shutdownNow();
    }
    assertThat(originCalls).hasValue(1);
    slow.complete(body("one"));
    List<Lookup> answers = new ArrayList<>();
    for (Future<Lookup> f : pending) answers.add(await(f));
    assertThat(answers).extracting(l -> l.response().body().toString()).containsOnly("one");
    assertThat(answers).filteredOn(l -> l.result() == CacheResult.MISS).hasSize(1);
    assertThat(answers).filteredOn(l -> l.result() == CacheResult.COALESCED).hasSize(199);
    assertThat(originCalls).hasValue(1);
  }

  @Test
  void waitersOfAFailedLoadGetTheFailureAndALaterLookupStartsAfresh() throws Exception {
    Promise<OriginResponse> slow = Promise.promise();
    Future<Lookup> a = cache.get(key("FRA"), () -> slow.future());
    Future<Lookup> b = cache.get(key("FRA"), origin("unused"));
    slow.fail("boom");
    assertThatThrownBy(() -> await(a)).hasRootCauseMessage("boom");
    assertThatThrownBy(() -> await(b)).hasRootCauseMessage("boom");
    assertThat(await(cache.get(key("FRA"), origin("ok"))).result()).isEqualTo(CacheResult.MISS);
    assertThat(originCalls).hasValue(1);
  }

  @Test
  void negativeResultsAreCachedOnlyForTheNegativeTtlAndNeverServedStale() throws Exception {
    Supplier<Future<OriginResponse>> empty =
        () -> {
          originCalls.incrementAndGet();
          return Future.succeededFuture(
              new OriginResponse(
                  Buffer.buffer("{\"results\":[]}"), "application/json", Set.of(), true));
        };
    Lookup first = await(cache.get(key("XXX"), empty));
    assertThat(first.response().negative()).isTrue();
    assertThat(first.response().softExpiresAt()).isEqualTo(T0 + 10_000);
    clock.advance(9_999);
    assertThat(await(cache.get(key("XXX"), empty)).result()).isEqualTo(CacheResult.HIT_L1);
    clock.advance(1);
    assertThat(await(cache.get(key("XXX"), empty)).result()).isEqualTo(CacheResult.MISS);
    assertThat(originCalls).hasValue(2);
    clock.advance(10_000);
    assertThatThrownBy(() -> await(cache.get(key("XXX"), failing())))
        .isInstanceOf(ExecutionException.class);
  }

  @Test
  void jitterKeepsTtlsWithinBoundsAndSpreadsThem() throws Exception {
    cache =
        QuoteCache.create(
            vertx,
            CacheConfig.defaults()
                .withDefaultPolicy(
                    new CachePolicy(
                        Duration.ofSeconds(60),
                        Duration.ofSeconds(30),
                        Duration.ofMinutes(10),
                        Duration.ofSeconds(10),
                        0.1)),
            null,
            clock,
            registry);
    Set<Long> ttls = new HashSet<>();
    for (int i = 0; i < 300; i++) {
      CachedResponse r = await(cache.get(key("K" + i), origin("x"))).response();
      long ttl = r.softExpiresAt() - r.createdAt();
      assertThat(ttl).isBetween(54_000L, 66_000L);
      assertThat(r.hardExpiresAt() - r.softExpiresAt()).isEqualTo(30_000);
      assertThat(r.staleIfErrorUntil() - r.softExpiresAt()).isEqualTo(600_000);
      ttls.add(ttl);
    }
    assertThat(ttls.size()).isGreaterThan(100);
    assertThat(POLICY.jitteredTtlMillis(1)).isEqualTo(60_000);
    CachePolicy p =
        new CachePolicy(Duration.ofSeconds(60), Duration.ZERO, Duration.ZERO, Duration.ZERO, 0.1);
    assertThat(p.jitteredTtlMillis(-1)).isEqualTo(54_000);
    assertThat(p.jitteredTtlMillis(1)).isEqualTo(66_000);
    assertThat(p.jitteredTtlMillis(5)).isEqualTo(66_000);
  }

  /** The search domains' default: 15 min fresh, 60 s SWR, 10 min SIE, 10 s negative. */
  private static CachePolicy searchDefault(double jitter) {
    return new CachePolicy(
        Duration.ofMinutes(15),
        Duration.ofSeconds(60),
        Duration.ofMinutes(10),
        Duration.ofSeconds(10),
        jitter);
  }

  private QuoteCache cacheWith(CachePolicy policy) {
    return QuoteCache.create(
        vertx, CacheConfig.defaults().withDefaultPolicy(policy), null, clock, registry);
  }

  private static long utc(String instant) {
    return java.time.Instant.parse(instant).toEpochMilli();
  }

  @Test
  void anEntryMadeAt2355IsFreshUntilMidnightExactlyThenOnlyAStaleIfErrorFallback()
      throws Exception {
    long midnight = utc("2026-12-03T00:00:00Z");
    clock.set(utc("2026-12-02T23:55:00Z"));
    cache = cacheWith(searchDefault(0));
    CachedResponse r = await(cache.get(key("FRA"), origin("v1"))).response();
    assertThat(r.softExpiresAt()).isEqualTo(midnight);
    assertThat(r.hardExpiresAt()).as("no SWR past midnight either").isEqualTo(midnight);
    assertThat(r.staleIfErrorUntil())
        .as("stale-if-error: 10 min after the uncapped soft expiry (00:10)")
        .isEqualTo(utc("2026-12-03T00:20:00Z"));
    assertThat(r.maxAgeSeconds(clock.getAsLong())).isEqualTo(300);
    assertThat(r.staleWhileRevalidateSeconds()).isZero();

    clock.set(midnight - 1);
    assertThat(await(cache.get(key("FRA"), origin("v2"))).result()).isEqualTo(CacheResult.HIT_L1);
    clock.set(midnight);
    Lookup degraded = await(cache.get(key("FRA"), failing()));
    assertThat(degraded.result()).isEqualTo(CacheResult.STALE);
    assertThat(degraded.degraded()).isTrue();
    assertThat(degraded.response().body().toString()).isEqualTo("v1");
    Lookup next = await(cache.get(key("FRA"), origin("v2")));
    assertThat(next.result()).as("not served as SWR after midnight").isEqualTo(CacheResult.MISS);
    assertThat(next.response().body().toString()).isEqualTo("v2");
    assertThat(next.response().softExpiresAt()).isEqualTo(midnight + 15 * 60_000);
    assertThat(originCalls).hasValue(3);
  }

  @Test
  void anEntryMadeAt1000LivesItsFullTtlAndSwr() throws Exception {
    long t = utc("2026-12-02T10:00:00Z");
    clock.set(t);
    cache = cacheWith(searchDefault(0));
    CachedResponse r = await(cache.get(key("FRA"), origin("v1"))).response();
    assertThat(r.softExpiresAt()).isEqualTo(t + 15 * 60_000);
    assertThat(r.hardExpiresAt()).isEqualTo(t + 16 * 60_000);
    assertThat(r.staleIfErrorUntil()).isEqualTo(t + 25 * 60_000);

    clock.set(t + 15 * 60_000 - 1);
    assertThat(await(cache.get(key("FRA"), origin("v2"))).result()).isEqualTo(CacheResult.HIT_L1);
    clock.set(t + 15 * 60_000);
    Lookup stale = await(cache.get(key("FRA"), origin("v2")));
    assertThat(stale.result()).isEqualTo(CacheResult.STALE);
    assertThat(stale.degraded()).isFalse();
  }

  @Test
  void anSwrWindowReachingMidnightEndsAtMidnight() throws Exception {
    long midnight = utc("2026-12-03T00:00:00Z");
    clock.set(midnight - 15 * 60_000 - 30_000); // fresh until 23:59:30, SWR would end at 00:00:30
    cache = cacheWith(searchDefault(0));
    CachedResponse r = await(cache.get(key("FRA"), origin("v1"))).response();
    assertThat(r.softExpiresAt()).isEqualTo(midnight - 30_000);
    assertThat(r.hardExpiresAt()).isEqualTo(midnight);
    assertThat(r.staleIfErrorUntil()).isEqualTo(midnight - 30_000 + 10 * 60_000);
    clock.set(midnight - 1);
    assertThat(await(cache.get(key("FRA"), origin("v2"))).result()).isEqualTo(CacheResult.STALE);
  }

  @Test
  void jitterNeverPushesAnEntryPastMidnight() throws Exception {
    long midnight = utc("2026-12-03T00:00:00Z");
    // 14 min before midnight: the jittered TTLs (13.5 to 16.5 min) straddle it
    long t = midnight - 14 * 60_000;
    clock.set(t);
    cache = cacheWith(searchDefault(0.1));
    int capped = 0;
    for (int i = 0; i < 300; i++) {
      CachedResponse r = await(cache.get(key("K" + i), origin("x"))).response();
      assertThat(r.softExpiresAt()).isBetween(t + 13 * 60_000 + 30_000, midnight);
      assertThat(r.hardExpiresAt()).isLessThanOrEqualTo(midnight);
      if (r.softExpiresAt() == midnight) capped++;
      else assertThat(r.hardExpiresAt()).isEqualTo(midnight); // its SWR minute reaches midnight
    }
    assertThat(capped).as("most jitter samples reach past midnight").isBetween(150, 299);
    // the extremes, without the cache
    OriginResponse o = body("x");
    assertThat(searchDefault(0.1).entryFor(o, t, 1).softExpiresAt()).isEqualTo(midnight);
    assertThat(searchDefault(0.1).entryFor(o, t, -1).softExpiresAt())
        .isEqualTo(t + 13 * 60_000 + 30_000);
    assertThat(searchDefault(0.1).entryFor(o, t, 1).staleIfErrorUntil())
        .isEqualTo(t + 16 * 60_000 + 30_000 + 10 * 60_000);
  }

  @Test
  void aNegativeEntryNeverOutlivesMidnight() throws Exception {
    long midnight = utc("2026-12-03T00:00:00Z");
    clock.set(midnight - 4_000);
    cache = cacheWith(searchDefault(0));
    Supplier<Future<OriginResponse>> empty =
        () -> {
          originCalls.incrementAndGet();
          return Future.succeededFuture(
              new OriginResponse(
                  Buffer.buffer("{\"results\":[]}"), "application/json", Set.of(), true));
        };
    CachedResponse r = await(cache.get(key("XXX"), empty)).response();
    assertThat(r.softExpiresAt()).isEqualTo(midnight);
    assertThat(r.hardExpiresAt()).isEqualTo(midnight);
    assertThat(r.staleIfErrorUntil()).isEqualTo(midnight);
    clock.set(midnight);
    assertThat(await(cache.get(key("XXX"), empty)).result()).isEqualTo(CacheResult.MISS);
    // made at midnight exactly: the next midnight is a day later, the whole TTL applies
    assertThat(searchDefault(0).entryFor(body("x"), midnight, 0).softExpiresAt())
        .isEqualTo(midnight + 15 * 60_000);
    assertThat(CachePolicy.nextUtcMidnight(midnight)).isEqualTo(midnight + 86_400_000L);
    assertThat(CachePolicy.nextUtcMidnight(midnight - 1)).isEqualTo(midnight);
  }

  @Test
  void bothFormsAreMadeOnceAtTheFillAndKeptByStaleAndDegradedAnswers() throws Exception {
    String text = CacheValuesTest.large();
    Lookup miss = await(cache.get(key("FRA"), origin(text, "route:FRA-JFK")));
    Buffer gz = miss.response().gzipBody();
    assertThat(CacheValuesTest.gunzip(gz)).isEqualTo(text);
    // a hit hands out the very same buffers: nothing is compressed again
    assertThat(await(cache.get(key("FRA"), failing())).response().gzipBody()).isSameAs(gz);
    clock.advance(61_000); // within stale-while-revalidate
    Lookup stale = await(cache.get(key("FRA"), origin(text, "route:FRA-JFK")));
    assertThat(stale.result()).isEqualTo(CacheResult.STALE);
    assertThat(stale.response().gzipBody()).isSameAs(gz);
    assertThat(await(cache.evictTag("route:FRA-JFK"))).isEqualTo(1);
    Lookup degraded = await(cache.get(key("FRA"), failing()));
    assertThat(degraded.degraded()).isTrue();
    assertThat(CacheValuesTest.gunzip(degraded.response().gzipBody())).isEqualTo(text);
    assertThat(degraded.response().gzipEtag())
        .isEqualTo(CachedResponse.gzipEtag(degraded.response().etag()));
  }

  @Test
  void anEntryHeavierThanTheWholeL1IsNotKeptAndLeavesNoOlderEntryBehind() throws Exception {
    cache =
        QuoteCache.create(
            vertx,
            CacheConfig.defaults().withDefaultPolicy(POLICY).withL1MaxBytes(4096),
            null,
            clock,
            registry);
    assertThat(await(cache.get(key("FRA"), origin("small", "t"))).result())
        .isEqualTo(CacheResult.MISS);
    assertThat(await(cache.get(key("FRA"), origin("small", "t"))).result())
        .isEqualTo(CacheResult.HIT_L1);
    clock.advance(61_000); // stale: the refresh brings an answer heavier than the bound
    Supplier<Future<OriginResponse>> big = origin("y".repeat(8192), "t");
    assertThat(await(cache.get(key("FRA"), big)).result()).isEqualTo(CacheResult.STALE);
    cache.cleanUp();
    assertThat(cache.stats().l1Entries())
        .as("neither the heavy entry nor the one it replaces")
        .isZero();
    assertThat(await(cache.get(key("FRA"), big)).result()).isEqualTo(CacheResult.MISS);
  }

  @Test
  void l1IsBoundedByBytesAndCountsEvictions() throws Exception {
    long max = 100 * 1024;
    registry =
        new SimpleMeterRegistry(); // the l1 bytes gauge follows the first cache registered in a
    // registry
    cache =
        QuoteCache.create(
            vertx,
            CacheConfig.defaults().withDefaultPolicy(POLICY).withL1MaxBytes(max),
            null,
            clock,
            registry);
    String fiveKb = "x".repeat(5 * 1024);
    for (int i = 0; i < 100; i++) {
      await(cache.get(key("K" + i), origin(fiveKb, "t" + i)));
      cache.cleanUp();
      assertThat(cache.stats().l1Bytes()).isLessThanOrEqualTo(max);
    }
    CacheStats s = cache.stats();
    assertThat(s.l1Bytes()).isGreaterThan(max / 2);
    assertThat(s.l1Entries()).isLessThan(20);
    assertThat(s.l1Evictions()).isEqualTo(100 - s.l1Entries());
    assertThat(
            registry
                .find("tarifa.cache.evictions")
                .tag("layer", "l1")
                .tag("cause", "size")
                .counter()
                .count())
        .isEqualTo(100 - s.l1Entries());
    assertThat(registry.find("tarifa.cache.l1.bytes").gauge().value()).isEqualTo(s.l1Bytes());
    assertThat(registry.find("tarifa.cache.l1.max.bytes").gauge().value()).isEqualTo(max);
  }

  @Test
  void l1EntriesExpireAtTheEndOfStaleIfError() throws Exception {
    await(cache.get(key("FRA"), origin("v1")));
    clock.advance(60_000 + 600_000);
    cache.cleanUp();
    assertThat(cache.stats().l1Entries()).isZero();
    assertThat(registry.find("tarifa.cache.evictions").tag("cause", "expired").counter().count())
        .isEqualTo(1);
  }

  @Test
  void evictTagRemovesEveryTaggedEntryAndNothingElse() throws Exception {
    await(cache.get(key("FRA"), origin("a", "route:FRA-JFK", "flights:FRA-JFK")));
    await(cache.get(key("MUC"), origin("b", "route:FRA-JFK", "route:MUC-FRA")));
    await(cache.get(key("CDG"), origin("c", "route:CDG-JFK")));

    assertThat(await(cache.evictTag("route:FRA-JFK"))).isEqualTo(2);
    assertThat(await(cache.get(key("FRA"), origin("a2"))).result()).isEqualTo(CacheResult.MISS);
    assertThat(await(cache.get(key("MUC"), origin("b2"))).result()).isEqualTo(CacheResult.MISS);
    assertThat(await(cache.get(key("CDG"), origin("c2"))).result()).isEqualTo(CacheResult.HIT_L1);
    assertThat(await(cache.evictTag("route:FRA-JFK"))).isZero();
    assertThat(await(cache.evictTag("route:CDG-JFK"))).isEqualTo(1);
    assertThat(await(cache.evictKey(key("FRA")))).isTrue();
    assertThat(await(cache.evictKey(key("FRA")))).isFalse();
    assertThat(
            registry
                .find("tarifa.cache.evictions")
                .tag("layer", "l1")
                .tag("cause", "tag")
                .counter()
                .count())
        .isEqualTo(3);
  }

  @Test
  void anInvalidatedEntryIsNeverFreshAgainButAnswersDegradedWhileTheOriginFails() throws Exception {
    await(cache.get(key("FRA"), origin("old price", "route:FRA-JFK")));
    Supplier<Future<OriginResponse>> none =
        () -> {
          originCalls.incrementAndGet();
          return Future.succeededFuture(
              new OriginResponse(
                  Buffer.buffer("[]"), "application/json", Set.of("route:FRA-JFK"), true));
        };
    await(cache.get(key("MUC"), none));
    clock.advance(1_000);

    assertThat(await(cache.evictTag("route:FRA-JFK"))).isEqualTo(2);
    assertThat(await(cache.evictTag("route:FRA-JFK"))).as("already invalidated").isZero();
    // the origin is down right after the change: the old answer, labelled, instead of an error
    Lookup degraded = await(cache.get(key("FRA"), failing()));
    assertThat(degraded.result()).isEqualTo(CacheResult.STALE);
    assertThat(degraded.degraded()).isTrue();
    assertThat(degraded.response().body().toString()).isEqualTo("old price");
    assertThat(degraded.response().maxAgeSeconds(clock.getAsLong()))
        .as("max-age of a degraded answer")
        .isZero();
    assertThat(degraded.response().staleWhileRevalidateSeconds()).isZero();
    // a negative answer is never a fallback: it was removed
    assertThatThrownBy(() -> await(cache.get(key("MUC"), failing())))
        .hasRootCauseMessage("origin down");

    // the origin is back: the new price, and the old one never again
    Lookup fresh = await(cache.get(key("FRA"), origin("new price", "route:FRA-JFK")));
    assertThat(fresh.result()).isEqualTo(CacheResult.MISS);
    assertThat(fresh.response().body().toString()).isEqualTo("new price");
    assertThat(await(cache.get(key("FRA"), failing())).response().body().toString())
        .isEqualTo("new price");
    clock.advance(
        60_000
            + 60_000); // past fresh and SWR: the origin fails again, the fallback is the new price
    Lookup later = await(cache.get(key("FRA"), failing()));
    assertThat(later.degraded()).isTrue();
    assertThat(later.response().body().toString()).isEqualTo("new price");

    // eviction by key is soft as well
    assertThat(await(cache.evictKey(key("FRA")))).isTrue();
    assertThat(await(cache.evictKey(key("FRA")))).isFalse();
    Lookup byKey = await(cache.get(key("FRA"), failing()));
    assertThat(byKey.degraded()).isTrue();
    assertThat(byKey.response().body().toString()).isEqualTo("new price");
    assertThat(await(cache.get(key("FRA"), origin("newest"))).result()).isEqualTo(CacheResult.MISS);
  }

  @Test
  void lookupsAfterAnEvictionDoNotJoinALoadThatStartedBeforeIt() throws Exception {
    Promise<OriginResponse> slow = Promise.promise();
    Future<Lookup> before = cache.get(key("FRA"), () -> slow.future());
    await(cache.evictTag("route:FRA-JFK"));
    Future<Lookup> after = cache.get(key("FRA"), origin("new price", "route:FRA-JFK"));
    vertx.runOnContext(v -> slow.complete(body("old price", "route:FRA-JFK")));
    assertThat(await(before).response().body().toString()).isEqualTo("old price");
    assertThat(await(after).response().body().toString()).isEqualTo("new price");
  }

  @Test
  void aLoadRunningWhenItsTagIsEvictedAnswersItsCallersButIsNotKept() throws Exception {
    Promise<OriginResponse> slow = Promise.promise();
    Future<Lookup> before =
        cache.get(
            key("FRA"),
            () -> {
              originCalls.incrementAndGet();
              return slow.future();
            });
    await(cache.evictTag("hotel:1")); // another tag: no effect on this load
    await(
        cache.evictTag(
            "route:FRA-JFK")); // the price changed while the old answer was being computed
    vertx.runOnContext(v -> slow.complete(body("old price", "route:FRA-JFK")));

    assertThat(await(before).response().body().toString())
        .isEqualTo("old price"); // asked before the change
    // never fresh, but the fallback a soft eviction would have left when the origin fails
    Lookup down = await(cache.get(key("FRA"), failing()));
    assertThat(down.result()).isEqualTo(CacheResult.STALE);
    assertThat(down.degraded()).isTrue();
    assertThat(down.response().body().toString()).isEqualTo("old price");
    Lookup after = await(cache.get(key("FRA"), origin("new price", "route:FRA-JFK")));
    assertThat(after.result()).as("the old answer was not kept").isEqualTo(CacheResult.MISS);
    assertThat(after.response().body().toString()).isEqualTo("new price");
    assertThat(await(cache.get(key("FRA"), origin("never"))).result())
        .isEqualTo(CacheResult.HIT_L1);

    // an eviction of an unrelated tag does not keep a later load out of the cache
    Promise<OriginResponse> other = Promise.promise();
    Future<Lookup> muc = cache.get(key("MUC"), other::future);
    await(cache.evictTag("route:CDG-JFK"));
    vertx.runOnContext(v -> other.complete(body("muc", "route:MUC-JFK")));
    await(muc);
    assertThat(await(cache.get(key("MUC"), origin("never"))).result())
        .isEqualTo(CacheResult.HIT_L1);
  }

  @Test
  void aLoadRacedByAnEvictionNeverReplacesTheEntryOfALaterLoad() throws Exception {
    Promise<OriginResponse> slow = Promise.promise();
    Future<Lookup> before = cache.get(key("FRA"), slow::future);
    await(cache.evictTag("route:FRA-JFK"));
    assertThat(await(cache.get(key("FRA"), origin("new price", "route:FRA-JFK"))).result())
        .isEqualTo(CacheResult.MISS);
    vertx.runOnContext(v -> slow.complete(body("old price", "route:FRA-JFK")));
    assertThat(await(before).response().body().toString()).isEqualTo("old price");

    Lookup hit = await(cache.get(key("FRA"), origin("never")));
    assertThat(hit.result()).isEqualTo(CacheResult.HIT_L1);
    assertThat(hit.response().body().toString()).isEqualTo("new price");
    clock.advance(
        60_000 + 30_000); // past fresh and SWR: the fallback is the new price, not the old
    assertThat(await(cache.get(key("FRA"), failing())).response().body().toString())
        .isEqualTo("new price");
  }

  @Test
  void answersProducedOnAnotherThreadAreDeliveredOnTheCallersContext() throws Exception {
    Promise<OriginResponse> slow = Promise.promise();
    var ctx = vertx.getOrCreateContext();
    CompletableFuture<Boolean> sameContext = new CompletableFuture<>();
    ctx.runOnContext(
        v ->
            cache
                .get(key("FRA"), () -> slow.future())
                .onComplete(
                    ar ->
                        sameContext.complete(vertx.getOrCreateContext() == ctx && ar.succeeded())));
    Thread.sleep(20);
    new Thread(() -> slow.complete(body("x"))).start();
    assertThat(sameContext.get(10, TimeUnit.SECONDS)).isTrue();
  }

  private static List<Lookup> concurrently(int n, Supplier<Future<Lookup>> call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<CompletableFuture<Future<Lookup>>> calls = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        calls.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    go.await();
                  } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                  }
                  return call.get();
                },
                pool));
      }
      go.countDown();
      List<Lookup> out = new ArrayList<>();
      for (var c : calls) out.add(await(c.get(10, TimeUnit.SECONDS)));
      return out;
    } finally {
      pool.shutdownNow();
    }
  }
}
