package dev.tarifa.loadtests;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.asLongAsDuring;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.doIf;
import static io.gatling.javaapi.core.CoreDsl.during;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.group;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * Freshness under change: readers search a few popular routes (open model at {@code rate}) while an admin, logged
 * in through {@code POST /api/v1/auth/login} ({@code -DTARIFA_ADMIN_EMAIL}, {@code -DTARIFA_ADMIN_PASSWORD}),
 * changes an economy fare on those routes every {@code writeIntervalMs} (default 2000) with
 * {@code PATCH /admin/v1/flights/{id}/fares/economy/{provider}} (If-Match), then polls the same search until its
 * ETag changes. Asserts p95/p99/failed of "reader search" (key flight), "fare write" (key adminWrite) and the
 * group "freshness" (key freshness: write acknowledged to changed answer, default p95 1000 ms, p99 2000 ms; a
 * change not visible within {@code freshnessTimeoutMs}, default 5000, fails it).
 */
public class AdminWritesSimulation extends Simulation {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  private final String email = prop("TARIFA_ADMIN_EMAIL", "admin@tarifa.local");
  private final String password = prop("TARIFA_ADMIN_PASSWORD", "");
  private final int routeCount = Integer.getInteger("routes", 3);
  private final QueryMix mix = QueryMix.fromSystemProperties();
  /** Filled by {@link #before()} (discovery needs the admin API); the feeders read it once the run starts. */
  private final List<Map<String, Object>> targets = new CopyOnWriteArrayList<>();

  {
    long writeInterval = Long.getLong("writeIntervalMs", 2000);
    long freshnessTimeout = Long.getLong("freshnessTimeoutMs", 5000);
    long pollMs = Long.getLong("pollMs", 50);
    String gateway = Knobs.baseUrl();
    AtomicLong turn = new AtomicLong();
    Iterator<Map<String, Object>> roundRobin = endless(() -> targets.get((int) (turn.getAndIncrement() % targets.size())));
    Iterator<Map<String, Object>> random = endless(() -> targets.get(ThreadLocalRandom.current().nextInt(targets.size())));

    ScenarioBuilder readers = scenario("readers")
      .feed(random)
      .exec(http("reader search").get(gateway + "#{searchPath}").check(status().is(200)));

    ScenarioBuilder admin = scenario("admin")
      .exec(http("admin login").post(gateway + "/api/v1/auth/login")
        .body(StringBody(new JsonObject().put("email", email).put("password", password).encode())).asJson()
        .check(status().is(200), jsonPath("$.token").saveAs("token")))
      .during(Knobs.duration()).on(
        exec(s -> s).feed(roundRobin)
          .exec(http("fare read").get(gateway + "#{farePath}").header("Authorization", "Bearer #{token}")
            .check(status().is(200), header("ETag").saveAs("fareEtag"), jsonPath("$.amount.amount").ofLong().saveAs("amount")))
          .exec(http("search before write").get(gateway + "#{searchPath}")
            .check(status().is(200), header("ETag").saveAs("etagBefore")))
          // ±5 EUR, alternating: a change large enough to survive the per-date price derivation's rounding.
          .exec(s -> s.set("newAmount", s.getLong("amount") % 1000 < 500 ? s.getLong("amount") + 500 : s.getLong("amount") - 500))
          .exec(http("fare write").patch(gateway + "#{farePath}")
            .header("Authorization", "Bearer #{token}").header("If-Match", "#{fareEtag}")
            .body(StringBody("{\"amount\": #{newAmount}}")).asJson()
            .check(status().is(200)))
          .group("freshness").on(
            exec(s -> s.set("fresh", false))
              .asLongAsDuring(s -> !s.getBoolean("fresh"), Duration.ofMillis(freshnessTimeout)).on(
                exec(http("fresh read").get(gateway + "#{searchPath}").check(status().is(200), header("ETag").saveAs("etagNow")))
                  .exec(s -> s.set("fresh", !s.getString("etagNow").equals(s.getString("etagBefore"))))
                  .doIf(s -> !s.getBoolean("fresh")).then(exec(s -> s).pause(Duration.ofMillis(pollMs))))
              .exec(s -> s.getBoolean("fresh") ? s : s.markAsFailed()))
          .exec(Session::markAsSucceeded)
          .pause(Duration.ofMillis(writeInterval)));

    setDefault("freshness.p95Ms", "1000");
    setDefault("freshness.p99Ms", "2000");
    setDefault("adminWrite.p95Ms", "1000");
    setDefault("adminWrite.p99Ms", "2000");
    List<Assertion> assertions = new ArrayList<>();
    assertions.add(Knobs.someRequests());
    assertions.addAll(Knobs.assertionsFor("reader search", "flight"));
    assertions.addAll(Knobs.assertionsFor("fare write", "adminWrite"));
    assertions.addAll(Knobs.assertionsFor("freshness", "freshness"));
    setUp(
      readers.injectOpen(Knobs.injection(1.0)),
      admin.injectOpen(atOnceUsers(1)))
      .protocols(Protocols.http())
      .assertions(assertions);
  }

