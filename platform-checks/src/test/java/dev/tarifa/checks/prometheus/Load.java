package dev.tarifa.checks.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * A short, deliberate load that gives every dashboard panel something to show: searches of every
 * domain on both gateways (misses, then L1 and L2 hits), a bad search (400), an unknown hotel (a
 * 404 passed through from the service), a rate-limit burst (429), car searches on the gateway whose
 * cars upstream is unreachable (503, an open circuit, then a degraded stale-if-error answer) and
 * one admin price change (an outbox event, published and consumed by the gateway's invalidation
 * queue).
 */
final class Load {
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /** Status codes seen, by "gateway status", for the report and the assertions. */
  final Map<String, Integer> statuses = new TreeMap<>();

  private final Platform platform;
  private final LocalDate base = LocalDate.now().plusDays(20);

  Load(Platform platform) {
    this.platform = platform;
  }

  void run(Duration duration) throws Exception {
    String g1 = platform.gateway(), g2 = platform.gateway2();
    adminPriceChange(g1);
    degradedCarSearch(g1, g2);
    long end = System.nanoTime() + duration.toNanos();
    int round = 0;
    while (System.nanoTime() < end) {
      for (String g : List.of(g1, g2)) {
        LocalDate d =
            base.plusDays(round % 4); // four dates: misses in the first rounds, hits after
        get(g, "/api/v1/flights/search?from=FRA&to=JFK&date=" + d);
        get(g, "/api/v1/hotels/search?city=paris&checkIn=" + d + "&checkOut=" + d.plusDays(2));
        get(g, "/api/v1/trips/search?from=FRA&to=JFK&depart=" + d + "&return=" + d.plusDays(5));
        get(g, "/api/v1/flights/search?from=FRA&to=JFK&date=not-a-date");
      }
      get(
          g1,
          "/api/v1/cars/search?location=FRA&pickUp="
              + base.plusDays(round % 4)
              + "T10:00&dropOff="
              + base.plusDays(round % 4 + 2)
              + "T10:00");
      get(g1, "/api/v1/hotels/999999999");
      round++;
      Thread.sleep(100);
    }
    rateLimitBurst(g2);
  }

  /**
   * 200 concurrent requests from one client, answered from L1: its token bucket holds 100
   * (TARIFA_RATE_LIMIT_BURST) and refills 50/s.
   */
  private void rateLimitBurst(String g) throws Exception {
    String path =
        "/api/v1/hotels/search?city=paris&checkIn=" + base + "&checkOut=" + base.plusDays(2);
    get(g, path); // in L1 now: the burst costs no upstream call
    URI uri = URI.create(g + path);
    List<CompletableFuture<HttpResponse<Void>>> burst = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      burst.add(
          HTTP.sendAsync(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build(),
              HttpResponse.BodyHandlers.discarding()));
    }
    int limited = 0;
    for (CompletableFuture<HttpResponse<Void>> f : burst) {
      int status = f.join().statusCode();
      statuses.merge("gateway-2 " + status, 1, Integer::sum);
      if (status == 429) limited++;
    }
    if (limited == 0)
      throw new AssertionError(
          "200 concurrent requests from one client were not rate limited: " + statuses);
  }

  /**
   * Fills a car answer through gateway 1, lets it pass its fresh and SWR windows, then asks gateway
   * 2 (cars down): a degraded answer. Up to three keys: on a loaded machine a Redis fill or read
   * can miss its bound.
   */
  private void degradedCarSearch(String g1, String g2) throws Exception {
    String last = "";
    for (int attempt = 0; attempt < 3; attempt++) {
      String path =
          "/api/v1/cars/search?location=FRA&pickUp="
              + base.plusDays(attempt)
              + "T09:00&dropOff="
              + base.plusDays(attempt + 3)
              + "T09:00";
      HttpResponse<String> filled = get(g1, path);
      if (filled.statusCode() != 200)
        throw new AssertionError(
            "car search on gateway 1: " + filled.statusCode() + " " + filled.body());
      // fresh 1 s + stale-while-revalidate 1 s (Platform's cache settings); the entry stays in
      // Redis for its SIE window
      Thread.sleep(2_500);
      HttpResponse<String> degraded = get(g2, path);
      if (degraded.statusCode() == 200
          && "true".equals(degraded.headers().firstValue("X-Degraded").orElse(""))) {
        // car searches that are in no cache: 503 from gateway 2 (cars unreachable); five failures
        // open its circuit
        for (int i = 0; i < 6; i++)
          get(
              g2,
              "/api/v1/cars/search?location=FRA&pickUp="
                  + base.plusDays(i + 10)
                  + "T09:00&dropOff="
                  + base.plusDays(i + 12)
                  + "T09:00");
        return;
      }
      last = degraded.statusCode() + " " + degraded.headers().map() + " " + degraded.body();
    }
    throw new AssertionError("expected a degraded car answer from gateway 2, got " + last);
  }

  /**
   * Logs in as admin and changes one hotel rate (If-Match with its version): an outbox event and an
   * eviction.
   */
  private void adminPriceChange(String g) throws Exception {
    HttpResponse<String> login =
        send(
            HttpRequest.newBuilder(URI.create(g + "/api/v1/auth/login"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"email\":\"admin@tarifa.local\",\"password\":\""
                            + platform.adminPassword
                            + "\"}")));
    if (login.statusCode() != 200)
      throw new AssertionError("admin login: " + login.statusCode() + " " + login.body());
    String token = Dashboards.JSON.readTree(login.body()).path("token").asText();
    JsonNode hotels =
        Dashboards.JSON.readTree(
            get(
                    g,
                    "/api/v1/hotels/search?city=paris&checkIn="
                        + base
                        + "&checkOut="
                        + base.plusDays(2))
                .body());
    long id = hotels.path("results").get(0).path("hotel").path("id").asLong();
    JsonNode hotel =
        Dashboards.JSON.readTree(
            send(HttpRequest.newBuilder(URI.create(g + "/admin/v1/hotels/" + id))
                    .header("Authorization", "Bearer " + token)
                    .GET())
                .body());
    JsonNode roomType = hotel.path("roomTypes").get(0);
    JsonNode rate = roomType.path("rates").get(0);
    long amount = rate.path("baseNightly").path("amount").asLong() + 100;
    HttpResponse<String> put =
        send(
            HttpRequest.newBuilder(
                    URI.create(
                        g
                            + "/admin/v1/hotels/"
                            + id
                            + "/room-types/"
                            + roomType.path("code").asText()
                            + "/rates/"
                            + rate.path("provider").path("code").asText()))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("If-Match", "\"" + rate.path("version").asText() + "\"")
                .PUT(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"baseNightly\":{\"amount\":" + amount + ",\"currency\":\"EUR\"}}")));
    if (put.statusCode() != 200)
      throw new AssertionError("admin rate change: " + put.statusCode() + " " + put.body());
  }

  private HttpResponse<String> get(String gateway, String path) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(gateway + path)).GET());
  }

  private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    HttpRequest r = b.timeout(Duration.ofSeconds(10)).build();
    HttpResponse<String> response;
    try {
      response = HTTP.send(r, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError(r.method() + " " + r.uri() + ": " + e, e);
    }
    String gw = r.uri().getPort() == platform.gateway2Port ? "gateway-2" : "gateway-1";
    statuses.merge(gw + " " + response.statusCode(), 1, Integer::sum);
    return response;
  }

  List<String> summary() {
    List<String> out = new ArrayList<>();
    statuses.forEach((k, v) -> out.add(k + ": " + v));
    return out;
  }
}
