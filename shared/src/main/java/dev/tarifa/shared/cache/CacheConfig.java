package dev.tarifa.shared.cache;

import dev.tarifa.shared.config.ConfigException;
import dev.tarifa.shared.config.Env;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Tunables of a {@link QuoteCache}. Immutable; the {@code with...} methods return modified copies.
 *
 * @param policies the policy of each known domain
 * @param defaultPolicy the policy of any other domain
 * @param l1MaxBytes bound of the in-process layer, by weight (body + key + fixed overhead per
 *     entry)
 * @param keyPrefix prefix of every Redis key ({@code <prefix>c2:<key>} entries, {@code
 *     <prefix>t2:<tag>} tag sets, {@code <prefix>l:<key>} leases)
 * @param l2Timeout bound of each Redis command; a slower command counts as a Redis failure
 * @param leaseTtl life of a fill lease in Redis: how long other replicas trust a leader before one
 *     takes over; should exceed the origin's usual latency
 * @param leaseWait how long a replica waits for another replica's fill before calling the origin
 *     itself
 * @param leasePoll interval between two checks of a waiting replica (fill arrived? lease free?)
 * @param originTimeout bound of an origin call; a slower origin counts as failed (stale-if-error
 *     applies)
 * @param breakerFailures consecutive Redis failures that open the L2 circuit
 * @param breakerReset how long the L2 circuit stays open before one probe is let through
 *     (half-open)
 */
