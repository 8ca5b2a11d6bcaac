package dev.tarifa.loadtests;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.group;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.ChainBuilder;
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

/**
 * Freshness under change: readers search a few popular routes (open model at {@code rate}) while an
 * admin, logged in through {@code POST /api/v1/auth/login} ({@code -DTARIFA_ADMIN_EMAIL}, {@code
 * -DTARIFA_ADMIN_PASSWORD}; the token is renewed before it expires), changes an economy fare shown
 * on those searches every {@code writeIntervalMs} (default 2000) with {@code PATCH
 * /admin/v1/flights/{id}/fares/economy/{provider}} (If-Match), then polls the same search every
 * {@code pollMs} (default 50) until the answer shows it: a new ETag and that offer's price moved
 * the way the fare did. Asserts p95/p99/failed of "reader search" (key flight), "fare write" (key
 * adminWrite) and the group "freshness" (key freshness: write acknowledged to changed answer,
 * default p95 1000 ms, p99 2000 ms; a change not visible within {@code freshnessTimeoutMs}, default
 * 5000, fails it), that the admin's reads ("fare read", "search before write") did not fail, and
 * that writes were measured.
 *
 * <p>Each target is an itinerary the search shows on its first page: {@link #before()} takes, per
 * popular route, the cheapest nonstop itinerary on a date 14 days ahead and its cheapest provider,
 * so a ±5 EUR change keeps it on the page and changes both the body (hence the ETag) and a price
 * the simulation can compare.
 */
public class AdminWritesSimulation extends Simulation {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  /**
   * Nonstop itineraries ranked at most this far down the price-sorted first page (20) are targets.
   */
  private static final int MAX_TARGET_RANK = 10;

  private final String email = prop("TARIFA_ADMIN_EMAIL", "admin@tarifa.local");
  private final String password = prop("TARIFA_ADMIN_PASSWORD", "");
  private final int routeCount = Integer.getInteger("routes", 3);
  private final QueryMix mix = QueryMix.fromSystemProperties();

  /**
   * Filled by {@link #before()} (discovery needs the admin API); the feeders read it once the run
   * starts.
   */
  private final List<Map<String, Object>> targets = new CopyOnWriteArrayList<>();

