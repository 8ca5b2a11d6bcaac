package dev.tarifa.shared.cache;

import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The Redis layer. Each entry is a hash at {@code <prefix>c:<key>} with fields {@code v} (the
 * {@link CachedResponse#serialize() serialised entry}), {@code s} and {@code h} (its soft and hard expiry, so
 * scripts can judge freshness without decoding) and {@code n} (1 for a negative entry), expiring (PEXPIRE) at its
 * stale-if-error end. Eviction is soft: {@code s} and {@code h} are set to 0, so the entry is never answered as
 * fresh again but is still returned with the lease as the stale-if-error fallback; negative entries are deleted.
 * Tag sets are
 * {@code <prefix>t:<tag>} holding entry key names; fill leases are {@code <prefix>l:<key>}; fills and lease
 * releases are published on {@code <prefix>fills}.
 *
 * <p>Every multi-step operation is one Lua script, so it is atomic and costs one round trip. Every command goes
 * through the breaker and is bounded by the configured timeout; a rejected, failed or late command completes its
 * future with a failure, never later than the timeout.
 */
final class L2Cache {
  private static final Logger LOG = LoggerFactory.getLogger(L2Cache.class);

  /** Returned by {@link #acquire}: what a miss found in Redis. */
  enum Outcome { SERVABLE, WON, HELD }

  /** @param readStamp the caller's stamp taken before the command was sent (see QuoteCache's eviction rules) */
  record Acquired(Outcome outcome, CachedResponse entry, long readStamp) {}

  /** Rejected by the open breaker; shared, without stack trace, so rejection allocates nothing. */
  static final RuntimeException REJECTED = new L2Unavailable("L2 circuit open");
  private static final RuntimeException TIMEOUT = new L2Unavailable("L2 command timed out");

  static final class L2Unavailable extends RuntimeException {
    L2Unavailable(String message) {
      super(message, null, false, false);
    }
  }

  /*
   * KEYS: entry, lease. ARGV: token, lease ms, now, field ('s' = must be fresh, 'h' = fresh or SWR).
   * {1, v}: the entry is good enough; {2, v|nil}: lease taken; {0, v|nil}: another holder has the lease.
   * v is returned with 2 and 0 as well, as a stale-if-error fallback.
   */
  private static final String ACQUIRE = """
    local e = redis.call('HMGET', KEYS[1], 'v', ARGV[4])
    if e[1] and tonumber(e[2]) > tonumber(ARGV[3]) then return {1, e[1]} end
    if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return {2, e[1]} end
    return {0, e[1]}
    """;

  /*
   * KEYS: entry, lease, tag sets... ARGV: v, s, h, ttl ms, token ('' = no lease to release), fill channel, key,
   * negative (1/0).
   * Publishes the key on the fill channel, so waiting replicas read the fill at once (FillNotifications).
   */
  private static final String FILL = """
    redis.call('HSET', KEYS[1], 'v', ARGV[1], 's', ARGV[2], 'h', ARGV[3], 'n', ARGV[8])
    redis.call('PEXPIRE', KEYS[1], ARGV[4])
    for i = 3, #KEYS do
      redis.call('SADD', KEYS[i], KEYS[1])
      if redis.call('PTTL', KEYS[i]) < tonumber(ARGV[4]) then redis.call('PEXPIRE', KEYS[i], ARGV[4]) end
    end
    if ARGV[5] ~= '' and redis.call('GET', KEYS[2]) == ARGV[5] then redis.call('DEL', KEYS[2]) end
    redis.call('PUBLISH', ARGV[6], ARGV[7])
    return 1
    """;

  /* Compare-and-delete: only the lease's owner releases it; then waiters are told, so one takes over at once. */
  private static final String RELEASE = """
    if redis.call('GET', KEYS[1]) == ARGV[1] then
      redis.call('DEL', KEYS[1])
      redis.call('PUBLISH', ARGV[2], ARGV[3])
      return 1
    end
    return 0
    """;

  /*
   * KEYS: tag sets. Soft-evicts every valid entry of each set (negative ones are deleted), deletes the sets and
   * returns the number evicted per set: one round trip for a whole batch of tags.
   */
  private static final String EVICT_TAGS = """
    local out = {}
    for t = 1, #KEYS do
      local m = redis.call('SMEMBERS', KEYS[t])
      local n = 0
      for i = 1, #m do
        local e = redis.call('HMGET', m[i], 's', 'n')
        if e[1] and tonumber(e[1]) > 0 then
          if e[2] == '1' then redis.call('DEL', m[i]) else redis.call('HSET', m[i], 's', 0, 'h', 0) end
          n = n + 1
        end
      end
      redis.call('DEL', KEYS[t])
      out[t] = n
    end
    return out
    """;

  /* KEYS: entry. Soft-evicts it as EVICT_TAGS does; returns 1 if a valid entry existed. */
  private static final String EVICT_KEY = """
    local e = redis.call('HMGET', KEYS[1], 's', 'n')
    if not e[1] or tonumber(e[1]) == 0 then return 0 end
    if e[2] == '1' then redis.call('DEL', KEYS[1]) else redis.call('HSET', KEYS[1], 's', 0, 'h', 0) end
    return 1
    """;

  private final Vertx vertx;
  private final Redis redis;
  private final L2Breaker breaker;
  private final Timer latency;
  private final String prefix;
  private final long timeoutMs;
  private final long leaseMs;
  /** Commands handed to the Redis client (admitted by the breaker), whether or not they completed yet. */
  private final LongAdder sent = new LongAdder();

  L2Cache(Vertx vertx, Redis redis, CacheConfig config, LongSupplier clock, Timer latency) {
    this.vertx = vertx;
    this.redis = redis;
    this.breaker = new L2Breaker(clock, config.breakerFailures(), config.breakerReset().toMillis());
    this.latency = latency;
    this.prefix = config.keyPrefix();
    this.timeoutMs = config.l2Timeout().toMillis();
    this.leaseMs = config.leaseTtl().toMillis();
  }

  String entryKey(String key) { return prefix + "c:" + key; }
  String tagKey(String tag) { return prefix + "t:" + tag; }
  String leaseKey(String key) { return prefix + "l:" + key; }
  /** The pub/sub channel on which fills and lease releases are announced (the message is the cache key). */
  String fillChannel() { return prefix + "fills"; }

  L2Breaker breaker() {
    return breaker;
  }

  /** Commands sent so far; unlike the latency timer, counted when sent, not when answered. */
  long commandsSent() {
    return sent.sum();
  }

  /**
   * One atomic look at Redis for a miss: the entry if it is good enough at {@code now} (fresh when
   * {@code mustBeFresh}, else fresh or within SWR), else the lease if free, else HELD. An entry that fails to
   * decode is treated as absent.
   */
  Future<Acquired> acquire(String key, String token, long now, boolean mustBeFresh, long readStamp) {
    Request r = Request.cmd(Command.EVAL).arg(ACQUIRE).arg(2).arg(entryKey(key)).arg(leaseKey(key))
      .arg(token).arg(leaseMs).arg(now).arg(mustBeFresh ? "s" : "h");
    return send(r).map(res -> {
      int code = res.get(0).toInteger();
      CachedResponse entry = decode(key, res.size() > 1 ? res.get(1) : null);
      if (code == 1 && entry == null) {
        // undecodable (another format version?): drop it so the next poll can take the lease
        send(Request.cmd(Command.DEL).arg(entryKey(key)));
        code = 0;
      }
      return new Acquired(code == 1 ? Outcome.SERVABLE : code == 2 ? Outcome.WON : Outcome.HELD, entry, readStamp);
    });
  }

  /** Writes {@code entry} with its tags and, if {@code token} is not null and still owns the lease, releases it. */
  Future<Void> fill(String key, CachedResponse entry, String token, long now) {
    long ttl = entry.staleIfErrorUntil() - now;
    if (ttl <= 0) return token == null ? Future.succeededFuture() : release(key, token);
    Request r = Request.cmd(Command.EVAL).arg(FILL).arg(2 + entry.tags().size()).arg(entryKey(key)).arg(leaseKey(key));
    for (String tag : entry.tags()) r.arg(tagKey(tag));
    r.arg(entry.serialize()).arg(entry.softExpiresAt()).arg(entry.hardExpiresAt()).arg(ttl).arg(token == null ? "" : token)
      .arg(fillChannel()).arg(key).arg(entry.negative() ? 1 : 0);
    return send(r).mapEmpty();
  }

  Future<Void> release(String key, String token) {
    return send(Request.cmd(Command.EVAL).arg(RELEASE).arg(1).arg(leaseKey(key)).arg(token).arg(fillChannel()).arg(key)).mapEmpty();
  }

  /**
   * Soft-evicts every entry in the sets of {@code tags} and deletes the sets, in one script (one round trip);
   * returns the number of valid entries evicted per tag, in order.
   */
  Future<List<Long>> evictTags(List<String> tags) {
    Request r = Request.cmd(Command.EVAL).arg(EVICT_TAGS).arg(tags.size());
    for (String tag : tags) r.arg(tagKey(tag));
    return send(r).map(res -> {
      List<Long> out = new ArrayList<>(tags.size());
      for (int i = 0; i < tags.size(); i++) out.add(i < res.size() ? res.get(i).toLong() : 0L);
      return out;
    });
  }

  /** Soft-evicts the entry of {@code key}; returns whether a valid one existed. */
  Future<Boolean> evictKey(String key) {
    return send(Request.cmd(Command.EVAL).arg(EVICT_KEY).arg(1).arg(entryKey(key))).map(res -> res.toLong() > 0);
  }

  /** Sends one command through the breaker, bounded by the timeout, timing it. */
  Future<Response> send(Request request) {
    if (!breaker.tryAcquire()) return Future.failedFuture(REJECTED);
    sent.increment();
    Timer.Sample sample = Timer.start();
    Promise<Response> p = Promise.promise();
    long timer = vertx.setTimer(timeoutMs, id -> {
      if (p.tryFail(TIMEOUT)) failed(TIMEOUT);
    });
    Future<Response> f;
    try {
      f = redis.send(request);
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    f.onComplete(ar -> {
      vertx.cancelTimer(timer);
      sample.stop(latency);
      if (ar.succeeded()) {
        if (p.tryComplete(ar.result())) breaker.onSuccess();
      } else if (p.tryFail(ar.cause())) {
        failed(ar.cause());
      }
    });
    return p.future();
  }

  private void failed(Throwable cause) {
    if (breaker.onFailure()) LOG.warn("Redis cache layer unavailable, serving from L1 and origin: {}", cause.toString());
    else LOG.debug("Redis cache command failed: {}", cause.toString());
  }

  private static CachedResponse decode(String key, Response v) {
    if (v == null) return null;
    try {
      return CachedResponse.deserialize(v.toBuffer());
    } catch (IllegalArgumentException e) {
      LOG.warn("ignoring undecodable L2 entry for {}: {}", key, e.getMessage());
      return null;
    }
  }

  static boolean isUnavailable(Throwable t) {
    return t instanceof L2Unavailable;
  }

}