public record CacheConfig(
    Map<String, CachePolicy> policies,
    CachePolicy defaultPolicy,
    long l1MaxBytes,
    String keyPrefix,
    Duration l2Timeout,
    Duration leaseTtl,
    Duration leaseWait,
    Duration leasePoll,
    Duration originTimeout,
    int breakerFailures,
    Duration breakerReset) {

  public CacheConfig {
    policies = Map.copyOf(policies);
    Objects.requireNonNull(defaultPolicy, "defaultPolicy");
    Objects.requireNonNull(keyPrefix, "keyPrefix");
    if (l1MaxBytes <= 0) throw new IllegalArgumentException("l1MaxBytes must be positive");
    for (Duration d :
        new Duration[] {l2Timeout, leaseTtl, leaseWait, leasePoll, originTimeout, breakerReset}) {
      if (d.isZero() || d.isNegative())
        throw new IllegalArgumentException("cache durations must be positive");
    }
    if (breakerFailures < 1)
      throw new IllegalArgumentException("breakerFailures must be at least 1");
  }

  /**
   * 64 MiB L1, prefix {@code tarifa:}, 75 ms Redis timeout, 3 s leases, 2 s lease wait polled every
   * 20 ms, 5 s origin timeout, breaker opening after 3 failures for 5 s; {@link
   * CachePolicy#DEFAULT} for every domain.
   */
  public static CacheConfig defaults() {
    return new CacheConfig(
        Map.of(),
        CachePolicy.DEFAULT,
        64L << 20,
        "tarifa:",
        Duration.ofMillis(75),
        Duration.ofSeconds(3),
        Duration.ofSeconds(2),
        Duration.ofMillis(20),
        Duration.ofSeconds(5),
        3,
        Duration.ofSeconds(5));
  }

  /**
   * The configuration from the environment: the policy of each of {@code domains} (see {@link
   * CachePolicy#fromEnv}), {@code TARIFA_CACHE_L1_MAX_BYTES} (for example {@code 64m}), {@code
   * TARIFA_CACHE_PREFIX}, {@code TARIFA_CACHE_L2_TIMEOUT}, {@code TARIFA_CACHE_LEASE_TTL}, {@code
   * TARIFA_CACHE_LEASE_WAIT}, {@code TARIFA_CACHE_LEASE_POLL}, {@code TARIFA_CACHE_ORIGIN_TIMEOUT},
   * {@code TARIFA_CACHE_BREAKER_FAILURES}, {@code TARIFA_CACHE_BREAKER_RESET}; absent keys keep
   * {@link #defaults()}.
   *
   * @throws ConfigException naming the key, for a malformed or out-of-range value
   */
  public static CacheConfig fromEnv(Env env, Iterable<String> domains) {
    CacheConfig d = defaults();
    CachePolicy base = CachePolicy.fromEnv(env, "default", d.defaultPolicy);
    Map<String, CachePolicy> policies = new HashMap<>();
    for (String domain : domains) policies.put(domain, CachePolicy.fromEnv(env, domain, base));
    long l1 = env.bytes("TARIFA_CACHE_L1_MAX_BYTES", d.l1MaxBytes);
    if (l1 <= 0) throw new ConfigException("TARIFA_CACHE_L1_MAX_BYTES", "must be positive");
    return new CacheConfig(
        policies,
        base,
        l1,
        env.string("TARIFA_CACHE_PREFIX", d.keyPrefix),
        positive(env, "TARIFA_CACHE_L2_TIMEOUT", d.l2Timeout),
        positive(env, "TARIFA_CACHE_LEASE_TTL", d.leaseTtl),
        positive(env, "TARIFA_CACHE_LEASE_WAIT", d.leaseWait),
        positive(env, "TARIFA_CACHE_LEASE_POLL", d.leasePoll),
        positive(env, "TARIFA_CACHE_ORIGIN_TIMEOUT", d.originTimeout),
        env.integer("TARIFA_CACHE_BREAKER_FAILURES", d.breakerFailures, 1, 1000),
        positive(env, "TARIFA_CACHE_BREAKER_RESET", d.breakerReset));
  }

  private static Duration positive(Env env, String key, Duration def) {
    Duration v = env.duration(key, def);
    if (v.isZero() || v.isNegative()) throw new ConfigException(key, "must be positive");
    return v;
  }

  /** The policy of {@code domain}, or the default policy. */
  public CachePolicy policy(String domain) {
    return policies.getOrDefault(domain, defaultPolicy);
  }

  public CacheConfig withPolicy(String domain, CachePolicy policy) {
    Map<String, CachePolicy> p = new HashMap<>(policies);
    p.put(domain, policy);
    return new CacheConfig(
        p,
        defaultPolicy,
        l1MaxBytes,
        keyPrefix,
        l2Timeout,
        leaseTtl,
        leaseWait,
        leasePoll,
        originTimeout,
        breakerFailures,
        breakerReset);
  }

  public CacheConfig withDefaultPolicy(CachePolicy policy) {
    return new CacheConfig(
        policies,
        policy,
        l1MaxBytes,
        keyPrefix,
        l2Timeout,
        leaseTtl,
        leaseWait,
        leasePoll,
        originTimeout,
        breakerFailures,
        breakerReset);
  }

  public CacheConfig withL1MaxBytes(long bytes) {
    return new CacheConfig(
        policies,
        defaultPolicy,
        bytes,
        keyPrefix,
        l2Timeout,
        leaseTtl,
        leaseWait,
        leasePoll,
        originTimeout,
        breakerFailures,
        breakerReset);
  }

  public CacheConfig withKeyPrefix(String prefix) {
    return new CacheConfig(
        policies,
        defaultPolicy,
        l1MaxBytes,
        prefix,
        l2Timeout,
        leaseTtl,
        leaseWait,
        leasePoll,
        originTimeout,
        breakerFailures,
        breakerReset);
  }

  public CacheConfig withL2Timeout(Duration timeout) {
    return new CacheConfig(
        policies,
        defaultPolicy,
        l1MaxBytes,
        keyPrefix,
        timeout,
        leaseTtl,
        leaseWait,
        leasePoll,
        originTimeout,
        breakerFailures,
        breakerReset);
  }

  public CacheConfig withLease(Duration ttl, Duration wait, Duration poll) {
    return new CacheConfig(
        policies,
        defaultPolicy,
        l1MaxBytes,
        keyPrefix,
        l2Timeout,
        ttl,
        wait,
        poll,
        originTimeout,
        breakerFailures,
        breakerReset);
  }

  public CacheConfig withOriginTimeout(Duration timeout) {
    return new CacheConfig(
        policies,
        defaultPolicy,
        l1MaxBytes,
        keyPrefix,
        l2Timeout,
        leaseTtl,
        leaseWait,
        leasePoll,
        timeout,
        breakerFailures,
        breakerReset);
  }

  public CacheConfig withBreaker(int failures, Duration reset) {
    return new CacheConfig(
        policies,
        defaultPolicy,
        l1MaxBytes,
        keyPrefix,
        l2Timeout,
        leaseTtl,
        leaseWait,
        leasePoll,
        originTimeout,
        failures,
        reset);
  }
}
