package dev.tarifa.shared.cache;

import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Redis layer. Each entry is a string at {@code <prefix>c2:<key>} holding the entry's {@link
 * CachedResponse#serialize() stored form} (a fixed header whose soft and hard expiry scripts can
 * read with {@code GETRANGE}, then the bodies as written to clients), expiring (PX) at its
 * stale-if-error end. A lookup reads it with one plain {@code GET} and slices the bodies out of the
 * answer, decoding no body; only when that entry is not good enough does it run the lease script.
 * Eviction is soft: the state byte is set to invalidated in place ({@code SETRANGE}), so the entry
 * is never answered as fresh again but is still returned with the lease as the stale-if-error
 * fallback; negative entries are deleted. Tag sets are {@code <prefix>t2:<tag>} holding entry key
 * names; fill leases are {@code <prefix>l:<key>}; fills and lease releases are published on {@code
 * <prefix>fills}.
 *
 * <p>The {@code 2} in {@code c2:} and {@code t2:} is the stored form's version: entries of the
 * earlier form (Redis hashes at {@code c:}, their tag sets at {@code t:}) are never read nor
 * evicted by this version and expire on their own, and a replica of the earlier version ignores
 * these (a rolling upgrade costs misses, never errors).
 *
 * <p>Every multi-step operation is one Lua script, so it is atomic and costs one round trip. Every
 * command goes through the breaker and is bounded by the configured timeout; a rejected, failed or
 * late command completes its future with a failure, never later than the timeout.
 */
final class L2Cache {
  private static final Logger LOG = LoggerFactory.getLogger(L2Cache.class);

  /** Returned by {@link #acquire}: what a miss found in Redis. */
  enum Outcome {
    SERVABLE,
    WON,
    HELD
  }

  /**
   * @param readStamp the caller's stamp taken before the command was sent (see QuoteCache's
   *     eviction rules)
   */
  record Acquired(Outcome outcome, CachedResponse entry, long readStamp) {}

  /** Rejected by the open breaker; shared, without stack trace, so rejection allocates nothing. */
  static final RuntimeException REJECTED = new L2Unavailable("L2 circuit open");

  private static final RuntimeException TIMEOUT = new L2Unavailable("L2 command timed out");

  static final class L2Unavailable extends RuntimeException {
    L2Unavailable(String message) {
      super(message, null, false, false);
    }
  }

  /** 1-based positions (Lua) of the stored form's fields that the scripts read. */
  private static final int STATE_POS = CachedResponse.STATE_OFFSET + 1;

  private static final String SOFT_POS = Integer.toString(CachedResponse.SOFT_OFFSET + 1);
  private static final String HARD_POS = Integer.toString(CachedResponse.HARD_OFFSET + 1);

  /*
   * KEYS: entry, lease. ARGV: token, lease ms, now, position of the expiry to judge by (soft = must be fresh, hard =
   * fresh or SWR), whether to return the entry when it is not good enough ('1'; '0' when the caller has it already).
   * {1, v}: the entry is good enough; {2, v|false}: lease taken; {0, v|false}: another holder has the lease.
   * v is returned with 2 and 0 as well, as a stale-if-error fallback.
   */
  private static final String ACQUIRE =
      """
    local h = redis.call('GETRANGE', KEYS[1], 0, %d)
    if #h == %d and string.byte(h, 1) == %d and string.byte(h, %d) == %d then
      local p = tonumber(ARGV[4])
      if tonumber(string.sub(h, p, p + %d)) > tonumber(ARGV[3]) then return {1, redis.call('GET', KEYS[1])} end
    end
    local v = false
    if #h > 0 and ARGV[5] == '1' then v = redis.call('GET', KEYS[1]) end
    if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return {2, v} end
    return {0, v}
    """
          .formatted(
              CachedResponse.SCRIPT_HEADER_BYTES - 1,
              CachedResponse.SCRIPT_HEADER_BYTES,
              CachedResponse.FORMAT_VERSION,
              STATE_POS,
              (int) CachedResponse.STATE_VALID,
              CachedResponse.DIGITS - 1);

  /*
   * KEYS: entry, lease, tag sets... ARGV: stored form, ttl ms, token ('' = no lease to release), fill channel, key,
   * '1' to store only where the key has no entry. Publishes the key on the fill channel, so waiting replicas read the
   * fill at once (FillNotifications).
   */
  private static final String FILL =
      """
    if ARGV[6] == '1' then
      if not redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return 0 end
    else
      redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
    end
    for i = 3, #KEYS do
      redis.call('SADD', KEYS[i], KEYS[1])
      if redis.call('PTTL', KEYS[i]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[i], ARGV[2]) end
    end
    if ARGV[3] ~= '' and redis.call('GET', KEYS[2]) == ARGV[3] then redis.call('DEL', KEYS[2]) end
    redis.call('PUBLISH', ARGV[4], ARGV[5])
    return 1
    """;

