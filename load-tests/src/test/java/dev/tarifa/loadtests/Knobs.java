package dev.tarifa.loadtests;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.incrementUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.OpenInjectionStep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Every knob of the simulations is a system property with a default sized for a 2-core machine that
 * also runs the platform (pass them to Maven with -D; the Gatling plugin forwards them to the
 * simulation JVM).
 *
 * <ul>
 *   <li>{@code baseUrl} (http://localhost:8080): the gateway; {@code flightsUrl}/{@code hotelsUrl}/
 *       {@code carsUrl} override it per kind (to aim at a domain service directly).
 *   <li>{@code testType}: smoke | ramp | capacity | soak | stress (see {@link #injection}).
 *   <li>{@code rate} (arrivals/s) and {@code duration} (seconds or 30s/5m/1h): defaults depend on
 *       testType.
 *   <li>Thresholds: {@code p95Ms}, {@code p99Ms}, {@code maxFailedPct}, each overridable per
 *       request key as {@code <key>.p95Ms} etc. (keys: flight, hotel, car, trip, stampede,
 *       adminWrite, freshness).
 * </ul>
 */
public final class Knobs {
  private Knobs() {}

  public enum TestType {
    SMOKE(20, Duration.ofSeconds(50)),
    RAMP(100, Duration.ofMinutes(3)),
    CAPACITY(300, Duration.ofMinutes(5)),
    SOAK(30, Duration.ofMinutes(30)),
    STRESS(100, Duration.ofMinutes(3));

    final double defaultRate;
    final Duration defaultDuration;

    TestType(double rate, Duration duration) {
      this.defaultRate = rate;
      this.defaultDuration = duration;
    }
  }

  public static String baseUrl() {
    return trimSlash(System.getProperty("baseUrl", "http://localhost:8080"));
  }

  /**
   * Where searches of one kind go: {@code <kind>Url} when given (e.g. flightsUrl), else the
   * gateway.
   */
  public static String urlFor(String kindPlural) {
    return trimSlash(System.getProperty(kindPlural + "Url", baseUrl()));
  }

  public static TestType testType() {
    return TestType.valueOf(System.getProperty("testType", "smoke").toUpperCase(Locale.ROOT));
  }

  /** Target arrivals per second (all request kinds together). */
  public static double rate() {
    return Double.parseDouble(System.getProperty("rate", String.valueOf(testType().defaultRate)));
  }

  public static Duration duration() {
    String d = System.getProperty("duration");
    return d == null || d.isBlank() ? testType().defaultDuration : parseDuration(d);
  }

  /**
   * The open-model profile of the test type at {@code rate} arrivals/s (scaled by {@code share}, a
   * scenario's part of the mix) over {@code duration}:
   *
   * <ul>
   *   <li>smoke: 10 s ramp from 1/s to the rate, then the rate for the duration (a quick gate, CI);
   *   <li>ramp: linear ramp from 1/s to the rate over the duration (where does latency bend?);
   *   <li>capacity: 5 equal steps up to the rate, each held for a fifth of the duration, 5 s ramps
   *       between (the highest step whose assertions hold is the capacity);
   *   <li>soak: 1 min ramp, then the rate held for the duration (leaks, cache churn, GC drift);
   *   <li>stress: the rate for a third of the duration, then a 10 s spike to 3x held for the rest,
   *       then back (recovery after overload).
   * </ul>
   */
  public static OpenInjectionStep[] injection(double share) {
    double r = Math.max(rate() * share, 0.1);
    long secs = Math.max(duration().toSeconds(), 1);
    List<OpenInjectionStep> steps = new ArrayList<>();
    switch (testType()) {
      case SMOKE -> {
        steps.add(rampUsersPerSec(Math.min(1, r)).to(r).during(10));
        steps.add(constantUsersPerSec(r).during(secs));
      }
      case RAMP -> steps.add(rampUsersPerSec(Math.min(1, r)).to(r).during(secs));
      case CAPACITY -> {
        int levels = 5;
        double step = r / levels;
        steps.add(
            incrementUsersPerSec(step)
                .times(levels)
                .eachLevelLasting(Math.max(secs / levels, 1))
                .separatedByRampsLasting(5)
                .startingFrom(step));
      }
      case SOAK -> {
        steps.add(rampUsersPerSec(Math.min(1, r)).to(r).during(60));
        steps.add(constantUsersPerSec(r).during(secs));
      }
      case STRESS -> {
        long third = Math.max(secs / 3, 1);
        steps.add(constantUsersPerSec(r).during(third));
        steps.add(rampUsersPerSec(r).to(3 * r).during(10));
        steps.add(constantUsersPerSec(3 * r).during(Math.max(secs - 2 * third, 1)));
        steps.add(constantUsersPerSec(r).during(third));
      }
    }
    return steps.toArray(OpenInjectionStep[]::new);
  }

  /**
   * p95, p99 and failed-percentage assertions for one request name, thresholds from {@code <key>.*}
   * or the defaults.
   */
  public static List<Assertion> assertionsFor(String requestName, String key) {
    return assertionsFor(List.of(requestName), key);
  }

  /**
   * The same for a request inside groups ({@code path}: the groups, then the request). (On a group
   * itself Gatling asserts on its cumulated response time, pauses excluded, whatever {@code
   * useGroupDurationMetric} says.)
   */
  public static List<Assertion> assertionsFor(List<String> path, String key) {
    String[] parts = path.toArray(String[]::new);
    return List.of(
        details(parts).responseTime().percentile(95.0).lt((int) threshold(key, "p95Ms", 500)),
        details(parts).responseTime().percentile(99.0).lt((int) threshold(key, "p99Ms", 1000)),
        details(parts).failedRequests().percent().lte(threshold(key, "maxFailedPct", 1.0)));
  }

  /** A run that sent nothing proves nothing. */
  public static Assertion someRequests() {
    return global().allRequests().count().gt(0L);
  }

  static double threshold(String key, String name, double fallback) {
    String specific = System.getProperty(key + "." + name);
    if (specific != null && !specific.isBlank()) return Double.parseDouble(specific);
    return Double.parseDouble(System.getProperty(name, String.valueOf(fallback)));
  }

  /** {@code 90} (seconds), {@code 90s}, {@code 5m}, {@code 1h}. */
  static Duration parseDuration(String s) {
    String t = s.trim().toLowerCase(Locale.ROOT);
    if (t.endsWith("ms")) return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
    if (t.endsWith("s")) return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
    if (t.endsWith("m")) return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
    if (t.endsWith("h")) return Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1)));
    return Duration.ofSeconds(Long.parseLong(t));
  }

  static String trimSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
