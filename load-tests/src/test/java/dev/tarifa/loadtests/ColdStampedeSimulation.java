package dev.tarifa.loadtests;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.nothingFor;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Cold stampedes: {@code waves} (default 6) bursts of {@code burst} (default 50) identical flight
 * searches arriving at once, {@code waveIntervalSeconds} (default 5) apart; every wave uses a key
 * nobody asked for before (a new date beyond the mix's horizon on the busiest route, or {@code
 * -Droute=FRA-JFK}), so each burst hits an empty cache and only coalescing stands between it and
 * the flights service. Asserts p95, p99 and failed percentage of "stampede search" (key {@code
 * stampede}; default p95 1000 ms, p99 2000 ms: the whole burst waits for one origin call) and
 * prints the origin calls counted by the gateway's /metrics ({@code
 * tarifa_cache_origin_calls_total}) against the ideal of one per wave.
 */
public class ColdStampedeSimulation extends Simulation {
  private final int burst = Integer.getInteger("burst", 50);
  private final int waves = Integer.getInteger("waves", 6);
  private final int interval = Integer.getInteger("waveIntervalSeconds", 5);
  private double originCallsBefore = Double.NaN;

  {
    QueryMix mix = QueryMix.fromSystemProperties();
    String[] route = System.getProperty("route", String.join("-", mix.topRoute())).split("-");
    // A different date window per run (minute of the day), so re-running against the same platform
    // stays cold.
    long salt = Long.getLong("dateSalt", (System.currentTimeMillis() / 60_000) % 150);
    LocalDate firstDay = mix.baseDate().plusDays(QueryMix.DEFAULT_HORIZON_DAYS + 1 + salt);
    AtomicLong n = new AtomicLong();
    // Users of wave i are injected together, before wave i+1: the i-th block of `burst` records is
    // wave i.
    Iterator<Map<String, Object>> feeder =
        new Iterator<>() {
          public boolean hasNext() {
            return true;
          }

          public Map<String, Object> next() {
            LocalDate date = firstDay.plusDays(n.getAndIncrement() / burst);
            return Map.of(
                "path",
                "/api/v1/flights/search?from="
                    + route[0]
                    + "&to="
                    + route[1]
                    + "&date="
                    + date
                    + "&adults=1");
          }
        };
    ScenarioBuilder stampede =
        scenario("cold stampede")
            .feed(feeder)
            .exec(
                http("stampede search")
                    .get(Knobs.urlFor("flights") + "#{path}")
                    .check(status().is(200), jsonPath("$.results").exists()));
    List<OpenInjectionStep> steps = new ArrayList<>();
    for (int i = 0; i < waves; i++) {
      steps.add(atOnceUsers(burst));
      if (i < waves - 1) steps.add(nothingFor(interval));
    }
    if (System.getProperty("stampede.p95Ms") == null) System.setProperty("stampede.p95Ms", "1000");
    if (System.getProperty("stampede.p99Ms") == null) System.setProperty("stampede.p99Ms", "2000");
    List<Assertion> assertions =
        new ArrayList<>(Knobs.assertionsFor("stampede search", "stampede"));
    assertions.add(Knobs.someRequests());
    setUp(stampede.injectOpen(steps)).protocols(Protocols.http()).assertions(assertions);
  }

  @Override
  public void before() {
    originCallsBefore =
        PrometheusText.sum(Knobs.baseUrl() + "/metrics", "tarifa_cache_origin_calls_total");
  }

  @Override
  public void after() {
    double now =
        PrometheusText.sum(Knobs.baseUrl() + "/metrics", "tarifa_cache_origin_calls_total");
    if (Double.isNaN(now) || Double.isNaN(originCallsBefore)) {
      System.out.println(
          "cold stampede: the gateway's /metrics has no tarifa_cache_origin_calls_total; origin calls not counted");
    } else {
      System.out.printf(
          "cold stampede: %d waves x %d identical searches -> %.0f origin calls (ideal %d, one per wave)%n",
          waves, burst, now - originCallsBefore, waves);
    }
  }
}