  /*
   * KEYS: entry, lease. ARGV: stored form, ttl ms, token ('' = no lease to release), fill channel, key. Stores the
   * entry only where Redis holds none for the key (never over another replica's newer fill); no tags: it is stored
   * expired, as a stale-if-error fallback, and an eviction could not make it less fresh. Then releases the lease as
   * RELEASE does, so a waiter takes over at once.
   */
  private static final String FILL_FALLBACK =
      """
    redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX')
    if ARGV[3] ~= '' and redis.call('GET', KEYS[2]) == ARGV[3] then
      redis.call('DEL', KEYS[2])
      redis.call('PUBLISH', ARGV[4], ARGV[5])
    end
    return 1
    """;

  /* Compare-and-delete: only the lease's owner releases it; then waiters are told, so one takes over at once. */
  private static final String RELEASE =
      """
    if redis.call('GET', KEYS[1]) == ARGV[1] then
      redis.call('DEL', KEYS[1])
      redis.call('PUBLISH', ARGV[2], ARGV[3])
      return 1
    end
    return 0
    """;

  /*
   * Soft eviction of the entry named m (a Lua function shared by both eviction scripts): a valid entry is marked
   * invalidated in place (negative ones are deleted); returns 1 if it was valid.
   */
  private static final String SOFT_EVICT =
      """
    local function evict(m)
      local h = redis.call('GETRANGE', m, 0, %d)
      if #h < %d or string.byte(h, %d) ~= %d then return 0 end
      if string.byte(h, 2) %% 2 == 1 then redis.call('DEL', m) else redis.call('SETRANGE', m, %d, '%c') end
      return 1
    end
    """
          .formatted(
              CachedResponse.STATE_OFFSET,
              CachedResponse.STATE_OFFSET + 1,
              STATE_POS,
              (int) CachedResponse.STATE_VALID,
              CachedResponse.STATE_OFFSET,
              (char) CachedResponse.STATE_INVALIDATED);

  /*
   * KEYS: tag sets. Soft-evicts every valid entry of each set, deletes the sets and returns the number evicted per
   * set: one round trip for a whole batch of tags.
   */
  private static final String EVICT_TAGS =
      SOFT_EVICT
          + """
    local out = {}
    for t = 1, #KEYS do
      local m = redis.call('SMEMBERS', KEYS[t])
      local n = 0
      for i = 1, #m do n = n + evict(m[i]) end
      redis.call('DEL', KEYS[t])
      out[t] = n
    end
    return out
    """;

  /* KEYS: entry. Soft-evicts it as EVICT_TAGS does; returns 1 if a valid entry existed. */
  private static final String EVICT_KEY =
      SOFT_EVICT
          + """
    return evict(KEYS[1])
    """;

  private final Vertx vertx;
  private final Redis redis;
  private final L2Breaker breaker;
  private final Timer latency;
  private final String prefix;
  private final long timeoutMs;
  private final long leaseMs;

  /**
   * Commands handed to the Redis client (admitted by the breaker), whether or not they completed
   * yet.
   */
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

  String entryKey(String key) {
    return prefix + "c2:" + key;
  }

  String tagKey(String tag) {
    return prefix + "t2:" + tag;
  }

  String leaseKey(String key) {
    return prefix + "l:" + key;
  }

  /**
   * The pub/sub channel on which fills and lease releases are announced (the message is the cache
   * key).
   */
  String fillChannel() {
    return prefix + "fills";
  }

  L2Breaker breaker() {
    return breaker;
  }

  /** Commands sent so far; unlike the latency timer, counted when sent, not when answered. */
  long commandsSent() {
    return sent.sum();
  }

  /**
   * A look at Redis for a miss: the entry if it is good enough at {@code now} (fresh when {@code
   * mustBeFresh}, else fresh or within SWR), else the lease if free, else HELD. With {@code
   * readFirst}, a plain {@code GET} comes first and answers alone when the entry is good enough
   * (the common case of an L2 hit: no script, no body decoded); otherwise, or without {@code
   * readFirst}, one atomic script decides (and returns the entry it found, as the fallback). An
   * entry that fails to decode is treated as absent.
   */
  Future<Acquired> acquire(
      String key, String token, long now, boolean mustBeFresh, long readStamp, boolean readFirst) {
    if (!readFirst) return acquireScript(key, token, now, mustBeFresh, readStamp, null);
    return send(Request.cmd(Command.GET).arg(entryKey(key)))
        .compose(
            res -> {
              CachedResponse entry = decode(key, res);
              if (entry != null && (mustBeFresh ? entry.isFresh(now) : entry.isServable(now))) {
                return Future.succeededFuture(new Acquired(Outcome.SERVABLE, entry, readStamp));
              }
              return acquireScript(key, token, now, mustBeFresh, readStamp, entry);
            });
  }

