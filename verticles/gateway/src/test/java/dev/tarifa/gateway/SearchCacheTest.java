package dev.tarifa.gateway;

import static dev.tarifa.gateway.GatewayHarness.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SearchCacheTest {
  static Vertx vertx;
  static GatewayHarness gw;
  static final String DATE = LocalDate.now(ZoneOffset.UTC).plusDays(30).toString();
  static int unique;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    gw = new GatewayHarness(vertx).start(Map.of());
  }

  @AfterAll
  static void stop() {
    await(vertx.close());
  }

  @BeforeEach
  void reset() {
    gw.services
        .values()
        .forEach(
            s -> {
              s.failStatus = 0;
              s.delayMs = 0;
            });
  }

  static HttpResponse<Buffer> get(String uri) {
    return await(gw.client.get(uri).send());
  }

  /** A fresh pair of airports per test so cached keys never leak between tests. */
  static String[] pair() {
    unique++;
    return new String[] {"A" + (char) ('A' + unique / 26) + (char) ('A' + unique % 26), "JFK"};
  }

  @Test
  void equivalentQueriesShareOneKeyAndOneOriginCall() {
    FakeService flights = gw.service("flights");
    String[] p = pair();
    int before = flights.searchCalls.get();
    HttpResponse<Buffer> first =
        get("/api/v1/flights/search?from=" + p[0] + "&to=" + p[1] + "&date=" + DATE);
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.getHeader("X-Cache")).isEqualTo("MISS");
    // other order, lower case, defaults spelled out, blank extra spaces: the same canonical search
    HttpResponse<Buffer> second =
        get(
            "/api/v1/flights/search?date="
                + DATE
                + "&to="
                + p[1].toLowerCase()
                + "&adults=1&cabin=ECONOMY"
                + "&maxStops=1&from="
                + p[0].toLowerCase()
                + "&sort=price&limit=20&offset=0");
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(second.getHeader("X-Cache")).isEqualTo("HIT-L1");
    assertThat(second.bodyAsString()).isEqualTo(first.bodyAsString());
    assertThat(flights.searchCalls.get() - before).isEqualTo(1);
    // the owning service got the normalised query
    assertThat(flights.uris.get(flights.uris.size() - 1))
        .isEqualTo(
            "/api/v1/flights/search?adults=1&cabin=economy&date="
                + DATE
                + "&from="
                + p[0]
                + "&limit=20&maxStops=1&offset=0&sort=price&to="
                + p[1]);
    // a different search is a different key
    HttpResponse<Buffer> other =
        get("/api/v1/flights/search?from=" + p[0] + "&to=" + p[1] + "&date=" + DATE + "&adults=2");
    assertThat(other.getHeader("X-Cache")).isEqualTo("MISS");
    assertThat(flights.searchCalls.get() - before).isEqualTo(2);
  }

  @Test
  void concurrentIdenticalSearchesShareOneCallAndSayWhatWaitingAdded() {
    FakeService flights = gw.service("flights");
    flights.delayMs = 200;
    String[] p = pair();
    int before = flights.searchCalls.get();
    String uri = "/api/v1/flights/search?from=" + p[0] + "&to=" + p[1] + "&date=" + DATE;
    java.util.List<io.vertx.core.Future<HttpResponse<Buffer>>> all = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) all.add(gw.client.get(uri).send());
    java.util.List<HttpResponse<Buffer>> answers = all.stream().map(f -> await(f)).toList();

    assertThat(flights.searchCalls.get() - before).isEqualTo(1);
    assertThat(answers).extracting(r -> r.getHeader("X-Cache")).containsOnly("MISS", "COALESCED");
    assertThat(answers).filteredOn(r -> "MISS".equals(r.getHeader("X-Cache"))).hasSize(1);
    for (HttpResponse<Buffer> r : answers) {
      // Server-Timing: cache;desc="COALESCED";dur=0.123 -- the delivery after the shared answer was
      // ready, not the 200 ms wait
      assertThat(r.getHeader("Server-Timing"))
          .matches("cache;desc=\"(MISS|COALESCED)\";dur=\\d+\\.\\d{3}");
      double ms = Double.parseDouble(r.getHeader("Server-Timing").replaceAll(".*dur=", ""));
      assertThat(ms).isLessThan(150);
    }
    assertThat(get(uri).getHeader("Server-Timing")).as("an L1 hit waited on nothing").isNull();
  }

  @Test
  void carSearchesSpeakTheCarsServiceContract() {
    FakeService cars = gw.service("cars");
    String[] p = pair();
    String dropOff = LocalDate.parse(DATE).plusDays(3) + "T10:00";
    String base =
        "/api/v1/cars/search?location=" + p[0] + "&pickUp=" + DATE + "T10:00&dropOff=" + dropOff;
    // ACRISS codes, any case, reach the service upper-cased; no class means no filter sent
    assertThat(get(base + "&carClass=ecmr").statusCode()).isEqualTo(200);
    assertThat(cars.uris.get(cars.uris.size() - 1)).contains("carClass=ECMR");
    assertThat(get(base).statusCode()).isEqualTo(200);
    assertThat(cars.uris.get(cars.uris.size() - 1)).doesNotContain("carClass");
    // names are not codes; rentals beyond the service's 30 days are refused at the edge
    HttpResponse<Buffer> name = get(base + "&carClass=economy");
    assertThat(name.statusCode()).isEqualTo(400);
    assertThat(name.bodyAsJsonObject().getString("parameter")).isEqualTo("carClass");
    String tooLong =
        "/api/v1/cars/search?location="
            + p[0]
            + "&pickUp="
            + DATE
            + "T10:00&dropOff="
            + LocalDate.parse(DATE).plusDays(31)
            + "T10:00";
    assertThat(get(tooLong).bodyAsJsonObject().getString("parameter")).isEqualTo("dropOff");
  }

  @Test
  void theWebPageAndTheApiDescriptionAreServed() {
    HttpResponse<Buffer> page = get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.getHeader("Content-Type")).startsWith("text/html");
    assertThat(page.bodyAsString()).contains("app.js");
    assertThat(get("/app.js").statusCode()).isEqualTo(200);
    HttpResponse<Buffer> spec = get("/openapi.yaml");
    assertThat(spec.statusCode()).isEqualTo(200);
    assertThat(spec.bodyAsString()).startsWith("openapi: 3.1");
  }

  @Test
  void cacheHeadersAndConditionalRequests() {
    String[] p = pair();
    String uri = "/api/v1/flights/search?from=" + p[0] + "&to=" + p[1] + "&date=" + DATE;
    HttpResponse<Buffer> first = get(uri);
    String etag = first.getHeader("ETag");
    assertThat(etag).startsWith("\"").endsWith("\"");
    // the entry is fresh 15 min with 60 s SWR in the gateway, but a client or CDN, which no
    // eviction reaches, may keep it 60 s (TARIFA_GATEWAY_CLIENT_MAX_AGE) at most
    assertThat(first.getHeader("Cache-Control"))
        .isEqualTo("public, max-age=60, stale-while-revalidate=60");
    assertThat(first.getHeader("Age")).isEqualTo("0");
    assertThat(first.getHeader("Content-Type")).isEqualTo("application/json");
    assertThat(first.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(first.getHeader("X-Degraded")).isNull();

    HttpResponse<Buffer> notModified =
        await(gw.client.get(uri).putHeader("If-None-Match", etag).send());
    assertThat(notModified.statusCode()).isEqualTo(304);
    assertThat(notModified.body()).isNull();
    assertThat(notModified.getHeader("ETag")).isEqualTo(etag);

    HttpResponse<Buffer> changed =
        await(gw.client.get(uri).putHeader("If-None-Match", "\"other\"").send());
    assertThat(changed.statusCode()).isEqualTo(200);
  }

  @Test
  void badInputIs400WithoutUpstreamWorkOrCacheEntry() {
    FakeService flights = gw.service("flights");
    int calls = flights.calls.get();
    long entries = gw.shared.cache().stats().l1Entries();
    for (String q :
        new String[] {
          "from=FR&to=JFK&date=" + DATE,
          "from=FRA&to=JFK&date=2020-01-01",
          "from=FRA&to=FRA&date=" + DATE,
          "from=FRA&to=JFK&date=" + DATE + "&adults=0",
          "from=FRA&to=JFK&date=" + DATE + "&cabin=deluxe",
          "to=JFK&date=" + DATE,
          "from=FRA&to=JFK&date=" + DATE + "&limit=" + "9".repeat(300)
        }) {
      HttpResponse<Buffer> r = get("/api/v1/flights/search?" + q);
      assertThat(r.statusCode()).as(q).isEqualTo(400);
      assertThat(r.getHeader("Content-Type")).isEqualTo("application/problem+json");
      assertThat(r.bodyAsJsonObject().getString("parameter")).as(q).isNotBlank();
    }
    HttpResponse<Buffer> hotel =
        get("/api/v1/hotels/search?near=JFK&checkIn=" + DATE + "&checkOut=" + DATE);
    assertThat(hotel.statusCode()).isEqualTo(400);
    assertThat(hotel.bodyAsJsonObject().getString("parameter")).isEqualTo("checkOut");
    HttpResponse<Buffer> car =
        get(
            "/api/v1/cars/search?location=JFK&pickUp="
                + DATE
                + "T10:00&dropOff="
                + DATE
                + "T09:00");
    assertThat(car.bodyAsJsonObject().getString("parameter")).isEqualTo("dropOff");
    gw.shared.cache().cleanUp();
    assertThat(flights.calls.get()).isEqualTo(calls);
    assertThat(gw.shared.cache().stats().l1Entries()).isEqualTo(entries);
  }

  @Test
  void originClientErrorIsPassedThroughAndNotCached() {
    FakeService hotels = gw.service("hotels");
    hotels.failStatus = 400;
    String uri =
        "/api/v1/hotels/search?city=Atlantis&checkIn="
            + DATE
            + "&checkOut="
            + LocalDate.parse(DATE).plusDays(2);
    int before = hotels.calls.get();
    HttpResponse<Buffer> r1 = get(uri);
    HttpResponse<Buffer> r2 = get(uri);
    assertThat(r1.statusCode()).isEqualTo(400);
    assertThat(r2.statusCode()).isEqualTo(400);
    assertThat(r1.bodyAsJsonObject().getString("title")).isEqualTo("fake failure");
    assertThat(r1.getHeader("Cache-Control")).isEqualTo("no-store");
    assertThat(hotels.calls.get() - before).isEqualTo(2);
  }

  @Test
  void emptyResultIsANegativeEntry() {
    FakeService cars = gw.service("cars");
    String uri =
        "/api/v1/cars/search?location=ZZZ&pickUp="
            + DATE
            + "T10:00&dropOff="
            + LocalDate.parse(DATE).plusDays(3)
            + "T10:00";
    int before = cars.searchCalls.get();
    HttpResponse<Buffer> r1 = get(uri);
    HttpResponse<Buffer> r2 = get(uri);
    assertThat(r1.bodyAsJsonObject().getJsonArray("results")).isEmpty();
    assertThat(r2.getHeader("X-Cache")).isEqualTo("HIT-L1");
    assertThat(cars.searchCalls.get() - before).isEqualTo(1);
    // negative entries live only the brief negative TTL (10 s by default)
    assertThat(r2.getHeader("Cache-Control"))
        .matches("public, max-age=(\\d|10), stale-while-revalidate=0");
  }

  @Test
  void adminCanPurgeByTagAndByKey() {
    String[] p = pair();
    String uri = "/api/v1/flights/search?from=" + p[0] + "&to=" + p[1] + "&date=" + DATE;
    get(uri);
    assertThat(get(uri).getHeader("X-Cache")).isEqualTo("HIT-L1");
    String admin = "Bearer " + gw.token("root", java.util.Set.of("admin"));
    HttpResponse<Buffer> purge =
        await(
            gw.client
                .delete("/admin/v1/cache?tag=flights:tag")
                .putHeader("Authorization", admin)
                .send());
    assertThat(purge.statusCode()).isEqualTo(200);
    assertThat(purge.bodyAsJsonObject().getLong("evicted")).isGreaterThanOrEqualTo(1);
    assertThat(get(uri).getHeader("X-Cache")).isEqualTo("MISS");

    String key =
        "flights:adults=1&cabin=economy&date="
            + DATE
            + "&from="
            + p[0]
            + "&limit=20&maxStops=1&offset=0&sort=price&to="
            + p[1];
    HttpResponse<Buffer> byKey =
        await(
            gw.client
                .delete("/admin/v1/cache")
                .addQueryParam("key", key)
                .putHeader("Authorization", admin)
                .send());
    assertThat(byKey.bodyAsJsonObject().getInteger("evicted")).isEqualTo(1);
    assertThat(get(uri).getHeader("X-Cache")).isEqualTo("MISS");

    HttpResponse<Buffer> stats =
        await(gw.client.get("/admin/v1/cache").putHeader("Authorization", admin).send());
    JsonObject json = stats.bodyAsJsonObject();
    assertThat(json.getJsonObject("lookups").getLong("hitL1")).isGreaterThanOrEqualTo(1);
    assertThat(json.getString("l2")).isEqualTo("disabled");
    HttpResponse<Buffer> noAdmin = await(gw.client.delete("/admin/v1/cache?tag=x").send());
    assertThat(noAdmin.statusCode()).isEqualTo(401);
  }

  @Test
  void offerChangedEventEvictsTheTaggedAnswers() throws InterruptedException {
    String[] p = pair();
    String uri =
        "/api/v1/hotels/search?near="
            + p[0]
            + "&checkIn="
            + DATE
            + "&checkOut="
            + LocalDate.parse(DATE).plusDays(1);
    get(uri);
    assertThat(get(uri).getHeader("X-Cache")).isEqualTo("HIT-L1");
    assertThat(gw.shared.invalidationRunning()).isTrue();
    await(
        gw.shared
            .events()
            .get()
            .publish(
                dev.tarifa.shared.events.DomainEvent.of(
                    "hotels.offer.changed", java.util.List.of("hotels:tag"), new JsonObject())));
    String cache = null;
    for (int i = 0; i < 50 && !"MISS".equals(cache); i++) {
      Thread.sleep(50);
      cache = get(uri).getHeader("X-Cache");
    }
    assertThat(cache).isEqualTo("MISS");
  }

  @Test
  void catalogueReadsAreCachedToo() {
    FakeService flights = gw.service("flights");
    int before = flights.calls.get();
    HttpResponse<Buffer> first = get("/api/v1/airports?q=Fran");
    HttpResponse<Buffer> second = get("/api/v1/airports?q=fRAN");
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(second.getHeader("X-Cache")).isEqualTo("HIT-L1");
    assertThat(flights.uris.get(flights.uris.size() - 1)).isEqualTo("/api/v1/airports?q=fran");
    assertThat(get("/api/v1/airlines/lh").statusCode()).isEqualTo(200);
    assertThat(get("/api/v1/airlines/LH").getHeader("X-Cache")).isEqualTo("HIT-L1");
    assertThat(flights.calls.get() - before).isEqualTo(2);
    assertThat(get("/api/v1/airports?q=f").statusCode()).isEqualTo(400);
    assertThat(flights.calls.get() - before).isEqualTo(2);
    flights.failStatus = 404;
    assertThat(get("/api/v1/airports/QQQ").statusCode()).isEqualTo(404);
    assertThat(get("/api/v1/airports/QQQ").statusCode()).isEqualTo(404);
    assertThat(flights.calls.get() - before).isEqualTo(4);
  }
}
