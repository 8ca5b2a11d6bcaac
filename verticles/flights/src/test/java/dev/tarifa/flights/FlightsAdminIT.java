package dev.tarifa.flights;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tarifa.shared.db.Postgres;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Admin CRUD: role checks, ETags and If-Match, conflicts, outbox events, and the effect on search.
 */
@ExtendWith(VertxExtension.class)
class FlightsAdminIT {
  private static FlightsTestApp app;
  private static WebClient client;
  private static Pool pool;
  private static String admin;
  private static final String DATE = LocalDate.now(ZoneOffset.UTC).plusDays(30).toString();

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    // four airports without schedules (not in the small catalogue, one UTC offset: local times
    // are UTC), so the tags of events about legs between them are exact
    app =
        FlightsTestApp.start(
            vertx,
            "flights_admin_it",
            """
            INSERT INTO airports (iata, name, city, country, country_code, latitude, longitude,
                                  utc_offset_min, tz, route_count)
            SELECT code, code || ' Test', code || ' City', 'Testland', 'TL', 0, 0, 0, 'UTC', 0
            FROM unnest(ARRAY['QQW', 'QQH', 'QQZ', 'QQV']) AS code""");
    client = WebClient.create(vertx);
    pool = Postgres.pool(vertx, app.config.offer().service().pgUrl(), 2);
    admin = app.token("admin");
  }

  @AfterAll
  static void stop() throws Exception {
    if (client != null) client.close();
    if (pool != null) pool.close().await(5, TimeUnit.SECONDS);
  }

  private static HttpResponse<Buffer> send(
      HttpMethod method, String uri, String token, String ifMatch, JsonObject body)
      throws Exception {
    HttpRequest<Buffer> req = client.request(method, app.port, "127.0.0.1", uri);
    if (token != null) req.putHeader("Authorization", "Bearer " + token);
    if (ifMatch != null) req.putHeader("If-Match", ifMatch);
    return (body == null ? req.send() : req.sendJsonObject(body)).await(20, TimeUnit.SECONDS);
  }

  private static JsonObject schedule(int number) {
    return new JsonObject()
        .put("airline", "LH")
        .put("number", number)
        .put("from", "MUC")
        .put("to", "AMS")
        .put("departure", "07:15")
        .put("durationMinutes", 100)
        .put("days", new JsonArray(List.of(1, 2, 3, 4, 5, 6, 7)));
  }

  private static List<Row> outbox(long flightId) throws Exception {
    var rows =
        pool.preparedQuery(
                "SELECT event_type, tags, payload FROM outbox WHERE (payload->>'flightId')::bigint = $1 ORDER BY occurred_at")
            .execute(Tuple.of(flightId))
            .await(5, TimeUnit.SECONDS);
    List<Row> out = new java.util.ArrayList<>();
    rows.forEach(out::add);
    return out;
  }

  @Test
  void adminRoutesNeedAnAdminToken() throws Exception {
    HttpResponse<Buffer> none =
        send(HttpMethod.GET, "/admin/v1/flights?from=FRA&to=JFK", null, null, null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.getHeader("WWW-Authenticate")).startsWith("Bearer");
    assertThat(
            send(HttpMethod.GET, "/admin/v1/flights?from=FRA&to=JFK", "not.a.token", null, null)
                .statusCode())
        .isEqualTo(401);
    assertThat(
            send(HttpMethod.POST, "/admin/v1/flights", app.token("user"), null, schedule(9001))
                .statusCode())
        .isEqualTo(403);
    assertThat(
            send(
                    HttpMethod.DELETE,
                    "/admin/v1/flights/1/fares/economy/LH",
                    app.token(),
                    "\"1\"",
                    null)
                .statusCode())
        .isEqualTo(403);
    assertThat(
            send(HttpMethod.GET, "/admin/v1/flights?from=FRA&to=JFK", admin, null, null)
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void scheduleLifecycleWithETagsAndOutbox() throws Exception {
    HttpResponse<Buffer> created =
        send(HttpMethod.POST, "/admin/v1/flights", admin, null, schedule(9002));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    assertThat(created.getHeader("ETag")).isEqualTo("\"1\"");
    long id = created.bodyAsJsonObject().getLong("id");
    assertThat(created.getHeader("Location")).isEqualTo("/admin/v1/flights/" + id);
    assertThat(created.bodyAsJsonObject().getString("flight")).isEqualTo("LH9002");

    // Same airline and number again: 409.
    assertThat(send(HttpMethod.POST, "/admin/v1/flights", admin, null, schedule(9002)).statusCode())
        .isEqualTo(409);

    HttpResponse<Buffer> got = send(HttpMethod.GET, "/admin/v1/flights/" + id, admin, null, null);
    assertThat(got.getHeader("ETag")).isEqualTo("\"1\"");
    assertThat(got.bodyAsJsonObject().getString("departure")).isEqualTo("07:15");

    JsonObject changed =
        schedule(9002).put("departure", "08:30").put("days", new JsonArray(List.of(1, 3, 5)));
    assertThat(send(HttpMethod.PUT, "/admin/v1/flights/" + id, admin, null, changed).statusCode())
        .isEqualTo(428);
    assertThat(
            send(HttpMethod.PUT, "/admin/v1/flights/" + id, admin, "\"7\"", changed).statusCode())
        .isEqualTo(412);
    HttpResponse<Buffer> updated =
        send(HttpMethod.PUT, "/admin/v1/flights/" + id, admin, "\"1\"", changed);
    assertThat(updated.statusCode()).as(updated.bodyAsString()).isEqualTo(200);
    assertThat(updated.getHeader("ETag")).isEqualTo("\"2\"");
    assertThat(updated.bodyAsJsonObject().getJsonArray("days").getList()).containsExactly(1, 3, 5);
    // The old version can no longer be used: no silent overwrite.
    assertThat(
            send(HttpMethod.PUT, "/admin/v1/flights/" + id, admin, "\"1\"", schedule(9002))
                .statusCode())
        .isEqualTo(412);

    assertThat(send(HttpMethod.DELETE, "/admin/v1/flights/" + id, admin, null, null).statusCode())
        .isEqualTo(428);
    assertThat(
            send(HttpMethod.DELETE, "/admin/v1/flights/" + id, admin, "\"1\"", null).statusCode())
        .isEqualTo(412);
    assertThat(
            send(HttpMethod.DELETE, "/admin/v1/flights/" + id, admin, "\"2\"", null).statusCode())
        .isEqualTo(204);
    assertThat(send(HttpMethod.GET, "/admin/v1/flights/" + id, admin, null, null).statusCode())
        .isEqualTo(404);
    assertThat(
            send(HttpMethod.DELETE, "/admin/v1/flights/" + id, admin, "\"2\"", null).statusCode())
        .isEqualTo(404);

    List<Row> events = outbox(id);
    assertThat(events)
        .extracting(r -> r.getJsonObject(2).getString("change"))
        .containsExactly("schedule.created", "schedule.updated", "schedule.deleted");
    for (Row r : events) {
      assertThat(r.getString(0)).isEqualTo("flights.offer.changed");
      // the leg's route and pair, and the pairs connecting through MUC or AMS (both hubs of the
      // small catalogue); legCoverage below checks those exactly
      assertThat(r.getArrayOfStrings(1))
          .contains("route:MUC-AMS", "flights:MUC-AMS")
          .hasSizeGreaterThan(2)
          .allMatch(
              t ->
                  t.equals("route:MUC-AMS")
                      || t.startsWith("flights:MUC-")
                      || t.startsWith("flights:") && t.endsWith("-AMS"));
    }
  }

  /**
   * An answer names its searched pair and airlines, not its legs; so an event for a leg X-Y names
   * every pair whose one-stop itineraries can contain it (X-Z through Y, W-Y through X), before and
   * after a route change, and a deleted leg's. Four airports without schedules in the small
   * catalogue make the expected tags exact.
   */
  @Test
  void legChangesNameThePairsConnectingThroughThem() throws Exception {
    String w = "QQW", h = "QQH", z = "QQZ", v = "QQV";
    long first = create(9101, w, h, "07:00"); // arrives 08:40
    assertThat(lastTags(first)).containsExactlyInAnyOrder(route(w, h), pair(w, h));
    long second = create(9102, h, z, "10:40"); // a 120-minute layover at h
    assertThat(lastTags(second)).containsExactlyInAnyOrder(route(h, z), pair(h, z), pair(w, z));
    // a way back from the hub: w-w is no search, so no pair through it
    long back = create(9103, h, w, "12:00");
    assertThat(lastTags(back)).containsExactlyInAnyOrder(route(h, w), pair(h, w));

    String firstFare = "/admin/v1/flights/" + first + "/fares/economy/LH";
    String secondFare = "/admin/v1/flights/" + second + "/fares/economy/LH";
    assertThat(put(firstFare, null, 10_000)).isEqualTo(201);
    assertThat(lastTags(first)).containsExactlyInAnyOrder(route(w, h), pair(w, h), pair(w, z));
    assertThat(put(secondFare, null, 12_000)).isEqualTo(201);
    assertThat(lastTags(second)).containsExactlyInAnyOrder(route(h, z), pair(h, z), pair(w, z));

    // the one-stop answer w-z through h: its pair and airline, no leg
    HttpResponse<Buffer> answer =
        client
            .get(
                app.port,
                "127.0.0.1",
                "/api/v1/flights/search?from=" + w + "&to=" + z + "&date=" + DATE)
            .send()
            .await(20, TimeUnit.SECONDS);
    assertThat(answer.bodyAsJsonObject().getJsonArray("results"))
        .singleElement()
        .satisfies(it -> assertThat(((JsonObject) it).getInteger("stops")).isEqualTo(1));
    assertThat(answer.getHeader("X-Cache-Tags")).isEqualTo(pair(w, z) + " airline:LH");

    // a fare change on either leg evicts that answer
    assertThat(put(firstFare, "\"1\"", 9_000)).isEqualTo(200);
    assertThat(lastTags(first)).contains(pair(w, z));
    assertThat(put(secondFare, "\"1\"", 11_000)).isEqualTo(200);
    assertThat(lastTags(second)).contains(pair(w, z));

    // the first leg moves to v-h: the old leg's pairs and the new leg's (v-w through h now too)
    HttpResponse<Buffer> moved =
        send(
            HttpMethod.PUT,
            "/admin/v1/flights/" + first,
            admin,
            "\"1\"",
            schedule(9101, v, h, "07:00"));
    assertThat(moved.statusCode()).as(moved.bodyAsString()).isEqualTo(200);
    assertThat(lastTags(first))
        .containsExactlyInAnyOrder(
            route(w, h), pair(w, h), pair(w, z), route(v, h), pair(v, h), pair(v, z), pair(v, w));

    // deleting the second leg names the pairs that could contain it before the delete
    assertThat(
            send(HttpMethod.DELETE, "/admin/v1/flights/" + second, admin, "\"1\"", null)
                .statusCode())
        .isEqualTo(204);
    assertThat(lastTags(second)).containsExactlyInAnyOrder(route(h, z), pair(h, z), pair(v, z));
  }

  private static String route(String from, String to) {
    return "route:" + from + "-" + to;
  }

  private static String pair(String from, String to) {
    return "flights:" + from + "-" + to;
  }

  private static JsonObject schedule(int number, String from, String to, String departure) {
    return schedule(number)
        .put("from", from)
        .put("to", to)
        .put("departure", departure)
        .put("durationMinutes", 100);
  }

  private static long create(int number, String from, String to, String departure)
      throws Exception {
    HttpResponse<Buffer> r =
        send(
            HttpMethod.POST,
            "/admin/v1/flights",
            admin,
            null,
            schedule(number, from, to, departure));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    return r.bodyAsJsonObject().getLong("id");
  }

  private static int put(String fareUri, String ifMatch, long amount) throws Exception {
    return send(HttpMethod.PUT, fareUri, admin, ifMatch, new JsonObject().put("amount", amount))
        .statusCode();
  }

  /** The tags of the flight's latest event. */
  private static List<String> lastTags(long flightId) throws Exception {
    List<Row> events = outbox(flightId);
    return List.of(events.get(events.size() - 1).getArrayOfStrings(1));
  }

  @Test
  void invalidSchedulesAre400NamingTheField() throws Exception {
    record Case(JsonObject body, String parameter) {}
    List<Case> cases =
        List.of(
            new Case(schedule(9003).put("airline", "ZZ9"), "airline"),
            new Case(schedule(9003).put("from", "XXX"), "from"),
            new Case(schedule(9003).put("to", "MUC"), "to"),
            new Case(schedule(9003).put("number", 0), "number"),
            new Case(schedule(9003).put("departure", "25:00"), "departure"),
            new Case(schedule(9003).put("durationMinutes", 0), "durationMinutes"),
            new Case(schedule(9003).put("days", new JsonArray(List.of(0, 8))), "days"),
            new Case(schedule(9003).put("days", "daily"), "days"));
    for (Case c : cases) {
      HttpResponse<Buffer> r = send(HttpMethod.POST, "/admin/v1/flights", admin, null, c.body());
      assertThat(r.statusCode()).as(c.toString()).isEqualTo(400);
      assertThat(r.bodyAsJsonObject().getString("parameter"))
          .as(c.toString())
          .isEqualTo(c.parameter());
    }
    HttpResponse<Buffer> notJson =
        client
            .post(app.port, "127.0.0.1", "/admin/v1/flights")
            .putHeader("Authorization", "Bearer " + admin)
            .sendBuffer(Buffer.buffer("{oops"))
            .await(10, TimeUnit.SECONDS);
    assertThat(notJson.bodyAsJsonObject().getString("parameter")).isEqualTo("body");
    assertThat(
            send(HttpMethod.GET, "/admin/v1/flights/abc", admin, null, null)
                .bodyAsJsonObject()
                .getString("parameter"))
        .isEqualTo("id");
    assertThat(
            send(HttpMethod.GET, "/admin/v1/flights?from=FRA", admin, null, null)
                .bodyAsJsonObject()
                .getString("parameter"))
        .isEqualTo("to");
  }

  @Test
  void fareChangesShowInSearchAndWriteEvents() throws Exception {
    long id =
        send(HttpMethod.POST, "/admin/v1/flights", admin, null, schedule(9004))
            .bodyAsJsonObject()
            .getLong("id");
    String fareUri = "/admin/v1/flights/" + id + "/fares/economy/LH";

    // No fares yet: the flight is not offered.
    assertThat(ids(search())).doesNotContain("LH9004@" + DATE + "T07:15");

    HttpResponse<Buffer> created =
        send(HttpMethod.PUT, fareUri, admin, null, new JsonObject().put("amount", 10_000));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    assertThat(created.getHeader("ETag")).isEqualTo("\"1\"");
    assertThat(
            send(
                    HttpMethod.PUT,
                    "/admin/v1/flights/" + id + "/fares/economy/SKYBASKET",
                    admin,
                    null,
                    new JsonObject().put("amount", 9_000))
                .statusCode())
        .isEqualTo(201);

    JsonObject offered = itinerary(search(), "LH9004@" + DATE + "T07:15");
    assertThat(offered.getJsonArray("offers")).hasSize(2);
    long before = offered.getJsonObject("cheapest").getJsonObject("price").getLong("amount");
    assertThat(offered.getJsonObject("cheapest").getJsonObject("provider").getString("code"))
        .isEqualTo("SKYBASKET");

    // Update: If-Match needed; stale is 412; PATCH of a missing fare is 404.
    JsonObject cheaper = new JsonObject().put("amount", 5_000);
    assertThat(send(HttpMethod.PUT, fareUri, admin, null, cheaper).statusCode()).isEqualTo(428);
    assertThat(send(HttpMethod.PATCH, fareUri, admin, "\"3\"", cheaper).statusCode())
        .isEqualTo(412);
    assertThat(
            send(
                    HttpMethod.PATCH,
                    "/admin/v1/flights/" + id + "/fares/business/LH",
                    admin,
                    "\"1\"",
                    cheaper)
                .statusCode())
        .isEqualTo(404);
    HttpResponse<Buffer> patched = send(HttpMethod.PATCH, fareUri, admin, "\"1\"", cheaper);
    assertThat(patched.statusCode()).isEqualTo(200);
    assertThat(patched.getHeader("ETag")).isEqualTo("\"2\"");
    JsonObject now = itinerary(search(), "LH9004@" + DATE + "T07:15");
    assertThat(now.getJsonObject("cheapest").getJsonObject("provider").getString("code"))
        .isEqualTo("LH");
    assertThat(now.getJsonObject("cheapest").getJsonObject("price").getLong("amount"))
        .isEqualTo(before * 5_000 / 9_000);

    assertThat(
            send(HttpMethod.GET, "/admin/v1/flights/" + id + "/fares", admin, null, null)
                .bodyAsJsonObject()
                .getJsonArray("results"))
        .hasSize(2);
    assertThat(
            send(
                    HttpMethod.PUT,
                    "/admin/v1/flights/" + id + "/fares/economy/NOPE",
                    admin,
                    null,
                    cheaper)
                .bodyAsJsonObject()
                .getString("parameter"))
        .isEqualTo("provider");
    assertThat(
            send(
                    HttpMethod.PUT,
                    "/admin/v1/flights/" + id + "/fares/steerage/LH",
                    admin,
                    null,
                    cheaper)
                .bodyAsJsonObject()
                .getString("parameter"))
        .isEqualTo("cabin");
    assertThat(
            send(HttpMethod.PUT, fareUri, admin, "\"2\"", new JsonObject().put("amount", -5))
                .bodyAsJsonObject()
                .getString("parameter"))
        .isEqualTo("amount");
    assertThat(
            send(HttpMethod.PUT, fareUri, admin, "\"2\"", new JsonObject().put("amount", "12.50"))
                .bodyAsJsonObject()
                .getString("parameter"))
        .isEqualTo("amount");

    assertThat(send(HttpMethod.DELETE, fareUri, admin, null, null).statusCode()).isEqualTo(428);
    assertThat(send(HttpMethod.DELETE, fareUri, admin, "\"1\"", null).statusCode()).isEqualTo(412);
    assertThat(send(HttpMethod.DELETE, fareUri, admin, "\"2\"", null).statusCode()).isEqualTo(204);
    assertThat(itinerary(search(), "LH9004@" + DATE + "T07:15").getJsonArray("offers")).hasSize(1);

    assertThat(outbox(id))
        .extracting(r -> r.getJsonObject(2).getString("change"))
        .containsExactly(
            "schedule.created", "fare.created", "fare.created", "fare.updated", "fare.deleted");
  }

  @Test
  void failedWritesLeaveNoEvent() throws Exception {
    long id =
        send(HttpMethod.POST, "/admin/v1/flights", admin, null, schedule(9005))
            .bodyAsJsonObject()
            .getLong("id");
    send(HttpMethod.PUT, "/admin/v1/flights/" + id, admin, "\"9\"", schedule(9005));
    send(HttpMethod.DELETE, "/admin/v1/flights/" + id, admin, "\"9\"", null);
    assertThat(outbox(id)).hasSize(1);
  }

  private static JsonObject search() throws Exception {
    HttpResponse<Buffer> r =
        client
            .get(
                app.port,
                "127.0.0.1",
                "/api/v1/flights/search?from=MUC&to=AMS&maxStops=0&limit=50&date=" + DATE)
            .send()
            .await(20, TimeUnit.SECONDS);
    assertThat(r.statusCode()).isEqualTo(200);
    return r.bodyAsJsonObject();
  }

  private static List<String> ids(JsonObject body) {
    return body.getJsonArray("results").stream()
        .map(o -> ((JsonObject) o).getString("id"))
        .toList();
  }

  private static JsonObject itinerary(JsonObject body, String id) {
    return body.getJsonArray("results").stream()
        .map(JsonObject.class::cast)
        .filter(o -> o.getString("id").equals(id))
        .findFirst()
        .orElseThrow(() -> new AssertionError(id + " not in " + ids(body)));
  }
}