  /**
   * The lease script; {@code known}: the entry the caller read just before (then the script does
   * not return it again).
   */
  private Future<Acquired> acquireScript(
      String key,
      String token,
      long now,
      boolean mustBeFresh,
      long readStamp,
      CachedResponse known) {
    Request r =
        Request.cmd(Command.EVAL)
            .arg(ACQUIRE)
            .arg(2)
            .arg(entryKey(key))
            .arg(leaseKey(key))
            .arg(token)
            .arg(leaseMs)
            .arg(now)
            .arg(mustBeFresh ? SOFT_POS : HARD_POS)
            .arg(known == null ? "1" : "0");
    return send(r)
        .map(
            res -> {
              int code = res.get(0).toInteger();
              CachedResponse entry = decode(key, res.size() > 1 ? res.get(1) : null);
              if (code == 1 && entry == null) {
                // undecodable although the script judged it: drop it so the next poll can take the
                // lease
                send(Request.cmd(Command.DEL).arg(entryKey(key)));
                code = 0;
              }
              if (code != 1 && entry == null) entry = known;
              return new Acquired(
                  code == 1 ? Outcome.SERVABLE : code == 2 ? Outcome.WON : Outcome.HELD,
                  entry,
                  readStamp);
            });
  }

  /**
   * Writes {@code entry} with its tags and, if {@code token} is not null and still owns the lease,
   * releases it; with {@code onlyIfAbsent}, writes nothing where Redis holds an entry for the key.
   */
  Future<Void> fill(
      String key, CachedResponse entry, String token, long now, boolean onlyIfAbsent) {
    long ttl = entry.staleIfErrorUntil() - now;
    if (ttl <= 0) return token == null ? Future.succeededFuture() : release(key, token);
    Request r =
        Request.cmd(Command.EVAL)
            .arg(FILL)
            .arg(2 + entry.tags().size())
            .arg(entryKey(key))
            .arg(leaseKey(key));
    for (String tag : entry.tags()) r.arg(tagKey(tag));
    r.arg(entry.serialize())
        .arg(ttl)
        .arg(token == null ? "" : token)
        .arg(fillChannel())
        .arg(key)
        .arg(onlyIfAbsent ? "1" : "0");
    return send(r).mapEmpty();
  }

  /**
   * Stores {@code entry}, which must already be expired (never fresh nor within SWR), as the key's
   * stale-if-error fallback if Redis holds no entry for the key, and releases the lease if {@code
   * token} is not null and still owns it.
   */
  Future<Void> fillFallback(String key, CachedResponse entry, String token, long now) {
    long ttl = entry.staleIfErrorUntil() - now;
    if (ttl <= 0 || entry.negative() || entry.isServable(now))
      return token == null ? Future.succeededFuture() : release(key, token);
    return send(Request.cmd(Command.EVAL)
            .arg(FILL_FALLBACK)
            .arg(2)
            .arg(entryKey(key))
            .arg(leaseKey(key))
            .arg(entry.serialize())
            .arg(ttl)
            .arg(token == null ? "" : token)
            .arg(fillChannel())
            .arg(key))
        .mapEmpty();
  }

  Future<Void> release(String key, String token) {
    return send(Request.cmd(Command.EVAL)
            .arg(RELEASE)
            .arg(1)
            .arg(leaseKey(key))
            .arg(token)
            .arg(fillChannel())
            .arg(key))
        .mapEmpty();
  }

  /**
   * Soft-evicts every entry in the sets of {@code tags} and deletes the sets, in one script (one
   * round trip); returns the number of valid entries evicted per tag, in order.
   */
  Future<List<Long>> evictTags(List<String> tags) {
    Request r = Request.cmd(Command.EVAL).arg(EVICT_TAGS).arg(tags.size());
    for (String tag : tags) r.arg(tagKey(tag));
    return send(r)
        .map(
            res -> {
              List<Long> out = new ArrayList<>(tags.size());
              for (int i = 0; i < tags.size(); i++)
                out.add(i < res.size() ? res.get(i).toLong() : 0L);
              return out;
            });
  }

  /** Soft-evicts the entry of {@code key}; returns whether a valid one existed. */
  Future<Boolean> evictKey(String key) {
    return send(Request.cmd(Command.EVAL).arg(EVICT_KEY).arg(1).arg(entryKey(key)))
        .map(res -> res.toLong() > 0);
  }

  /** Sends one command through the breaker, bounded by the timeout, timing it. */
  Future<Response> send(Request request) {
    if (!breaker.tryAcquire()) return Future.failedFuture(REJECTED);
    sent.increment();
    Timer.Sample sample = Timer.start();
    Promise<Response> p = Promise.promise();
    long timer =
        vertx.setTimer(
            timeoutMs,
            id -> {
              if (p.tryFail(TIMEOUT)) failed(TIMEOUT);
            });
    Future<Response> f;
    try {
      f = redis.send(request);
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    f.onComplete(
        ar -> {
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
    if (breaker.onFailure())
      LOG.warn("Redis cache layer unavailable, serving from L1 and origin: {}", cause.toString());
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
