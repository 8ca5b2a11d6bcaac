package dev.tarifa.shared.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.tarifa.shared.metrics.Metrics;
import dev.tarifa.shared.tracing.Tracing;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two-layer quote cache of the gateway (DESIGN §4): L1 in process memory (Caffeine, bounded by
 * bytes), L2 in Redis shared by all replicas (optional), with request coalescing inside the process
 * and across replicas, stale-while-revalidate, stale-if-error, negative caching and eviction by
 * tag.
 *
 * <h2>A lookup</h2>
 *
 * {@link #get} answers, in this order:
 *
 * <ol>
 *   <li>a fresh L1 entry: {@link CacheResult#HIT_L1}, an already completed future, no allocation;
 *   <li>an L1 entry within stale-while-revalidate: {@link CacheResult#STALE} at once, and one
 *       background refresh for the key starts unless one is already running (in this process or,
 *       through the lease, elsewhere);
 *   <li>otherwise the key's single in-flight load in this process: callers joining it get {@link
 *       CacheResult#COALESCED} (or the same degraded stale answer, or the same failure);
 *   <li>the load: one atomic Redis script returns the L2 entry if servable ({@link
 *       CacheResult#HIT_L2}, filling L1; read with a plain {@code GET}, its bodies sliced out of
 *       the answer, nothing decoded), else (in one atomic script) takes the fill lease {@code SET
 *       <prefix>l:<key> <token> NX PX leaseTtl}. The lease winner calls the origin ({@link
 *       CacheResult#MISS}), answers at once, then writes L2 and releases the lease only if it still
 *       owns it (compare-and-delete), in the same script. A loser looks at Redis again as soon as
 *       the fill or the lease's release is announced on the fill channel (one pub/sub subscriber
 *       per process), and every {@code leasePoll} regardless (the same atomic script both checks
 *       for the fill and takes over an expired lease, so a lost announcement costs one poll
 *       interval, never correctness): the fill gives {@link CacheResult#COALESCED}; a free lease
 *       (the leader died or gave up) is taken by exactly one poller, counted as a takeover, which
 *       then calls the origin; after {@code leaseWait} the poller calls the origin itself. So no
 *       key stays stuck longer than {@code leaseTtl}, and no caller waits longer than about {@code
 *       leaseWait + originTimeout}.
 * </ol>
 *
 * When the origin fails, times out ({@code originTimeout}) or its circuit is open (the supplier
 * returns a failed future), an entry still within its stale-if-error window (from L1, or the one
 * Redis returned with the lease) is answered instead, {@link CacheResult#STALE} with {@code
 * degraded = true}; otherwise the origin's failure is propagated. A failed load is never cached and
 * leaves nothing behind: the next lookup starts a new load.
 *
 * <h2>Redis failures</h2>
 *
 * Every Redis command is bounded by {@code l2Timeout} and guarded by a circuit breaker (consecutive
 * failures open it; after {@code breakerReset} one probe is let through). A failed, late or
 * rejected Redis command never fails a lookup: the load continues with L1 and the origin alone, and
 * while the breaker is open no Redis command is sent, so lookups do not pay the timeout. {@link
 * #l2Status()} then reports {@link L2Status#DEGRADED}.
 *
 * <h2>Threading</h2>
 *
 * One instance is meant to be shared by all verticle instances (event loops) of a JVM. Its state is
 * thread-safe: Caffeine (maintenance on the calling thread, no executor threads), concurrent maps
 * for the in-flight loads and the tag index, atomics for the breaker and counters. Nothing blocks a
 * thread; waiting is done with vert.x timers. If {@link #get} is called on a vert.x context and its
 * answer is produced on another thread, the answer is delivered back on the caller's context, so
 * the caller may touch its request and response directly in the callback. Origin suppliers are
 * invoked on whichever thread starts the load (a caller's event loop, or a vert.x timer or Redis
 * context) and must not block.
 *
 * <h2>Tracing</h2>
 *
 * When the caller's span is sampled (tracing on, see {@link Tracing}), a lookup is a span {@code
 * cache lookup} with attributes {@code tarifa.cache.domain} and {@code tarifa.cache.result} ({@code
 * hit_l1}, {@code hit_l2}, {@code miss}, {@code stale}, {@code coalesced}; {@code
 * tarifa.cache.degraded} when served stale after an origin failure); the origin call of its load is
 * a child span {@code cache origin}; an eviction is a span {@code cache evict} ({@code
 * tarifa.cache.tag} or {@code tarifa.cache.key}). An unsampled or untraced lookup creates nothing:
 * the fresh-L1 path then costs one context-local read more.
 *
 * <h2>Time</h2>
 *
 * Every expiry rule (freshness, SWR, stale-if-error, L1 expiry, breaker reset) reads the injected
 * clock (epoch milliseconds). Redis-side TTLs (entry PX, lease PX) and the vert.x timers for
 * polling and timeouts run in real time.
 */
public final class QuoteCache {
  private static final Logger LOG = LoggerFactory.getLogger(QuoteCache.class);

  private final Vertx vertx;
  private final CacheConfig config;
  private final LongSupplier clock;
  private final MeterRegistry registry;
  private final L1Cache l1;
  private final L2Cache l2;

  /**
   * Entries whose Redis fill failed (breaker open, command failed or late), written again once
   * Redis answers; see {@link #refill}.
   */
  private final ConcurrentLinkedQueue<PendingFill> pendingFills = new ConcurrentLinkedQueue<>();

  private final AtomicInteger pendingFillCount = new AtomicInteger();
  private final AtomicBoolean refillScheduled = new AtomicBoolean();
  private final Counter refilled;
  private final Counter refillsDropped;

  private record PendingFill(String key, CachedResponse entry) {}

  /** Most fills kept for a retry; beyond it new ones are dropped (counted). */
  static final int MAX_PENDING_FILLS = 2000;

  /** How often pending fills are retried while some are left. */
  static final long REFILL_INTERVAL_MS = 500;

  /**
   * Most pending fills written at once. A backlog drains as a trickle beside the lookups, each
   * completed write starting the next: sent as one burst (200 at a time, before), it made the
   * lookups behind it wait past the L2 timeout, which opened the breaker again as soon as it had
   * closed, for 15 s after Redis came back in the fault campaign.
   */
  static final int REFILL_CONCURRENCY = 4;

  private final AtomicInteger refillsInFlight = new AtomicInteger();

  /** The most refills ever in flight at once (tests). */
  private final AtomicInteger mostRefillsInFlight = new AtomicInteger();

  private final ConcurrentHashMap<String, Future<Lookup>> inflight = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, DomainMeters> meters = new ConcurrentHashMap<>();
  private final Map<RemovalCause, Counter> l1Evictions = new EnumMap<>(RemovalCause.class);
  private final Counter takeoverCounter;
  private final LongAdder[] results = new LongAdder[CacheResult.values().length];
  private final LongAdder originCalls = new LongAdder();
  private final LongAdder takeovers = new LongAdder();
  private final LongAdder l1Evicted = new LongAdder();
  private final String instanceId = UUID.randomUUID().toString();
  private final AtomicLong tokens = new AtomicLong();
  private final FillNotifications fills;

  /** Incremented by every eviction by tag; a load remembers the value at its start. */
  private final AtomicLong evictionSeq = new AtomicLong();

  /**
   * Tag -> sequence of its latest eviction, kept as long as a load that started before it could
   * still finish.
   */
  private final Cache<String, Long> tagEvictions;

  /**
   * Stamps Redis reads (before sending) and completed Redis evictions (after their answer), in one
   * order.
   */
  private final AtomicLong l2Clock = new AtomicLong();

  /**
   * Tag -> its Redis evictions: which Redis reads of entries carrying it may predate the deletion.
   */
  private final Cache<String, TagClearing> tagClearings;

  private final Object evictionBatchLock = new Object();

  /**
   * evictTag calls waiting for the next batched Redis eviction; null when no flush is scheduled.
   */
  private List<PendingEviction> evictionBatch;

  private final Tracer tracer;
  private final boolean tracing;

  static final AttributeKey<String> DOMAIN = AttributeKey.stringKey("tarifa.cache.domain");
  static final AttributeKey<String> RESULT = AttributeKey.stringKey("tarifa.cache.result");
  static final AttributeKey<Boolean> DEGRADED = AttributeKey.booleanKey("tarifa.cache.degraded");
  static final AttributeKey<String> TAG = AttributeKey.stringKey("tarifa.cache.tag");
  static final AttributeKey<String> KEY = AttributeKey.stringKey("tarifa.cache.key");

  private QuoteCache(
      Vertx vertx, CacheConfig config, Redis redis, LongSupplier clock, MeterRegistry registry) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.registry = Objects.requireNonNull(registry, "registry");
    Tracing t = Tracing.of(vertx);
    this.tracer = t.tracer();
    this.tracing = t.enabled();
    for (int i = 0; i < results.length; i++) results[i] = new LongAdder();
    for (RemovalCause c :
        new RemovalCause[] {RemovalCause.SIZE, RemovalCause.EXPIRED, RemovalCause.COLLECTED}) {
      l1Evictions.put(c, evictionCounter("l1", c.name().toLowerCase()));
    }
    this.l1 =
        new L1Cache(
            config.l1MaxBytes(),
            clock,
            cause -> {
              l1Evicted.increment();
              Counter c = l1Evictions.get(cause);
              if (c != null) c.increment();
            });
    this.l2 =
        redis == null
            ? null
            : new L2Cache(
                vertx,
                redis,
                config,
                clock,
                Timer.builder("tarifa.cache.l2.latency")
                    .description("Redis cache command latency")
                    .register(registry));
    this.refilled =
        Counter.builder("tarifa.cache.l2.refills")
            .description(
                "Entries written to Redis after their first fill failed (Redis down or late)")
            .tag("outcome", "written")
            .register(registry);
    this.refillsDropped =
        Counter.builder("tarifa.cache.l2.refills")
            .description(
                "Entries written to Redis after their first fill failed (Redis down or late)")
            .tag("outcome", "dropped")
            .register(registry);
    this.takeoverCounter =
        Counter.builder("tarifa.cache.lease.takeovers")
            .description("Fill leases taken over from a replica that did not fill in time")
            .register(registry);
    Gauge.builder("tarifa.cache.l1.bytes", l1, L1Cache::weightedSize)
        .description("Weighted size of the L1 quote cache")
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder("tarifa.cache.l1.max.bytes", config, c -> c.l1MaxBytes())
        .description("Bound of the L1 quote cache (TARIFA_CACHE_L1_MAX_BYTES)")
        .baseUnit("bytes")
        .register(registry);
    if (l2 != null) {
      // for dashboards and the Redis-breaker alert (the admin endpoint only says up or degraded)
      Gauge.builder("tarifa.cache.l2.breaker.state", l2, c -> breakerValue(c.breaker().state()))
          .description("Redis circuit breaker state: 0 closed, 1 half-open, 2 open")
          .register(registry);
    }
    this.fills = l2 == null ? null : new FillNotifications(vertx, redis, l2.fillChannel());
    // a load lives at most about leaseWait + originTimeout (see the class description); 10 s cover
    // Redis round trips
    this.tagEvictions =
        Caffeine.newBuilder()
            .expireAfterWrite(config.leaseWait().plus(config.originTimeout()).plusSeconds(10))
            .maximumSize(100_000)
            .executor(Runnable::run)
            .build();
    // a failed Redis eviction leaves old entries servable in Redis until their hard expiry:
    // distrust them that long
    long servable = 0;
    for (CachePolicy p : config.policies().values())
      servable = Math.max(servable, servableMillis(p));
    servable = Math.max(servable, servableMillis(config.defaultPolicy()));
    this.tagClearings =
        Caffeine.newBuilder()
            .expireAfterWrite(
                config
                    .leaseWait()
                    .plus(config.originTimeout())
                    .plusSeconds(10)
                    .plusMillis(servable))
            .maximumSize(100_000)
            .executor(Runnable::run)
            .build();
  }

  private static long servableMillis(CachePolicy p) {
    return Math.round(p.freshTtl().toMillis() * (1 + p.jitter()))
        + p.staleWhileRevalidate().toMillis();
  }

  /**
   * A cache with L2 on {@code redis}, or L1 only when {@code redis} is null, on the system clock,
   * with meters in {@link Metrics#registry()}. The caller owns {@code redis} and closes it.
   */
  public static QuoteCache create(Vertx vertx, CacheConfig config, Redis redis) {
    return new QuoteCache(vertx, config, redis, System::currentTimeMillis, Metrics.registry());
  }

  /**
   * As {@link #create(Vertx, CacheConfig, Redis)} with an explicit clock (epoch millis) and meter
   * registry.
   */
  public static QuoteCache create(
      Vertx vertx, CacheConfig config, Redis redis, LongSupplier clock, MeterRegistry registry) {
    return new QuoteCache(vertx, config, redis, clock, registry);
  }

  /**
   * The answer for {@code key}, calling {@code origin} only if needed (see the class description).
   * The returned future fails only with the origin's failure (or a {@link TimeoutException} after
   * {@code originTimeout}), and only when no entry within its stale-if-error window exists; it
   * always completes, at the latest after about {@code leaseWait + originTimeout}.
   *
   * @param origin called at most once per load; may throw, which counts as a failed origin call
   */
  public Future<Lookup> get(CacheKey key, Supplier<Future<OriginResponse>> origin) {
    if (tracing) {
      Span parent = Span.current();
      if (parent.isRecording()) return traced(key, origin);
    }
    return lookup(key, origin, null);
  }

  /**
   * {@link #get} inside a {@code cache lookup} span (current while the lookup runs synchronously).
   */
  private Future<Lookup> traced(CacheKey key, Supplier<Future<OriginResponse>> origin) {
    io.opentelemetry.context.Context parent = io.opentelemetry.context.Context.current();
    Span span =
        tracer
            .spanBuilder("cache lookup")
            .setParent(parent)
            .setAttribute(DOMAIN, key.domain())
            .startSpan();
    io.opentelemetry.context.Context trace = parent.with(span);
    Future<Lookup> f;
    try (Scope ignored = trace.makeCurrent()) {
      f = lookup(key, origin, trace);
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    return f.andThen(
        ar -> {
          if (ar.succeeded()) {
            span.setAttribute(RESULT, ar.result().result().metricTag());
            if (ar.result().degraded()) span.setAttribute(DEGRADED, true);
          } else {
            span.setStatus(StatusCode.ERROR, String.valueOf(ar.cause().getMessage()));
          }
          span.end();
        });
  }

  /** {@code trace}: the lookup's span context, null when untraced. */
  private Future<Lookup> lookup(
      CacheKey key,
      Supplier<Future<OriginResponse>> origin,
      io.opentelemetry.context.Context trace) {
    long now = clock.getAsLong();
    DomainMeters m = meters(key.domain());
    L1Entry e = l1.get(key.value());
    CachedResponse fallback = null;
    if (e != null) {
      CachedResponse r = e.response;
      if (e.invalidated) {
        fallback = r;
      } else if (now < r.softExpiresAt()) {
        record(m, CacheResult.HIT_L1);
        return e.hit;
      }
      if (now < r.hardExpiresAt()) {
        record(m, CacheResult.STALE);
        refresh(key, m, origin, r, trace);
        return e.stale;
      } else {
        fallback = r;
      }
    }
    Future<Lookup> running = inflight.get(key.value());
    if (running == null) {
      Promise<Lookup> p = Promise.promise();
      running = inflight.putIfAbsent(key.value(), p.future());
      if (running == null) {
        load(key, m, origin, fallback, p, false, trace);
        return deliver(p.future());
      }
    }
    record(m, CacheResult.COALESCED);
    return deliver(running.map(QuoteCache::asCoalesced));
  }

  /**
   * Invalidates every entry tagged {@code tag} in L1 and in Redis, softly (as Varnish's soft
   * purge): an invalidated entry is never answered as fresh (nor within stale-while-revalidate)
   * again, so the next lookup goes to the origin, but it stays until the end of its stale-if-error
   * window as the fallback answered, degraded, when the origin fails; negative entries are removed.
   * Completes with the number of valid entries invalidated (L1 plus Redis); fails if Redis is
   * configured and the Redis eviction failed or was not attempted because its circuit is open (L1
   * is evicted regardless), so the caller can retry.
   *
   * <p>Calls arriving within {@value #EVICTION_BATCH_MS} ms of each other (from any thread) share
   * one Redis script (up to {@value #MAX_EVICTION_BATCH} tags per round trip), so a burst of
   * invalidation events costs a few Redis commands, not one per tag.
   *
   * <p>From this call on, no lookup in this process answers an entry that was cached with the tag
   * before the call as fresh: L1 is invalidated at once; an entry read from Redis is copied into L1
   * or answered as a hit only if the read was sent after this process received the answer of every
   * Redis eviction of its tags (a read that may predate the deletion goes to the origin instead,
   * and a failed Redis eviction keeps the tag's Redis entries distrusted until one succeeds); loads
   * already running (their answer may predate the change) still answer their own callers but are
   * never kept as fresh: only as an invalidated stale-if-error fallback, in a layer that holds no
   * entry for the key (as if a soft eviction had reached it). Other processes get the same
   * guarantee from their own call (each gateway consumes every invalidation event).
   */
  public Future<Long> evictTag(String tag) {
    Span span = evictSpan(TAG, tag);
    if (span == null) return evictTagUntraced(tag);
    Future<Long> f;
    try (Scope ignored = span.makeCurrent()) {
      f = evictTagUntraced(tag);
    }
    return ended(span, f);
  }

  private Future<Long> evictTagUntraced(String tag) {
    if (l2 != null) clearing(tag, TagClearing::begin);
    tagEvictions.put(tag, evictionSeq.incrementAndGet());
    int local = l1.evictTag(tag, clock.getAsLong());
    if (local > 0) evictionCounter("l1", "tag").increment(local);
    // a running load may be computing the old answer: lookups from now on must not join it (it
    // still answers its
    // own callers); the next lookup of such a key starts a new load
    inflight.clear();
    if (l2 == null) return Future.succeededFuture((long) local);
    Promise<Long> p = Promise.promise();
    boolean schedule;
    synchronized (evictionBatchLock) {
      schedule = evictionBatch == null;
      if (schedule) evictionBatch = new ArrayList<>();
      evictionBatch.add(new PendingEviction(tag, p));
    }
    if (schedule) vertx.setTimer(EVICTION_BATCH_MS, id -> flushEvictions());
    return deliver(
        p.future()
            .map(
                n -> {
                  if (n > 0) evictionCounter("l2", "tag").increment(n);
                  return local + n;
                }));
  }

  /** Longest wait of an evictTag call for others to share its Redis round trip. */
  static final int EVICTION_BATCH_MS = 2;

  /** Most tags evicted by one Redis script. */
  static final int MAX_EVICTION_BATCH = 200;

  private record PendingEviction(String tag, Promise<Long> promise) {}

  private void flushEvictions() {
    List<PendingEviction> batch;
    synchronized (evictionBatchLock) {
      batch = evictionBatch;
      evictionBatch = null;
    }
    if (batch == null) return;
    // a burst of events names the same tags many times (every change of a hub leg names the same
    // few hundred pairs): one Redis key per distinct tag, its callers share the answer
    Map<String, List<PendingEviction>> byTag = new java.util.LinkedHashMap<>();
    for (PendingEviction e : batch) byTag.computeIfAbsent(e.tag(), t -> new ArrayList<>(1)).add(e);
    List<String> tags = new ArrayList<>(byTag.keySet());
    for (int from = 0; from < tags.size(); from += MAX_EVICTION_BATCH) {
      List<String> part = tags.subList(from, Math.min(tags.size(), from + MAX_EVICTION_BATCH));
      l2.evictTags(part)
          .onComplete(
              ar -> {
                for (int i = 0; i < part.size(); i++) {
                  List<PendingEviction> callers = byTag.get(part.get(i));
                  // the clearing state first: once a caller's future completes, reads sent from
                  // then on are trusted
                  for (PendingEviction e : callers) {
                    long stamp = ar.succeeded() ? l2Clock.incrementAndGet() : Long.MAX_VALUE;
                    clearing(e.tag(), c -> c.end(stamp));
                  }
                  for (int k = 0; k < callers.size(); k++) {
                    // the entries are counted once, for the first caller
                    if (ar.succeeded())
                      callers.get(k).promise().tryComplete(k == 0 ? ar.result().get(i) : 0L);
                    else callers.get(k).promise().tryFail(ar.cause());
                  }
                }
              });
    }
  }

  /** Applies {@code change} to the tag's state, rewriting it so that its expiry counts from now. */
  private void clearing(String tag, java.util.function.Consumer<TagClearing> change) {
    tagClearings
        .asMap()
        .compute(
            tag,
            (t, c) -> {
              TagClearing state = c != null ? c : new TagClearing();
              change.accept(state);
              return state;
            });
  }

  /**
   * Whether an entry Redis returned for a read stamped {@code readStamp} may be answered as fresh
   * and copied into L1: no eviction of one of its tags was on its way or failed when the read was
   * sent.
   */
  private boolean trustedFromL2(CachedResponse r, long readStamp) {
    for (String tag : r.tags()) {
      TagClearing c = tagClearings.getIfPresent(tag);
      if (c != null && !c.trusts(readStamp)) return false;
    }
    return true;
  }

  /** The Redis evictions of one tag in this process. */
  private static final class TagClearing {
    private int pending;

    /**
     * Reads stamped before this may have been executed before the latest deletion; MAX_VALUE after
     * a failed one.
     */
    private long clearedAt;

    synchronized void begin() {
      pending++;
      clearedAt = Long.MAX_VALUE;
    }

    synchronized void end(long stamp) {
      pending--;
      // a failure keeps the tag distrusted until a later eviction of it succeeds
      clearedAt = stamp;
    }

    synchronized boolean trusts(long readStamp) {
      return pending == 0 && readStamp > clearedAt;
    }
  }

  /**
   * Whether {@code r} carries a tag evicted after the load that produced it started: it must not be
   * kept.
   */
  private boolean evictedSince(CachedResponse r, long loadSeq) {
    if (loadSeq == evictionSeq.get()) return false;
    for (String tag : r.tags()) {
      Long at = tagEvictions.getIfPresent(tag);
      if (at != null && at > loadSeq) return true;
    }
    return false;
  }

  /**
   * Invalidates the entry of {@code key} in L1 and Redis, softly as {@link #evictTag}; completes
   * with whether any layer held a valid one; fails as {@link #evictTag}.
   */
  public Future<Boolean> evictKey(CacheKey key) {
    Span span = evictSpan(KEY, key.value());
    if (span == null) return evictKeyUntraced(key);
    Future<Boolean> f;
    try (Scope ignored = span.makeCurrent()) {
      f = evictKeyUntraced(key);
    }
    return ended(span, f);
  }

  /** A {@code cache evict} span, child of the current span when that one is sampled; else null. */
  private Span evictSpan(AttributeKey<String> what, String value) {
    if (!tracing || !Span.current().isRecording()) return null;
    return tracer.spanBuilder("cache evict").setAttribute(what, value).startSpan();
  }

  private static <T> Future<T> ended(Span span, Future<T> f) {
    return f.andThen(
        ar -> {
          if (ar.failed())
            span.setStatus(StatusCode.ERROR, String.valueOf(ar.cause().getMessage()));
          span.end();
        });
  }

  private Future<Boolean> evictKeyUntraced(CacheKey key) {
    boolean local = l1.invalidate(key.value(), clock.getAsLong());
    inflight.remove(key.value());
    if (local) evictionCounter("l1", "key").increment();
    if (l2 == null) return Future.succeededFuture(local);
    return l2.evictKey(key.value())
        .map(
            n -> {
              if (n) evictionCounter("l2", "key").increment();
              return local || n;
            });
  }

  /** The state of the Redis layer for readiness: a degraded L2 should leave the gateway ready. */
  public L2Status l2Status() {
    if (l2 == null) return L2Status.DISABLED;
    return l2.breaker().state() == L2Breaker.State.CLOSED ? L2Status.UP : L2Status.DEGRADED;
  }

  /** Redis commands sent so far by this instance (0 without L2); for tests of the breaker. */
  long l2CommandsSent() {
    return l2 == null ? 0 : l2.commandsSent();
  }

  /** A snapshot of sizes and counters of this instance. */
  public CacheStats stats() {
    return new CacheStats(
        l1.size(),
        l1.weightedSize(),
        l1.maxBytes(),
        sum(CacheResult.HIT_L1),
        sum(CacheResult.HIT_L2),
        sum(CacheResult.MISS),
        sum(CacheResult.STALE),
        sum(CacheResult.COALESCED),
        originCalls.sum(),
        takeovers.sum(),
        l1Evicted.sum(),
        l2Status());
  }

  public CacheConfig config() {
    return config;
  }

  /**
   * Whether this process is subscribed to fill announcements (tests; waits fall back to polling
   * otherwise).
   */
  boolean fillNotificationsSubscribed() {
    return fills != null && fills.subscribed();
  }

  /**
   * Stops the fill-notification subscriber; the caller still owns (and closes) the Redis client.
   */
  public void close() {
    if (fills != null) fills.close();
  }

  /**
   * Runs pending L1 maintenance (size evictions, expirations) now; normally done on writes and
   * reads.
   */
  public void cleanUp() {
    l1.cleanUp();
  }

  // ---------------------------------------------------------------------------------------------------------------

  /**
   * Starts a background refresh of {@code key} unless a load for it is already running in this
   * process.
   */
  private void refresh(
      CacheKey key,
      DomainMeters m,
      Supplier<Future<OriginResponse>> origin,
      CachedResponse current,
      io.opentelemetry.context.Context trace) {
    if (inflight.get(key.value()) != null) return;
    Promise<Lookup> p = Promise.promise();
    if (inflight.putIfAbsent(key.value(), p.future()) != null) return;
    load(key, m, origin, current, p, true, trace);
  }

  /**
   * The single load of {@code key} in this process; completes {@code p} after L1 holds the result
   * and the key has left the in-flight map, so a later lookup finds either the entry or nothing
   * running.
   */
  private void load(
      CacheKey key,
      DomainMeters m,
      Supplier<Future<OriginResponse>> origin,
      CachedResponse l1Fallback,
      Promise<Lookup> p,
      boolean background,
      io.opentelemetry.context.Context trace) {
    String token = instanceId + ':' + tokens.incrementAndGet();
    long seq =
        evictionSeq
            .get(); // an eviction of one of the answer's tags after this point keeps it out of the
    // cache
    // interest is registered before the first look at Redis, so a fill landing in between is not
    // missed
    FillNotifications.Interest interest = fills == null ? null : fills.interest(key.value());
    Future<Lookup> result;
    try {
      result =
          l2 == null
              ? callOrigin(key, m, seq, origin, null, l1Fallback, trace)
              : l2.acquire(
                      key.value(),
                      token,
                      clock.getAsLong(),
                      background,
                      l2Clock.incrementAndGet(),
                      true)
                  .transform(
                      ar -> {
                        if (ar.failed())
                          return callOrigin(key, m, seq, origin, null, l1Fallback, trace);
                        L2Cache.Acquired a = ar.result();
                        CachedResponse fallback = laterOf(l1Fallback, a.entry());
                        return switch (a.outcome()) {
                          case SERVABLE ->
                              trustedFromL2(a.entry(), a.readStamp())
                                  ? Future.succeededFuture(fromL2(key, seq, a, CacheResult.HIT_L2))
                                  // the read may predate an eviction of one of its tags: ask the
                                  // origin (without the lease)
                                  : callOrigin(key, m, seq, origin, null, fallback, trace);
                          case WON -> callOrigin(key, m, seq, origin, token, fallback, trace);
                          case HELD ->
                              awaitFill(
                                  key,
                                  m,
                                  seq,
                                  origin,
                                  token,
                                  fallback,
                                  background,
                                  interest,
                                  System.nanoTime() + config.leaseWait().toNanos(),
                                  trace);
                        };
                      });
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(
        ar -> {
          if (interest != null) fills.release(key.value(), interest);
          inflight.remove(key.value(), p.future());
          if (!background) record(m, ar.succeeded() ? ar.result().result() : CacheResult.MISS);
          if (!background && ar.succeeded() && ar.result().degraded()) m.degraded.increment();
          else if (ar.failed())
            LOG.debug("background refresh of {} failed: {}", key, ar.cause().toString());
          complete(p, ar);
          if (ar.succeeded()
              && !background
              && ar.result().result() == CacheResult.STALE
              && !ar.result().degraded()) {
            refresh(
                key,
                m,
                origin,
                ar.result().response(),
                trace); // served stale from L2: refresh it now
          }
        });
  }

  /**
   * Looks at Redis again when the fill (or the lease's release) is announced, or after {@code
   * leasePoll} at the latest, until the fill arrives, the lease frees up (take over), or {@code
   * leaseWait} has passed (call origin).
   */
  private Future<Lookup> awaitFill(
      CacheKey key,
      DomainMeters m,
      long seq,
      Supplier<Future<OriginResponse>> origin,
      String token,
      CachedResponse fallback,
      boolean mustBeFresh,
      FillNotifications.Interest interest,
      long deadlineNanos,
      io.opentelemetry.context.Context trace) {
    if (System.nanoTime() - deadlineNanos >= 0) {
      LOG.debug("gave up waiting for the fill of {}; calling the origin", key);
      return callOrigin(key, m, seq, origin, null, fallback, trace);
    }
    Promise<Lookup> p = Promise.promise();
    AtomicBoolean polled = new AtomicBoolean();
    AtomicLong timer = new AtomicLong(-1);
    Runnable poll =
        () -> {
          if (!polled.compareAndSet(false, true))
            return; // the notification and the timer race; one poll per wait
          interest.disarm();
          long t = timer.get();
          if (t >= 0) vertx.cancelTimer(t);
          pollOnce(
                  key, m, seq, origin, token, fallback, mustBeFresh, interest, deadlineNanos, trace)
              .onComplete(ar -> complete(p, ar));
        };
    timer.set(vertx.setTimer(config.leasePoll().toMillis(), id -> poll.run()));
    interest.arm(poll);
    return p.future();
  }

  private Future<Lookup> pollOnce(
      CacheKey key,
      DomainMeters m,
      long seq,
      Supplier<Future<OriginResponse>> origin,
      String token,
      CachedResponse fallback,
      boolean mustBeFresh,
      FillNotifications.Interest interest,
      long deadlineNanos,
      io.opentelemetry.context.Context trace) {
    // straight to the script: a waiter mostly finds no entry yet, and the script also takes over a
    // free lease
    return l2.acquire(
            key.value(), token, clock.getAsLong(), mustBeFresh, l2Clock.incrementAndGet(), false)
        .transform(
            ar -> {
              if (ar.failed()) return callOrigin(key, m, seq, origin, null, fallback, trace);
              L2Cache.Acquired a = ar.result();
              CachedResponse fb = laterOf(fallback, a.entry());
              return switch (a.outcome()) {
                case SERVABLE ->
                    trustedFromL2(a.entry(), a.readStamp())
                        ? Future.succeededFuture(fromL2(key, seq, a, CacheResult.COALESCED))
                        : callOrigin(key, m, seq, origin, null, fb, trace);
                case WON -> {
                  takeovers.increment();
                  takeoverCounter.increment();
                  LOG.info(
                      "took over the fill lease of {} (previous holder did not fill in time)", key);
                  yield callOrigin(key, m, seq, origin, token, fb, trace);
                }
                case HELD ->
                    awaitFill(
                        key,
                        m,
                        seq,
                        origin,
                        token,
                        fb,
                        mustBeFresh,
                        interest,
                        deadlineNanos,
                        trace);
              };
            });
  }

  /** Stores an entry found in Redis in L1; a servable but no longer fresh one is answered STALE. */
  private Lookup fromL2(CacheKey key, long seq, L2Cache.Acquired a, CacheResult ifFresh) {
    CachedResponse r = a.entry();
    if (!evictedSince(r, seq)) {
      l1.put(key.value(), r);
      // an eviction that started between the checks and the put may have missed the entry: check
      // again
      if (evictedSince(r, seq) || !trustedFromL2(r, a.readStamp()))
        l1.invalidate(key.value(), clock.getAsLong());
    }
    return new Lookup(
        r, r.isFresh(clock.getAsLong()) ? ifFresh : CacheResult.STALE, false, System.nanoTime());
  }

  /**
   * Calls the origin (bounded by originTimeout), stores a success in L1 and (in the background) in
   * L2, releasing the lease if {@code token} is not null; on failure releases the lease and falls
   * back to stale-if-error.
   */
  private Future<Lookup> callOrigin(
      CacheKey key,
      DomainMeters m,
      long seq,
      Supplier<Future<OriginResponse>> origin,
      String token,
      CachedResponse fallback,
      io.opentelemetry.context.Context trace) {
    originCalls.increment();
    m.origin.increment();
    Span span =
        trace == null
            ? null
            : tracer
                .spanBuilder("cache origin")
                .setParent(trace)
                .setAttribute(DOMAIN, key.domain())
                .startSpan();
    Future<OriginResponse> call;
    // current while the supplier runs, so what it starts synchronously is its child
    try (Scope ignored = span == null ? null : trace.with(span).makeCurrent()) {
      call = Objects.requireNonNull(origin.get(), "origin returned null");
    } catch (RuntimeException e) {
      call = Future.failedFuture(e);
    }
    Future<OriginResponse> answered = bounded(call, config.originTimeout().toMillis());
    if (span != null) answered = ended(span, answered);
    return answered.transform(
        ar -> {
          long now = clock.getAsLong();
          if (ar.succeeded()) {
            CachedResponse r =
                config
                    .policy(key.domain())
                    .entryFor(ar.result(), now, ThreadLocalRandom.current().nextDouble(-1, 1));
            if (evictedSince(r, seq)) {
              // computed before an invalidation of what it depends on: answer the callers, never
              // answer it as fresh again, but keep it where the key has no entry as the
              // stale-if-error fallback a soft eviction would have left (else a key whose first
              // load raced a change has no safety net when the origin fails next)
              LOG.debug("not caching {}: one of its tags was evicted while it loaded", key);
              l1.putFallbackIfAbsent(key.value(), r, now);
              if (l2 != null) {
                l2.fillFallback(key.value(), r.expiredAt(r.createdAt()), token, now)
                    .onFailure(
                        t -> {
                          LOG.debug("L2 fallback fill of {} failed: {}", key, t.toString());
                          pendRefill(key.value(), r);
                        });
              }
            } else {
              l1.put(key.value(), r);
              if (evictedSince(r, seq))
                l1.invalidate(key.value(), now); // an eviction raced the put
              if (l2 != null) {
                l2.fill(key.value(), r, token, now, false)
                    .onFailure(
                        t -> {
                          LOG.debug("L2 fill of {} failed: {}", key, t.toString());
                          pendRefill(key.value(), r);
                        });
              }
            }
            return Future.succeededFuture(
                new Lookup(r, CacheResult.MISS, false, System.nanoTime()));
          }
          if (token != null) l2.release(key.value(), token);
          if (fallback != null && fallback.isWithinStaleIfError(now)) {
            LOG.debug("origin failed for {}, serving stale: {}", key, ar.cause().toString());
            // no max-age for an answer that is stale or was invalidated
            return Future.succeededFuture(
                new Lookup(fallback.expiredAt(now), CacheResult.STALE, true, System.nanoTime()));
          }
          return Future.failedFuture(ar.cause());
        });
  }

  /**
   * Keeps an entry whose Redis fill failed for a later attempt: while Redis is away (the breaker
   * open) a replica's fills reach only its own L1, and without a second attempt every other replica
   * would find nothing in Redis for those keys, no answer and no stale-if-error fallback, until the
   * next fill (the fault campaign's cross-replica 503s with the origin down came from fills dropped
   * by a breaker that opened while the JVMs warmed up).
   */
  private void pendRefill(String key, CachedResponse entry) {
    if (pendingFillCount.incrementAndGet() > MAX_PENDING_FILLS) {
      pendingFillCount.decrementAndGet();
      refillsDropped.increment();
      return;
    }
    pendingFills.add(new PendingFill(key, entry));
    scheduleRefill();
  }

  private void scheduleRefill() {
    if (refillScheduled.compareAndSet(false, true))
      vertx.setTimer(REFILL_INTERVAL_MS, id -> refill());
  }

  /**
   * Writes pending fills to Redis, at most {@link #REFILL_CONCURRENCY} at a time, while its breaker
   * is closed (the lookups' own commands probe it), only where Redis holds no entry for the key
   * (never over a fill of another replica) and only while within stale-if-error: as it was if this
   * replica's L1 still holds that very entry, valid; as an expired stale-if-error fallback (never
   * fresh) if L1 holds it invalidated (an admin change evicted it since); not at all if L1 dropped
   * it or holds a later answer. A failed attempt is kept for a later one.
   */
  private void refill() {
    refillScheduled.set(false);
    drainRefills();
    if (pendingFillCount.get() > 0 && refillsInFlight.get() == 0) scheduleRefill();
  }

  private void drainRefills() {
    while (l2.breaker().state() == L2Breaker.State.CLOSED) {
      int n = refillsInFlight.incrementAndGet();
      if (n > REFILL_CONCURRENCY) {
        refillsInFlight.decrementAndGet();
        return;
      }
      mostRefillsInFlight.accumulateAndGet(n, Math::max);
      PendingFill f = pendingFills.poll();
      if (f == null) {
        refillsInFlight.decrementAndGet();
        return;
      }
      pendingFillCount.decrementAndGet();
      Future<Void> written = rewrite(f, clock.getAsLong());
      if (written == null) {
        refillsInFlight.decrementAndGet();
        refillsDropped.increment();
        continue;
      }
      written.onComplete(
          ar -> {
            refillsInFlight.decrementAndGet();
            if (ar.succeeded()) {
              refilled.increment();
              drainRefills();
            } else {
              pendRefill(f.key(), f.entry());
            }
            if (pendingFillCount.get() > 0) scheduleRefill();
          });
    }
  }

  /** The most pending fills written at once so far (tests). */
  int mostRefillsInFlight() {
    return mostRefillsInFlight.get();
  }

  /** The write of a pending fill (see {@link #refill}), or null if it is no longer wanted. */
  private Future<Void> rewrite(PendingFill f, long now) {
    CachedResponse entry = f.entry();
    L1Entry e = l1.get(f.key());
    if (e == null || !entry.isWithinStaleIfError(now)) return null;
    if (!e.invalidated && e.response == entry) return l2.fill(f.key(), entry, null, now, true);
    if (e.invalidated
        && e.response.createdAt() == entry.createdAt()
        && e.response.etag().equals(entry.etag())) {
      // evicted since (a change of what it shows): never fresh again, but the stale-if-error
      // fallback a soft eviction leaves, as it would have left it in Redis
      return l2.fillFallback(f.key(), entry.expiredAt(entry.createdAt()), null, now);
    }
    return null; // replaced by a later answer, which filled (or pends) on its own
  }

  private <T> Future<T> bounded(Future<T> f, long ms) {
    if (f.isComplete()) return f;
    Promise<T> p = Promise.promise();
    long timer =
        vertx.setTimer(
            ms,
            id -> p.tryFail(new TimeoutException("origin did not answer within " + ms + " ms")));
    f.onComplete(
        ar -> {
          vertx.cancelTimer(timer);
          complete(p, ar);
        });
    return p.future();
  }

  /**
   * Delivers a pending answer on the caller's vert.x context (if any) rather than on the completing
   * thread.
   */
  private static <T> Future<T> deliver(Future<T> f) {
    Context ctx = Vertx.currentContext();
    if (ctx == null || f.isComplete()) return f;
    Promise<T> p = Promise.promise();
    f.onComplete(
        ar -> {
          if (Vertx.currentContext() == ctx) complete(p, ar);
          else ctx.runOnContext(v -> complete(p, ar));
        });
    return p.future();
  }

  private static <T> void complete(Promise<T> p, AsyncResult<T> ar) {
    if (ar.succeeded()) p.tryComplete(ar.result());
    else p.tryFail(ar.cause());
  }

  private static Lookup asCoalesced(Lookup l) {
    return l.result() == CacheResult.STALE
        ? l
        : new Lookup(l.response(), CacheResult.COALESCED, false, l.readyNanos());
  }

  /** The fallback candidate that stays longest within stale-if-error. */
  private static CachedResponse laterOf(CachedResponse a, CachedResponse b) {
    if (a == null) return b;
    if (b == null) return a;
    return b.staleIfErrorUntil() > a.staleIfErrorUntil() ? b : a;
  }

  private void record(DomainMeters m, CacheResult r) {
    m.lookups[r.ordinal()].increment();
    results[r.ordinal()].increment();
  }

  private long sum(CacheResult r) {
    return results[r.ordinal()].sum();
  }

  private DomainMeters meters(String domain) {
    DomainMeters m = meters.get(domain);
    return m != null ? m : meters.computeIfAbsent(domain, DomainMeters::new);
  }

  /**
   * The breaker state as the gauge reports it (same encoding as the gateway's upstream circuit
   * gauge).
   */
  static double breakerValue(L2Breaker.State state) {
    return switch (state) {
      case CLOSED -> 0;
      case HALF_OPEN -> 1;
      case OPEN -> 2;
    };
  }

  private Counter evictionCounter(String layer, String cause) {
    return Counter.builder("tarifa.cache.evictions")
        .description("Quote cache evictions")
        .tag("layer", layer)
        .tag("cause", cause)
        .register(registry);
  }

  /** The meters of one domain, resolved once so that a lookup only increments. */
  private final class DomainMeters {
    final Counter[] lookups = new Counter[CacheResult.values().length];
    final Counter origin;

    /**
     * Lookups answered stale because the origin failed (stale-if-error, {@code X-Degraded}); part
     * of {@code stale}.
     */
    final Counter degraded;

    DomainMeters(String domain) {
      for (CacheResult r : CacheResult.values()) {
        lookups[r.ordinal()] =
            Counter.builder("tarifa.cache.lookups")
                .description("Quote cache lookups by outcome")
                .tag("domain", domain)
                .tag("result", r.metricTag())
                .register(registry);
      }
      origin =
          Counter.builder("tarifa.cache.origin.calls")
              .description("Origin calls made by the quote cache")
              .tag("domain", domain)
              .register(registry);
      degraded =
          Counter.builder("tarifa.cache.degraded")
              .description("Lookups answered with a stale entry because the origin failed")
              .tag("domain", domain)
              .register(registry);
    }
  }
}