  /** Finds, per popular route, a scheduled flight, a date it operates and one of its economy fares. */
  @Override
  public void before() {
    try {
      String gateway = Knobs.baseUrl();
      JsonObject login = send(HttpRequest.newBuilder(URI.create(gateway + "/api/v1/auth/login"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("email", email).put("password", password).encode())), null);
      String token = login.getString("token");
      for (String[] route : mix.popularRoutes(routeCount * 3)) {
        if (targets.size() >= routeCount) break;
        JsonArray schedules = send(HttpRequest.newBuilder(URI.create(gateway + "/admin/v1/flights?from=" + route[0] + "&to=" + route[1])), token)
          .getJsonArray("results", new JsonArray());
        if (schedules.isEmpty()) continue;
        JsonObject schedule = schedules.getJsonObject(0);
        long id = schedule.getLong("id");
        JsonArray fares = send(HttpRequest.newBuilder(URI.create(gateway + "/admin/v1/flights/" + id + "/fares")), token)
          .getJsonArray("results", new JsonArray());
        JsonObject fare = null;
        for (int i = 0; i < fares.size() && fare == null; i++) {
          if ("economy".equals(fares.getJsonObject(i).getString("cabin"))) fare = fares.getJsonObject(i);
        }
        if (fare == null) continue;
        LocalDate date = operatingDay(mix.baseDate().plusDays(14), schedule.getJsonArray("days"));
        targets.add(Map.of(
          "searchPath", "/api/v1/flights/search?from=" + route[0] + "&to=" + route[1] + "&date=" + date + "&adults=1",
          "farePath", "/admin/v1/flights/" + id + "/fares/economy/" + fare.getJsonObject("provider").getString("code")));
      }
    } catch (Exception e) {
      throw new IllegalStateException("admin set-up failed (is TARIFA_ADMIN_PASSWORD right?): " + e.getMessage(), e);
    }
    if (targets.isEmpty()) throw new IllegalStateException("no scheduled flight with an economy fare on the popular routes");
    System.out.println("admin writes: targets " + targets);
  }

  static LocalDate operatingDay(LocalDate from, JsonArray days) {
    for (int i = 0; i < 7; i++) {
      LocalDate d = from.plusDays(i);
      if (days == null || days.isEmpty() || days.contains(d.getDayOfWeek().getValue())) return d;
    }
    return from;
  }

  private static JsonObject send(HttpRequest.Builder request, String token) throws Exception {
    if (token != null) request.header("Authorization", "Bearer " + token);
    HttpResponse<String> r = HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) throw new IllegalStateException(r.uri() + " -> " + r.statusCode() + " " + r.body());
    return new JsonObject(r.body());
  }

  private static Iterator<Map<String, Object>> endless(java.util.function.Supplier<Map<String, Object>> next) {
    return new Iterator<>() {
      public boolean hasNext() {
        return true;
      }

      public Map<String, Object> next() {
        return next.get();
      }
    };
  }

  private static String prop(String key, String fallback) {
    String v = System.getProperty(key);
    if (v == null || v.isBlank()) v = System.getenv(key);
    return v == null || v.isBlank() ? fallback : v;
  }

  private static void setDefault(String key, String value) {
    if (System.getProperty(key) == null) System.setProperty(key, value);
  }
}
