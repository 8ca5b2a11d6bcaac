package dev.tarifa.gateway.edge;

import dev.tarifa.shared.metrics.Metrics;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The rate limit every gateway replica shares, kept in Redis with GCRA (the generic cell rate algorithm, as in
 * redis-cell and Brandur's throttled): per client one key holding its theoretical arrival time (TAT), updated by one
 * Lua {@code EVAL} per check, so a check is one round trip and atomic across replicas. The clock is Redis's
 * ({@code TIME}), so replicas' clocks need not agree. Same rate and burst as the local bucket: with N replicas a
 * client gets its limit once, not N times.
 *
 * <p>Fail-open: a check that fails or takes longer than the timeout admits the request (the local bucket still
 * applies), and after such a failure the shared budget is skipped for {@link #PAUSE} so a Redis that is down or
 * slow costs no latency per request. Every decision is counted in
 * {@code tarifa_gateway_rate_limit_shared_total{result=allowed|limited|failopen}}. Thread-safe.
 */
public final class SharedBudget {
  /** How long the shared budget is skipped (fail-open) after Redis failed or was too slow. */
  public static final Duration PAUSE = Duration.ofSeconds(1);
  private static final Logger log = LoggerFactory.getLogger(SharedBudget.class);

  // KEYS[1] client key; ARGV[1] emission interval (µs per request), ARGV[2] tolerance (interval × burst).
  // Returns 0 when admitted (and stores the new TAT), else the µs until the next request would be.
  private static final String GCRA = """
    local t = redis.call('TIME')
    local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
    local interval = tonumber(ARGV[1])
    local tolerance = tonumber(ARGV[2])
    local tat = tonumber(redis.call('GET', KEYS[1]) or now)
    if tat < now then tat = now end
    local new_tat = tat + interval
    local ahead = new_tat - now
    if ahead > tolerance then return ahead - tolerance end
    redis.call('SET', KEYS[1], string.format('%d', new_tat), 'PX', math.max(1, math.ceil(ahead / 1000)))
    return 0
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
  private volatile long pausedUntil;

  /**
   * @param prefix  prefix of the Redis keys ({@code <prefix>rl:<client>})
   * @param timeout bound of one check; a slower answer is a fail-open
   */
  public SharedBudget(Vertx vertx, Redis redis, String prefix, double ratePerSecond, int burst, Duration timeout) {
    this(vertx, redis, prefix, ratePerSecond, burst, timeout, System::nanoTime);
  }

  SharedBudget(Vertx vertx, Redis redis, String prefix, double ratePerSecond, int burst, Duration timeout, LongSupplier nanoClock) {
    this.vertx = vertx;
    this.redis = redis;
    this.prefix = prefix + "rl:";
    long intervalMicros = Math.max(1, Math.round(1_000_000 / ratePerSecond));
    this.interval = Long.toString(intervalMicros);
    this.tolerance = Long.toString(intervalMicros * burst);
    this.timeoutMs = Math.max(1, timeout.toMillis());
    this.nanoClock = nanoClock;
    this.pausedUntil = nanoClock.getAsLong();
  }

  /**
   * Takes one request from {@code client}'s shared budget. Never fails: completes with 0 when admitted (also when
   * Redis could not answer in time), else with the nanoseconds until the client may try again.
   */
  public Future<Long> tryAcquire(String client) {
    if (nanoClock.getAsLong() - pausedUntil < 0) {
      FAIL_OPEN.increment();
      return Future.succeededFuture(0L);
    }
    Promise<Long> p = Promise.promise();
    long timer = vertx.setTimer(timeoutMs, id -> failOpen(p, "no answer within " + timeoutMs + " ms"));
    Future<Response> sent;
    try {
      sent = redis.send(Request.cmd(Command.EVAL).arg(GCRA).arg(1).arg(prefix + client).arg(interval).arg(tolerance));
    } catch (RuntimeException e) {
      sent = Future.failedFuture(e);
    }
    sent.onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.failed()) {
        failOpen(p, String.valueOf(ar.cause()));
        return;
      }
      long waitMicros = ar.result() == null ? 0 : ar.result().toLong();
      if (p.tryComplete(waitMicros <= 0 ? 0L : TimeUnit.MICROSECONDS.toNanos(waitMicros))) {
        (waitMicros <= 0 ? ALLOWED : LIMITED).increment();
      }
    });
    return p.future();
  }

  private void failOpen(Promise<Long> p, String why) {
    if (p.future().isComplete()) return;
    // Paused before the request goes on, so the next check already skips Redis.
    boolean wasRunning = nanoClock.getAsLong() - pausedUntil >= 0;
    pausedUntil = nanoClock.getAsLong() + PAUSE.toNanos();
    if (!p.tryComplete(0L)) return;
    FAIL_OPEN.increment();
    if (wasRunning) log.warn("shared rate limit unavailable, local limits only for {} ms: {}", PAUSE.toMillis(), why);
  }

  private static Counter counter(String result) {
    return Counter.builder("tarifa_gateway_rate_limit_shared")
      .description("decisions of the rate limit shared by the gateway replicas (Redis): allowed, limited, or failopen when Redis did not answer in time")
      .tag("result", result).register(Metrics.registry());
  }
}
