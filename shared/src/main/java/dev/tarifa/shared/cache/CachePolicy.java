package dev.tarifa.shared.cache;

import dev.tarifa.shared.config.ConfigException;
import dev.tarifa.shared.config.Env;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How long the answers of one domain live. Every window is measured from the entry's (jittered)
 * soft expiry:
 *
 * <ul>
 *   <li>{@code freshTtl}: how long an answer is fresh; each entry gets {@code freshTtl * (1 +
 *       jitter * u)} with {@code u} uniform in {@code [-1, 1]}, so hot keys written together do not
 *       expire together;
 *   <li>{@code staleWhileRevalidate}: after the soft expiry, how long the entry is still served at
 *       once while one background refresh runs;
 *   <li>{@code staleIfError}: after the soft expiry, how long the entry may still be served
 *       (degraded) when the origin fails; a separate, normally longer window (it is never shorter
 *       than the SWR window);
 *   <li>{@code negativeTtl}: the whole life of a "no results" answer: no jitter, no SWR, no
 *       stale-if-error.
 * </ul>
 *
 * <p><b>The day boundary.</b> Whatever the windows, an entry is never fresh nor within
 * stale-while-revalidate at or after the first UTC midnight strictly after its creation (the
 * answers' prices depend on the UTC date: the advance band of every travel date moves then; see
 * {@link #entryFor}). The stale-if-error window is not cut: an answer of the previous day, marked
 * degraded, is still better than an error while the origin fails.
 *
 * @param jitter fraction in {@code [0, 1)}
 */
public record CachePolicy(
    Duration freshTtl,
    Duration staleWhileRevalidate,
    Duration staleIfError,
    Duration negativeTtl,
    double jitter) {
  /**
   * 15 min fresh, 60 s SWR, 10 min stale-if-error, 10 s negative, ±10% jitter: the default of every
   * domain (docs/PERFORMANCE.md, "Fresh-TTL defaults from the measurement": every admin change
   * evicts by tag within a second, so only the UTC date, capped at midnight, and memory bound the
   * fresh time).
   */
  public static final CachePolicy DEFAULT =
      new CachePolicy(
          Duration.ofMinutes(15),
          Duration.ofSeconds(60),
          Duration.ofMinutes(10),
          Duration.ofSeconds(10),
          0.1);

  /** Milliseconds of a UTC day: epoch milliseconds count no leap seconds. */
  private static final long DAY_MILLIS = 86_400_000L;

  public CachePolicy {
    Objects.requireNonNull(freshTtl, "freshTtl");
    Objects.requireNonNull(staleWhileRevalidate, "staleWhileRevalidate");
    Objects.requireNonNull(staleIfError, "staleIfError");
    Objects.requireNonNull(negativeTtl, "negativeTtl");
    if (freshTtl.isNegative() || freshTtl.isZero())
      throw new IllegalArgumentException("freshTtl must be positive");
    if (staleWhileRevalidate.isNegative()
        || staleIfError.isNegative()
        || negativeTtl.isNegative()) {
      throw new IllegalArgumentException("cache windows must not be negative");
    }
    if (!(jitter >= 0 && jitter < 1))
      throw new IllegalArgumentException("jitter must be in [0, 1), got " + jitter);
  }

  /**
   * The policy of {@code domain} from configuration, falling back to {@code defaults} key by key:
   * {@code TARIFA_CACHE_<DOMAIN>_TTL}, {@code _SWR}, {@code _SIE} (durations such as {@code 60s},
   * {@code 15m}), {@code TARIFA_CACHE_NEGATIVE_TTL} and {@code TARIFA_CACHE_JITTER} (a fraction
   * such as {@code 0.1}), the last two shared by all domains.
   *
   * @throws ConfigException naming the key, for a malformed or out-of-range value
   */
  public static CachePolicy fromEnv(Env env, String domain, CachePolicy defaults) {
    String d = "TARIFA_CACHE_" + domain.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_") + "_";
    Duration ttl = env.duration(d + "TTL", defaults.freshTtl);
    if (ttl.isZero() || ttl.isNegative()) throw new ConfigException(d + "TTL", "must be positive");
    double jitter =
        env.get("TARIFA_CACHE_JITTER")
            .map(
                v -> {
                  try {
                    double j = Double.parseDouble(v);
                    if (!(j >= 0 && j < 1)) throw new NumberFormatException();
                    return j;
                  } catch (NumberFormatException e) {
                    throw new ConfigException(
                        "TARIFA_CACHE_JITTER",
                        "expected a fraction in [0, 1) such as 0.1, got '" + v + "'");
                  }
                })
            .orElse(defaults.jitter);
    return new CachePolicy(
        ttl,
        env.duration(d + "SWR", defaults.staleWhileRevalidate),
        env.duration(d + "SIE", defaults.staleIfError),
        env.duration("TARIFA_CACHE_NEGATIVE_TTL", defaults.negativeTtl),
        jitter);
  }

  /**
   * The jittered fresh TTL for a uniform sample {@code u} in {@code [-1, 1]}: always within {@code
   * [freshTtl * (1 - jitter), freshTtl * (1 + jitter)]} (rounded to milliseconds) and at least 1
   * ms.
   */
  public long jitteredTtlMillis(double u) {
    double clamped = Math.max(-1, Math.min(1, u));
    return Math.max(1, Math.round(freshTtl.toMillis() * (1 + jitter * clamped)));
  }

  /**
   * The first UTC midnight strictly after {@code epochMillis}, in epoch milliseconds: an instant at
   * midnight itself yields the next one, 24 hours later.
   */
  static long nextUtcMidnight(long epochMillis) {
    return Math.floorDiv(epochMillis, DAY_MILLIS) * DAY_MILLIS + DAY_MILLIS;
  }

  /**
   * The entry for an origin answer made at {@code now} (epoch milliseconds on the cache's clock),
   * with jitter sample {@code u} in {@code [-1, 1]}. Let {@code midnight} be the first UTC midnight
   * strictly after {@code now}:
   *
   * <ul>
   *   <li>a negative answer ({@link OriginResponse#empty()}) lives {@code min(now + negativeTtl,
   *       midnight)} and is never served stale: its soft, hard and stale-if-error expiries are that
   *       instant;
   *   <li>otherwise the soft expiry is {@code min(now + jitteredTtlMillis(u), midnight)}, the hard
   *       expiry (end of stale-while-revalidate) {@code min(soft + staleWhileRevalidate,
   *       midnight)}, and the end of stale-if-error {@code max(hard, now + jitteredTtlMillis(u) +
   *       staleIfError)}: measured from the soft expiry the entry would have without the midnight
   *       cap, so that the cap shortens neither it nor the degraded answers it allows.
   * </ul>
   *
   * <p>So an entry made at 23:55 UTC is fresh until 00:00:00.000 exactly, then only served,
   * degraded, when the origin fails; one made at 10:00 lives its whole (jittered) TTL and SWR
   * window unless they reach midnight. The body's gzip form is made here, once per fill (bodies of
   * at least {@link CachedResponse#GZIP_MIN_BYTES} that compress by at least 1/8), so that no hit
   * compresses anything.
   */
  public CachedResponse entryFor(OriginResponse origin, long now, double u) {
    // the answers' prices depend on the UTC date (the advance band of every travel date moves at
    // midnight): nothing made before midnight may be answered as fresh or SWR after it
    long midnight = nextUtcMidnight(now);
    // Kept in arrays of their exact length: an upstream body sits in a buffer grown by doubling (or
    // is a slice of a larger one), and L1 weighs entries by their lengths (in the soak, 102 MB of
    // arrays were held under a 64 MB bound before this).
    byte[] bytes = origin.body().getBytes();
    Buffer body = Buffer.buffer(bytes);
    Buffer gzip = Gzip.compressOrNull(bytes);
    String etag = CachedResponse.strongEtag(bytes);
    if (origin.empty()) {
      long until = Math.min(now + negativeTtl.toMillis(), midnight);
      return new CachedResponse(
          body, gzip, origin.contentType(), etag, now, until, until, until, origin.tags(), true);
    }
    long uncappedSoft = now + jitteredTtlMillis(u);
    long soft = Math.min(uncappedSoft, midnight);
    long hard = Math.min(soft + staleWhileRevalidate.toMillis(), midnight);
    long sie = Math.max(hard, uncappedSoft + staleIfError.toMillis());
    return new CachedResponse(
        body, gzip, origin.contentType(), etag, now, soft, hard, sie, origin.tags(), false);
  }
}