  {
    long writeInterval = Long.getLong("writeIntervalMs", 2000);
    long freshnessTimeout = Long.getLong("freshnessTimeoutMs", 5000);
    long pollMs = Long.getLong("pollMs", 20);
    String gateway = Knobs.baseUrl();
    AtomicLong turn = new AtomicLong();
    Iterator<Map<String, Object>> roundRobin =
        endless(() -> targets.get((int) (turn.getAndIncrement() % targets.size())));
    Iterator<Map<String, Object>> random =
        endless(() -> targets.get(ThreadLocalRandom.current().nextInt(targets.size())));
    // The target offer's price on the search's first page (EL: the itinerary and provider come from
    // the feeder).
    String offerPrice =
        "$.results[?(@.id == '#{itineraryId}')].offers[?(@.provider.code == '#{provider}')].price.amount";

    ScenarioBuilder readers =
        scenario("readers")
            .feed(random)
            .exec(
                http("reader search")
                    .get(gateway + "#{searchPath}")
                    .check(status().is(200), jsonPath("$.results").exists()));

    ChainBuilder login =
        exec(s -> s.remove("expiresIn"))
            .exec(
                http("admin login")
                    .post(gateway + "/api/v1/auth/login")
                    .body(
                        StringBody(
                            new JsonObject()
                                .put("email", email)
                                .put("password", password)
                                .encode()))
                    .asJson()
                    .check(
                        status().is(200),
                        jsonPath("$.token").saveAs("token"),
                        jsonPath("$.expiresIn").ofLong().saveAs("expiresIn")))
            // Renew a minute before expiry (at least 30 s after the login): a soak outlives one
            // token (15 min). A failed
            // renewal is retried on the next turn (that turn does not write).
            .exec(
                s ->
                    s.set(
                        "renewAt",
                        System.currentTimeMillis()
                            + (s.contains("expiresIn")
                                ? 1000 * Math.max(s.getLong("expiresIn") - 60, 30)
                                : 0)));

    ScenarioBuilder admin =
        scenario("admin")
            .exec(login)
            .exitHereIfFailed()
            .during(Knobs.duration())
            .on(
                // Nothing of the previous turn (another route) may be compared with this one's
                // answers.
                exec(s ->
                        s.removeAll(
                                "fareEtag",
                                "amount",
                                "etagBefore",
                                "priceBefore",
                                "newAmount",
                                "up",
                                "etagNow",
                                "priceNow",
                                "fresh",
                                "writtenAt",
                                "visibleAt")
                            .markAsSucceeded())
                    .doIf(s -> System.currentTimeMillis() >= s.getLong("renewAt"))
                    .then(login)
                    .feed(roundRobin)
                    .exec(
                        http("fare read")
                            .get(gateway + "#{farePath}")
                            .header("Authorization", "Bearer #{token}")
                            .check(
                                status().is(200),
                                header("ETag").saveAs("fareEtag"),
                                jsonPath("$.amount.amount").ofLong().saveAs("amount")))
                    .exec(
                        http("search before write")
                            .get(gateway + "#{searchPath}")
                            .check(
                                status().is(200),
                                header("ETag").saveAs("etagBefore"),
                                jsonPath(offerPrice).ofLong().saveAs("priceBefore")))
                    // Only write when both reads succeeded (their failures are counted and
                    // asserted).
                    .doIf(s -> !s.isFailed())
                    .then(
                        // ±5 EUR, alternating: a change large enough to survive the per-date price
                        // derivation's rounding.
                        exec(s -> {
                              long amount = s.getLong("amount");
                              long next = amount % 1000 < 500 ? amount + 500 : amount - 500;
                              return s.set("newAmount", next).set("up", next > amount);
                            })
                            .exec(
                                http("fare write")
                                    .patch(gateway + "#{farePath}")
                                    .header("Authorization", "Bearer #{token}")
                                    .header("If-Match", "#{fareEtag}")
                                    .body(StringBody("{\"amount\": #{newAmount}}"))
                                    .asJson()
                                    .check(
                                        status().is(200),
                                        jsonPath("$.amount.amount").ofLong().isEL("#{newAmount}")))
                            .exec(s -> s.set("writtenAt", System.currentTimeMillis()))
                            // Freshness is timed from the write's acknowledgement: only for a write
                            // that was acknowledged.
                            .doIf(s -> !s.isFailed())
                            .then(freshness(freshnessTimeout, pollMs, offerPrice, gateway)))
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
    assertions.addAll(Knobs.assertionsFor(List.of("freshness", "change visible"), "freshness"));
    // A run whose admin never wrote (or whose reads all failed) measured no freshness at all.
    double adminFailed = Knobs.threshold("adminWrite", "maxFailedPct", 1.0);
    assertions.add(details("fare read").failedRequests().percent().lte(adminFailed));
    assertions.add(details("search before write").failedRequests().percent().lte(adminFailed));
    assertions.add(details("fare write").successfulRequests().count().gt(0L));
    assertions.add(details("freshness", "change visible").successfulRequests().count().gt(0L));
    setUp(readers.injectOpen(Knobs.injection(1.0)), admin.injectOpen(atOnceUsers(1)))
        .protocols(Protocols.http())
        .assertions(assertions);
  }

  /**
   * The group "freshness": poll the search until its ETag differs from the one before the write and
   * the target offer's price moved the way the fare did, then record "change visible" (in the
   * group): from the write's acknowledgement to the first answer showing it, KO when that took
   * longer than {@code timeoutMs} (the group fails too, and the last answer seen is printed).
   */
  private static ChainBuilder freshness(
      long timeoutMs, long pollMs, String offerPrice, String gateway) {
    return group("freshness")
        .on(
            exec(s -> s.set("fresh", false))
                .asLongAsDuring(s -> !s.getBoolean("fresh"), Duration.ofMillis(timeoutMs))
                .on(
                    exec(s -> s.removeAll("etagNow", "priceNow"))
                        .exec(
                            http("fresh read")
                                .get(gateway + "#{searchPath}")
                                .check(
                                    status().is(200),
                                    header("ETag").saveAs("etagNow"),
                                    jsonPath(offerPrice).ofLong().saveAs("priceNow")))
                        .exec(
                            s ->
                                fresh(s)
                                    ? s.set("fresh", true)
                                        .set("visibleAt", System.currentTimeMillis())
                                    : s)
                        .doIf(s -> !s.getBoolean("fresh"))
                        .then(exec(s -> s).pause(Duration.ofMillis(pollMs))))
                .exec(
                    Timing.record(
                        "change visible",
                        s ->
                            s.getBoolean("fresh")
                                ? new Timing.Sample(
                                    s.getLong("writtenAt"), s.getLong("visibleAt"), true, null)
                                : new Timing.Sample(
                                    s.getLong("writtenAt"),
                                    System.currentTimeMillis(),
                                    false,
                                    "not visible within " + timeoutMs + " ms")))
                .exec(
                    s -> {
                      if (s.getBoolean("fresh")) return s;
                      System.err.println(
                          "freshness: not visible within "
                              + timeoutMs
                              + " ms: "
                              + s.getString("farePath")
                              + " "
                              + s.get("amount")
                              + " -> "
                              + s.get("newAmount")
                              + "; search "
                              + s.getString("searchPath")
                              + " ETag "
                              + s.get("etagBefore")
                              + " -> "
                              + s.get("etagNow")
                              + ", offer "
                              + s.get("priceBefore")
                              + " -> "
                              + s.get("priceNow"));
                      return s.markAsFailed();
                    }));
  }

  /**
   * The answer shows the write: another ETag, and the target offer's price moved the way the fare
   * did.
   */
  static boolean fresh(Session s) {
    String before = s.getString("etagBefore");
    String now = s.getString("etagNow");
    Long priceBefore = s.getLongWrapper("priceBefore");
    Long priceNow = s.getLongWrapper("priceNow");
    Boolean up = s.getBooleanWrapper("up");
    if (before == null || now == null || priceBefore == null || priceNow == null || up == null)
      return false;
    return !now.equals(before) && (up ? priceNow > priceBefore : priceNow < priceBefore);
  }

  /**
   * Per popular route: the cheapest nonstop itinerary among the first {@value #MAX_TARGET_RANK}
   * results of the search 14 days ahead, its cheapest provider, the schedule operating it and that
   * provider's economy fare.
   */
  @Override
  public void before() {
    try {
      String gateway = Knobs.baseUrl();
      JsonObject login =
          send(
              HttpRequest.newBuilder(URI.create(gateway + "/api/v1/auth/login"))
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          new JsonObject().put("email", email).put("password", password).encode())),
              null);
      String token = login.getString("token");
      LocalDate date = mix.baseDate().plusDays(14);
      for (String[] route : mix.popularRoutes(routeCount * 3)) {
        if (targets.size() >= routeCount) break;
        String searchPath =
            "/api/v1/flights/search?from="
                + route[0]
                + "&to="
                + route[1]
                + "&date="
                + date
                + "&adults=1";
        JsonArray results =
            send(HttpRequest.newBuilder(URI.create(gateway + searchPath)), null)
                .getJsonArray("results", new JsonArray());
        JsonObject itinerary = null;
        for (int i = 0; i < Math.min(MAX_TARGET_RANK, results.size()) && itinerary == null; i++) {
          JsonObject it = results.getJsonObject(i);
          if (it.getInteger("stops", -1) == 0
              && !it.getJsonArray("offers", new JsonArray()).isEmpty()) itinerary = it;
        }
        if (itinerary == null) continue;
        String flight = itinerary.getJsonArray("legs").getJsonObject(0).getString("flight");
        String provider =
            itinerary
                .getJsonArray("offers")
                .getJsonObject(0)
                .getJsonObject("provider")
                .getString("code");
        JsonArray schedules =
            send(
                    HttpRequest.newBuilder(
                        URI.create(
                            gateway + "/admin/v1/flights?from=" + route[0] + "&to=" + route[1])),
                    token)
                .getJsonArray("results", new JsonArray());
        Long id = null;
        for (int i = 0; i < schedules.size() && id == null; i++) {
          if (flight.equals(schedules.getJsonObject(i).getString("flight")))
            id = schedules.getJsonObject(i).getLong("id");
        }
        if (id == null) continue;
        String farePath = "/admin/v1/flights/" + id + "/fares/economy/" + provider;
        send(
            HttpRequest.newBuilder(URI.create(gateway + farePath)),
            token); // exists, or the set-up fails here
        targets.add(
            Map.of(
                "searchPath",
                searchPath,
                "farePath",
                farePath,
                "itineraryId",
                itinerary.getString("id"),
                "provider",
                provider));
      }
    } catch (Exception e) {
      throw new IllegalStateException(
          "admin set-up failed (is TARIFA_ADMIN_PASSWORD right?): " + e.getMessage(), e);
    }
    if (targets.isEmpty())
      throw new IllegalStateException(
          "no nonstop itinerary with an economy fare on the popular routes");
    System.out.println("admin writes: targets " + targets);
  }

  private static JsonObject send(HttpRequest.Builder request, String token) throws Exception {
    if (token != null) request.header("Authorization", "Bearer " + token);
    HttpResponse<String> r =
        HTTP.send(
            request.header("Accept", "application/json").timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200)
      throw new IllegalStateException(r.uri() + " -> " + r.statusCode() + " " + r.body());
    return new JsonObject(r.body());
  }

  private static Iterator<Map<String, Object>> endless(
      java.util.function.Supplier<Map<String, Object>> next) {
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
