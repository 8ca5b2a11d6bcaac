package dev.tarifa.gateway.edge;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tarifa.shared.metrics.Metrics;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rate limit every gateway replica shares, kept in Redis with GCRA (the generic cell rate
 * algorithm, as in redis-cell and Brandur's throttled): per client one key holding its theoretical
 * arrival time (TAT), updated by one Lua {@code EVAL} per check, so a check is one round trip and
 * atomic across replicas. The clock is Redis's ({@code TIME}), so replicas' clocks need not agree.
 * Same rate and burst as the local bucket: with N replicas a client gets its limit once, not N
 * times.
 *
 * <p>Leases: one round trip per request halves the gateway's throughput on its fastest path (an L1
 * hit), so a check takes up to {@link #leaseSize} requests at once from the shared budget and keeps
 * the rest as a local lease for that client, spent by its next requests on this replica without a
 * round trip (for at most {@link #LEASE_LIFETIME}). Every admitted request has been charged in
 * Redis, so leases never let a client exceed its limit; the price is budget stranded in a lease
 * that expires unused: at most {@code leaseSize - 1} requests per replica and client, which a
 * client spreading a burst over replicas may be refused early.
 *
 * <p>Fail-open: a check that fails or takes longer than the timeout admits the request (the local
 * bucket still applies), and after such a failure the shared budget is skipped for {@link #PAUSE}
 * so a Redis that is down or slow costs no latency per request. Every decision is counted in {@code
 * tarifa_gateway_rate_limit_shared_total{result=allowed|limited|failopen}}. Thread-safe.
 */
public final class SharedBudget {
  /** How long the shared budget is skipped (fail-open) after Redis failed or was too slow. */
  public static final Duration PAUSE = Duration.ofSeconds(1);

  /** How long requests taken ahead from the shared budget stay usable on this replica. */
  public static final Duration LEASE_LIFETIME = Duration.ofSeconds(1);

  private static final Logger log = LoggerFactory.getLogger(SharedBudget.class);

  // KEYS[1] client key; ARGV[1] emission interval (µs per request), ARGV[2] tolerance (interval ×
  // burst), ARGV[3] how
  // many requests to take at most. Takes as many as conform, up to ARGV[3], and stores the new TAT.
  // Returns {taken, µs until the next request would conform (when none was taken)}.
  private static final String GCRA =
      """
    local t = redis.call('TIME')
    local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
    local interval = tonumber(ARGV[1])
    local tolerance = tonumber(ARGV[2])
    local tat = tonumber(redis.call('GET', KEYS[1]) or now)
    if tat < now then tat = now end
    local n = math.min(tonumber(ARGV[3]), math.floor((tolerance - (tat - now)) / interval))
    if n < 1 then return {0, tat + interval - now - tolerance} end
    local new_tat = tat + n * interval
    redis.call('SET', KEYS[1], string.format('%d', new_tat), 'PX', math.max(1, math.ceil((new_tat - now) / 1000)))
    return {n, 0}
    """;

  private static final Counter ALLOWED = counter("allowed");
  private static final Counter LIMITED = counter("limited");
  private static final Counter FAIL_OPEN = counter("failopen");

  private final Vertx vertx;
  private final Redis redis;
  private final String prefix;
  private final String interval;
  private final String tolerance;
  private final long timeoutMs;
  private final LongSupplier nanoClock;
  private final int leaseSize;
  private final String leaseArg;
  private final Cache<String, Lease> leases;
  private volatile long pausedUntil;

  /**
   * @param prefix prefix of the Redis keys ({@code <prefix>rl:<client>})
   * @param timeout bound of one check; a slower answer is a fail-open
   */
  public SharedBudget(
      Vertx vertx, Redis redis, String prefix, double ratePerSecond, int burst, Duration timeout) {
    this(
        vertx,
        redis,
        prefix,
        ratePerSecond,
        burst,
        timeout,
        defaultLeaseSize(burst),
        System::nanoTime);
  }

  /** A tenth of the burst, between 1 and 20: small next to the burst, so little can be stranded. */
  static int defaultLeaseSize(int burst) {
    return Math.max(1, Math.min(20, burst / 10));
  }

  SharedBudget(
      Vertx vertx,
      Redis redis,
      String prefix,
      double ratePerSecond,
      int burst,
      Duration timeout,
      int leaseSize,
      LongSupplier nanoClock) {
    this.vertx = vertx;
    this.redis = redis;
    this.prefix = prefix + "rl:";
    long intervalMicros = Math.max(1, Math.round(1_000_000 / ratePerSecond));
    this.interval = Long.toString(intervalMicros);
    this.tolerance = Long.toString(intervalMicros * burst);
    this.timeoutMs = Math.max(1, timeout.toMillis());
    this.nanoClock = nanoClock;
    this.pausedUntil = nanoClock.getAsLong();
    this.leaseSize = leaseSize;
    this.leaseArg = Integer.toString(leaseSize);
    this.leases =
        Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(LEASE_LIFETIME).build();
  }

  /**
   * Takes one request from {@code client}'s shared budget: from its lease on this replica when one
   * is left (no round trip), else from Redis (taking up to {@link #leaseSize} and leasing the
   * rest). Never fails: completes with 0 when admitted (also when Redis could not answer in time),
   * else with the nanoseconds until the client may try again.
   */
  public Future<Long> tryAcquire(String client) {
    Lease lease = leases.getIfPresent(client);
    if (lease != null && lease.take(nanoClock.getAsLong())) {
      ALLOWED.increment();
      return Future.succeededFuture(0L);
    }
    if (nanoClock.getAsLong() - pausedUntil < 0) {
      FAIL_OPEN.increment();
      return Future.succeededFuture(0L);
    }
    Promise<Long> p = Promise.promise();
    // Whoever decides first (the answer or the timeout) counts the decision, then completes:
    // counted before the
    // request goes on, so a counter read after the answer has arrived already includes it.
    AtomicBoolean decided = new AtomicBoolean();
    long timer =
        vertx.setTimer(
            timeoutMs, id -> failOpen(p, decided, "no answer within " + timeoutMs + " ms"));
    Future<Response> sent;
    try {
      sent =
          redis.send(
              Request.cmd(Command.EVAL)
                  .arg(GCRA)
                  .arg(1)
                  .arg(prefix + client)
                  .arg(interval)
                  .arg(tolerance)
                  .arg(leaseArg));
    } catch (RuntimeException e) {
      sent = Future.failedFuture(e);
    }
    sent.onComplete(
        ar -> {
          vertx.cancelTimer(timer);
          if (ar.failed()) {
            failOpen(p, decided, String.valueOf(ar.cause()));
            return;
          }
          long taken = ar.result().get(0).toLong();
          if (taken > 1) {
            long now = nanoClock.getAsLong();
            long expires = now + LEASE_LIFETIME.toNanos();
            leases
                .asMap()
                .compute(
                    client,
                    (k, old) ->
                        old != null && old.add(taken - 1, now, expires)
                            ? old
                            : new Lease(taken - 1, expires));
          }
          long waitNanos =
              taken > 0
                  ? 0L
                  : TimeUnit.MICROSECONDS.toNanos(Math.max(1, ar.result().get(1).toLong()));
          if (decided.compareAndSet(false, true)) {
            (taken > 0 ? ALLOWED : LIMITED).increment();
            p.complete(waitNanos);
          }
        });
    return p.future();
  }

  private void failOpen(Promise<Long> p, AtomicBoolean decided, String why) {
    if (!decided.compareAndSet(false, true)) return;
    // Paused before the request goes on, so the next check already skips Redis.
    boolean wasRunning = nanoClock.getAsLong() - pausedUntil >= 0;
    pausedUntil = nanoClock.getAsLong() + PAUSE.toNanos();
    FAIL_OPEN.increment();
    p.complete(0L);
    if (wasRunning)
      log.warn(
          "shared rate limit unavailable, local limits only for {} ms: {}", PAUSE.toMillis(), why);
  }

  /** The lease size: requests taken from the shared budget per round trip at most. */
  public int leaseSize() {
    return leaseSize;
  }

  /**
   * Requests already charged to the shared budget, to be spent on this replica before {@code
   * expires}.
   */
  private static final class Lease {
    private long left;
    private long expires;

    Lease(long left, long expires) {
      this.left = left;
      this.expires = expires;
    }

    synchronized boolean take(long now) {
      if (left <= 0 || now - expires >= 0) return false;
      left--;
      return true;
    }

    /** Adds to a live lease; false when it has expired (the caller's fresh lease replaces it). */
    synchronized boolean add(long n, long now, long newExpires) {
      if (now - expires >= 0) return false;
      left += n;
      expires = newExpires;
      return true;
    }
  }

  private static Counter counter(String result) {
    return Counter.builder("tarifa_gateway_rate_limit_shared")
        .description(
            "decisions of the rate limit shared by the gateway replicas (Redis): allowed, limited, or failopen when Redis did not answer in time")
        .tag("result", result)
        .register(Metrics.registry());
  }
}
