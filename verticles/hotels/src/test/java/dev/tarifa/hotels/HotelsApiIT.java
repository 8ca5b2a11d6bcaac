package dev.tarifa.hotels;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tarifa.hotels.domain.HotelPricing;
import dev.tarifa.hotels.store.HotelSeeder;
import dev.tarifa.shared.auth.AuthConfig;
import dev.tarifa.shared.auth.JwtIssuer;
import dev.tarifa.shared.auth.JwtKeys;
import dev.tarifa.shared.config.Env;
import dev.tarifa.shared.launch.OfferServiceConfig;
import dev.tarifa.shared.pricing.CatalogueSize;
import dev.tarifa.shared.testing.TestServers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The hotels service against a real PostgreSQL with the small catalogue, on port 0. */
class HotelsApiIT {
  private static Vertx vertx;
  private static WebClient client;
  private static Pool db;
  private static HotelsConfig config;
  private static String admin, user;
  private static final LocalDate IN = LocalDate.now(ZoneOffset.UTC).plusDays(20);
  private static final LocalDate OUT = IN.plusDays(3);

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    URI url = TestServers.freshPostgresDatabase("tarifa_hotels_it");
    var keys = JwtKeys.generateEs256();
    AuthConfig auth = AuthConfig.fromEnv(Env.of(Map.of())).withKeys(keys);
    config =
        new HotelsConfig(
            OfferServiceConfig.of(HotelsConfig.NAME, 0, url, 4, CatalogueSize.SMALL, 42, auth));
    HotelsService service = new HotelsService(config);
    await(service.prepare(vertx));
    HotelsVerticle verticle = new HotelsVerticle(config);
    await(vertx.deployVerticle(verticle));
    client =
        WebClient.create(
            vertx,
            new WebClientOptions()
                .setDefaultHost("127.0.0.1")
                .setDefaultPort(verticle.actualPort()));
    PgConnectOptions o = PgConnectOptions.fromUri(url.toString());
    db = PgBuilder.pool().connectingTo(o).using(vertx).build();
    JwtIssuer issuer = JwtIssuer.create(vertx, auth);
    admin = issuer.issue("admin-1", "admin@example.com", Set.of("admin", "user"));
    user = issuer.issue("user-1", "user@example.com", Set.of("user"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) await(vertx.close());
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  static HttpResponse<Buffer> send(
      HttpMethod method, String path, String token, String ifMatch, JsonObject body)
      throws Exception {
    HttpRequest<Buffer> req = client.request(method, path).timeout(20_000);
    if (token != null) req.putHeader("Authorization", "Bearer " + token);
    if (ifMatch != null) req.putHeader("If-Match", ifMatch);
    return await(body == null ? req.send() : req.sendJsonObject(body));
  }

  static HttpResponse<Buffer> get(String path) throws Exception {
    return send(HttpMethod.GET, path, null, null, null);
  }

  static String search(String extra) {
    return "/api/v1/hotels/search?checkIn=" + IN + "&checkOut=" + OUT + extra;
  }

  static RowSet<Row> sql(String q, Tuple t) throws Exception {
    return await(db.preparedQuery(q).execute(t));
  }

  @Test
  void searchByCityNameGroupsOffersPerRoomTypeSortedByPrice() throws Exception {
    HttpResponse<Buffer> r = get(search("&city=Paris&guests=2&limit=50"));
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject body = r.bodyAsJsonObject();
    assertThat(body.getJsonObject("query").getString("city")).isEqualTo("paris-fr");
    JsonArray results = body.getJsonArray("results");
    assertThat(results).isNotEmpty();
    assertThat(body.getInteger("total")).isGreaterThanOrEqualTo(results.size());
    long previous = -1;
    Set<String> productIds = new java.util.HashSet<>();
    for (Object o : results) {
      JsonObject p = (JsonObject) o;
      assertThat(productIds.add(p.getString("id"))).isTrue();
      assertThat(p.getJsonObject("room").getInteger("maxOccupancy")).isGreaterThanOrEqualTo(2);
      JsonArray offers = p.getJsonArray("offers");
      assertThat(offers.size()).isBetween(3, 5);
      List<Long> prices = new ArrayList<>();
      for (Object x : offers) prices.add(((JsonObject) x).getJsonObject("price").getLong("amount"));
      assertThat(prices).isSorted();
      assertThat(p.getJsonObject("cheapest")).isEqualTo(offers.getJsonObject(0));
      assertThat(p.getJsonObject("spread").getLong("amount"))
          .isEqualTo(prices.get(prices.size() - 1) - prices.get(0));
      long cheapest = prices.get(0);
      assertThat(cheapest).isGreaterThanOrEqualTo(previous);
      previous = cheapest;
    }
    assertThat(body.getJsonObject("providers").getJsonArray("answered").size())
        .isGreaterThanOrEqualTo(4);
    String tags = r.getHeader("X-Cache-Tags");
    assertThat(tags).startsWith("hotels:city:paris-fr ");
    long hotelId = results.getJsonObject(0).getJsonObject("hotel").getLong("id");
    assertThat(tags.split(" ")).contains("hotel:" + hotelId);
  }

  @Test
  void offerPricesFollowTheFormulaFromTheStoredBaseRate() throws Exception {
    JsonObject p =
        get(search("&city=paris-fr&rooms=2&guests=2&limit=1"))
            .bodyAsJsonObject()
            .getJsonArray("results")
            .getJsonObject(0);
    long hotelId = p.getJsonObject("hotel").getLong("id");
    String code = p.getJsonObject("room").getString("code");
    JsonObject cheapest = p.getJsonObject("cheapest");
    long base =
        sql(
                "SELECT x.base_nightly FROM rates x JOIN room_types r ON r.id = x.room_type_id WHERE r.hotel_id = $1 AND r.code = $2 AND x.provider_code = $3",
                Tuple.of(hotelId, code, cheapest.getJsonObject("provider").getString("code")))
            .iterator()
            .next()
            .getLong(0);
    assertThat(cheapest.getJsonObject("price").getLong("amount"))
        .isEqualTo(HotelPricing.stay(base, IN, OUT, 2, LocalDate.now(ZoneOffset.UTC)).amount());
  }

  @Test
  void nearAnAirportFindsTheCityItServes() throws Exception {
    HttpResponse<Buffer> r = get(search("&near=ORY&limit=5"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.bodyAsJsonObject().getJsonObject("query").getString("city")).isEqualTo("paris-fr");
    assertThat(r.bodyAsJsonObject().getJsonObject("query").getString("near")).isEqualTo("ORY");
  }

  @Test
  void minStarsAndSortByStarsAndName() throws Exception {
    JsonArray byStars =
        get(search("&city=london&minStars=4&sort=stars&limit=50"))
            .bodyAsJsonObject()
            .getJsonArray("results");
    List<Integer> stars =
        byStars.stream()
            .map(o -> ((JsonObject) o).getJsonObject("hotel").getInteger("stars"))
            .toList();
    assertThat(stars).isNotEmpty().allSatisfy(s -> assertThat(s).isGreaterThanOrEqualTo(4));
    assertThat(stars).isSortedAccordingTo(java.util.Comparator.reverseOrder());
    JsonArray byName =
        get(search("&city=london&sort=name&limit=50")).bodyAsJsonObject().getJsonArray("results");
    List<String> names =
        byName.stream()
            .map(o -> ((JsonObject) o).getJsonObject("hotel").getString("name"))
            .toList();
    assertThat(names).isSorted();
  }

  @Test
  void pagesDoNotOverlapAndTotalIsStable() throws Exception {
    JsonObject first = get(search("&city=paris&limit=5&offset=0")).bodyAsJsonObject();
    JsonObject second = get(search("&city=paris&limit=5&offset=5")).bodyAsJsonObject();
    assertThat(first.getInteger("total")).isEqualTo(second.getInteger("total"));
    List<String> a =
        first.getJsonArray("results").stream().map(o -> ((JsonObject) o).getString("id")).toList();
    List<String> b =
        second.getJsonArray("results").stream().map(o -> ((JsonObject) o).getString("id")).toList();
    assertThat(a).hasSize(5).doesNotContainAnyElementsOf(b);
    JsonObject past = get(search("&city=paris&offset=1000")).bodyAsJsonObject();
    assertThat(past.getJsonArray("results")).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "/api/v1/hotels/search?checkIn=IN&checkOut=OUT|city",
        "/api/v1/hotels/search?city=paris&near=CDG&checkIn=IN&checkOut=OUT|near",
        "/api/v1/hotels/search?city=atlantis&checkIn=IN&checkOut=OUT|city",
        "/api/v1/hotels/search?near=XXX&checkIn=IN&checkOut=OUT|near",
        "/api/v1/hotels/search?near=C1G&checkIn=IN&checkOut=OUT|near",
        "/api/v1/hotels/search?city=paris&checkOut=OUT|checkIn",
        "/api/v1/hotels/search?city=paris&checkIn=2020-01-01&checkOut=OUT|checkIn",
        "/api/v1/hotels/search?city=paris&checkIn=2099-01-01&checkOut=2099-01-02|checkIn",
        "/api/v1/hotels/search?city=paris&checkIn=12/01/2026&checkOut=OUT|checkIn",
        "/api/v1/hotels/search?city=paris&checkIn=IN|checkOut",
        "/api/v1/hotels/search?city=paris&checkIn=IN&checkOut=IN|checkOut",
        "/api/v1/hotels/search?city=paris&checkIn=IN&checkOut=LONG|checkOut",
        "/api/v1/hotels/search?city=paris&checkIn=IN&checkOut=OUT&guests=0|guests",
        "/api/v1/hotels/search?city=paris&checkIn=IN&checkOut=OUT&guests=10|guests",
        "/api/v1/hotels/search?city=paris&checkIn=IN&checkOut=OUT&guests=two|guests",
        "/api/v1/hotels/search?city=paris&checkIn=IN&checkOut=OUT&guests=5&rooms=6|rooms",
        "/api/v1/hotels/search?city=paris&checkIn=IN&checkOut=OUT&guests=1&rooms=2|rooms",
        "/api/v1/hotels/search?city=paris&checkIn=IN&checkOut=OUT&minStars=6|minStars",
        "/api/v1/hotels/search?city=paris&checkIn=IN&checkOut=OUT&sort=cheap|sort",
        "/api/v1/hotels/search?city=paris&checkIn=IN&checkOut=OUT&limit=51|limit",
        "/api/v1/hotels/search?city=paris&checkIn=IN&checkOut=OUT&limit=0|limit",
        "/api/v1/hotels/search?city=paris&checkIn=IN&checkOut=OUT&offset=1001|offset",
        "/api/v1/hotels/search?city=paris&checkIn=IN&checkOut=OUT&offset=-1|offset",
        "/api/v1/hotels/search?city=paris&checkIn=2026-02-30&checkOut=OUT|checkIn",
        "/api/v1/hotels/search?city=paris&checkIn=IN&checkOut=OUT&limit=1e3|limit",
        "/api/v1/hotels/abc|id",
        "/api/v1/hotels/99999999999999999999|id",
        "/api/v1/hotels/0|id",
      })
  void everyInvalidParameterIsA400NamingIt(String path, String parameter) throws Exception {
    String p =
        path.replace("=IN", "=" + IN)
            .replace("=OUT", "=" + OUT)
            .replace("=LONG", "=" + IN.plusDays(31));
    HttpResponse<Buffer> r = get(p);
    assertThat(r.statusCode()).as(p).isEqualTo(400);
    assertThat(r.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(r.bodyAsJsonObject().getString("parameter")).as(p).isEqualTo(parameter);
  }

  @Test
  void detailsAnd404() throws Exception {
    HttpResponse<Buffer> r = get("/api/v1/hotels/1");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject h = r.bodyAsJsonObject();
    assertThat(h.getLong("id")).isEqualTo(1L);
    assertThat(h.getJsonObject("city").getString("key")).isNotBlank();
    assertThat(h.getJsonArray("roomTypes").size()).isBetween(2, 4);
    assertThat(h.getJsonArray("roomTypes").getJsonObject(0).getJsonArray("rates").size())
        .isBetween(3, 5);
    HttpResponse<Buffer> missing = get("/api/v1/hotels/999999");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.bodyAsJsonObject().getInteger("status")).isEqualTo(404);
  }

  @Test
  void seedingIsIdempotent() throws Exception {
    long hotels = sql("SELECT count(*) FROM hotels", Tuple.tuple()).iterator().next().getLong(0);
    assertThat(hotels).isGreaterThan(20 * 8);
    assertThat(
            await(
                HotelSeeder.seed(vertx, config.offer().service().pgUrl(), CatalogueSize.SMALL, 42)))
        .isFalse();
    await(new HotelsService(config).prepare(vertx));
    assertThat(sql("SELECT count(*) FROM hotels", Tuple.tuple()).iterator().next().getLong(0))
        .isEqualTo(hotels);
    assertThat(sql("SELECT count(*) FROM cities", Tuple.tuple()).iterator().next().getLong(0))
        .isEqualTo(20L);
  }

  @Test
  void adminNeedsATokenWithTheAdminRole() throws Exception {
    assertThat(send(HttpMethod.GET, "/admin/v1/hotels/1", null, null, null).statusCode())
        .isEqualTo(401);
    assertThat(send(HttpMethod.GET, "/admin/v1/hotels/1", "not.a.token", null, null).statusCode())
        .isEqualTo(401);
    assertThat(send(HttpMethod.GET, "/admin/v1/hotels/1", user, null, null).statusCode())
        .isEqualTo(403);
    assertThat(send(HttpMethod.POST, "/admin/v1/hotels", user, null, new JsonObject()).statusCode())
        .isEqualTo(403);
    assertThat(send(HttpMethod.GET, "/admin/v1/hotels/1", admin, null, null).statusCode())
        .isEqualTo(200);
  }

  @Test
  void adminCrudWithOptimisticConcurrencyAndOutboxEvents() throws Exception {
    JsonObject input =
        new JsonObject()
            .put("cityKey", "paris-fr")
            .put("name", "Test Hotel Paris")
            .put("stars", 5)
            .put("district", "Centre")
            .put("address", "1 Test Street")
            .put("latitude", 48.85)
            .put("longitude", 2.35);
    HttpResponse<Buffer> created = send(HttpMethod.POST, "/admin/v1/hotels", admin, null, input);
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.getHeader("ETag")).isEqualTo("\"1\"");
    long id = created.bodyAsJsonObject().getLong("id");
    assertThat(outboxTags(id)).containsExactly("hotels:city:paris-fr", "hotel:" + id);

    // invalid input and unknown city name the parameter
    assertThat(
            send(HttpMethod.POST, "/admin/v1/hotels", admin, null, input.copy().put("stars", 6))
                .bodyAsJsonObject()
                .getString("parameter"))
        .isEqualTo("stars");
    assertThat(
            send(
                    HttpMethod.POST,
                    "/admin/v1/hotels",
                    admin,
                    null,
                    input.copy().put("cityKey", "nowhere-xx"))
                .bodyAsJsonObject()
                .getString("parameter"))
        .isEqualTo("cityKey");
    assertThat(
            send(HttpMethod.POST, "/admin/v1/hotels", admin, null, input.copy().put("latitude", 91))
                .bodyAsJsonObject()
                .getString("parameter"))
        .isEqualTo("latitude");

    // update: 428 without If-Match, 412 when stale, 200 with the current version
    String path = "/admin/v1/hotels/" + id;
    assertThat(send(HttpMethod.PUT, path, admin, null, input.copy().put("stars", 4)).statusCode())
        .isEqualTo(428);
    assertThat(
            send(HttpMethod.PUT, path, admin, "\"7\"", input.copy().put("stars", 4)).statusCode())
        .isEqualTo(412);
    HttpResponse<Buffer> updated =
        send(HttpMethod.PUT, path, admin, "\"1\"", input.copy().put("stars", 4));
    assertThat(updated.statusCode()).isEqualTo(200);
    assertThat(updated.getHeader("ETag")).isEqualTo("\"2\"");
    assertThat(updated.bodyAsJsonObject().getInteger("stars")).isEqualTo(4);
    assertThat(send(HttpMethod.PUT, path, admin, "\"1\"", input).statusCode()).isEqualTo(412);
    assertThat(send(HttpMethod.PUT, "/admin/v1/hotels/999999", admin, "\"1\"", input).statusCode())
        .isEqualTo(404);

    // room type: 201, duplicate 409; rate: 201 create, 428/412/200 update
    HttpResponse<Buffer> room =
        send(
            HttpMethod.POST,
            path + "/room-types",
            admin,
            null,
            new JsonObject().put("code", "suite"));
    assertThat(room.statusCode()).isEqualTo(201);
    assertThat(room.bodyAsJsonObject().getInteger("maxOccupancy")).isEqualTo(3);
    assertThat(
            send(
                    HttpMethod.POST,
                    path + "/room-types",
                    admin,
                    null,
                    new JsonObject().put("code", "suite"))
                .statusCode())
        .isEqualTo(409);
    assertThat(
            send(
                    HttpMethod.POST,
                    path + "/room-types",
                    admin,
                    null,
                    new JsonObject().put("code", "penthouse"))
                .bodyAsJsonObject()
                .getString("parameter"))
        .isEqualTo("code");
    JsonObject rate =
        new JsonObject()
            .put("baseNightly", new JsonObject().put("amount", 1).put("currency", "EUR"));
    String ratePath = path + "/room-types/suite/rates/bookbee";
    assertThat(
            send(HttpMethod.PUT, ratePath, admin, null, rate)
                .bodyAsJsonObject()
                .getString("parameter"))
        .isEqualTo("baseNightly.amount");
    rate.getJsonObject("baseNightly").put("amount", 50_000);
    assertThat(send(HttpMethod.PUT, ratePath, admin, null, rate).statusCode()).isEqualTo(201);
    assertThat(
            send(HttpMethod.PUT, path + "/room-types/suite/rates/nosuch", admin, null, rate)
                .statusCode())
        .isEqualTo(404);
    assertThat(send(HttpMethod.PUT, ratePath, admin, null, rate).statusCode()).isEqualTo(428);
    assertThat(send(HttpMethod.PUT, ratePath, admin, "\"5\"", rate).statusCode()).isEqualTo(412);
    rate.getJsonObject("baseNightly").put("amount", 40_000);
    assertThat(send(HttpMethod.PUT, ratePath, admin, "\"1\"", rate).statusCode()).isEqualTo(200);

    // the new offer is searchable, with the new rate
    JsonArray results =
        get(search("&city=paris&minStars=4&limit=50&sort=name"))
            .bodyAsJsonObject()
            .getJsonArray("results");
    JsonObject mine =
        results.stream()
            .map(o -> (JsonObject) o)
            .filter(o -> o.getString("id").equals(id + ":suite"))
            .findFirst()
            .orElseThrow();
    assertThat(mine.getJsonObject("cheapest").getJsonObject("price").getLong("amount"))
        .isEqualTo(HotelPricing.stay(40_000, IN, OUT, 1, LocalDate.now(ZoneOffset.UTC)).amount());

    // delete: 428, 412, 204, then 404
    assertThat(send(HttpMethod.DELETE, ratePath, admin, "\"2\"", null).statusCode()).isEqualTo(204);
    assertThat(
            send(HttpMethod.DELETE, path + "/room-types/suite", admin, "\"1\"", null).statusCode())
        .isEqualTo(204);
    assertThat(send(HttpMethod.DELETE, path, admin, null, null).statusCode()).isEqualTo(428);
    assertThat(send(HttpMethod.DELETE, path, admin, "\"1\"", null).statusCode()).isEqualTo(412);
    assertThat(send(HttpMethod.DELETE, path, admin, "\"2\"", null).statusCode()).isEqualTo(204);
    assertThat(send(HttpMethod.GET, path, admin, null, null).statusCode()).isEqualTo(404);

    // one event per successful change, none for the refused ones
    long events =
        sql(
                "SELECT count(*) FROM outbox WHERE event_type = 'hotels.offer.changed' AND $1 = ANY(tags)",
                Tuple.of("hotel:" + id))
            .iterator()
            .next()
            .getLong(0);
    assertThat(events)
        .isEqualTo(
            8); // create, update, room type, rate create, rate update, rate delete, room delete,
    // hotel delete
  }

  private static List<String> outboxTags(long hotelId) throws Exception {
    Row row =
        sql(
                "SELECT tags FROM outbox WHERE $1 = ANY(tags) ORDER BY occurred_at LIMIT 1",
                Tuple.of("hotel:" + hotelId))
            .iterator()
            .next();
    return List.of(row.getArrayOfStrings(0));
  }
}
