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
    app = FlightsTestApp.start(vertx, "flights_admin_it");
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
      assertThat(r.getArrayOfStrings(1))
          .containsExactlyInAnyOrder("route:MUC-AMS", "flights:MUC-AMS");
    }
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
