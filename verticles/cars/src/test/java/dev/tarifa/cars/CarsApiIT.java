package dev.tarifa.cars;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tarifa.cars.domain.CarPricing;
import dev.tarifa.cars.store.CarSeeder;
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
import java.time.LocalDateTime;
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

/** The cars service against a real PostgreSQL with the small catalogue, on port 0. */
class CarsApiIT {
  private static Vertx vertx;
  private static WebClient client;
  private static Pool db;
  private static CarsConfig config;
  private static String admin, user;
  private static final LocalDateTime PICK =
      LocalDate.now(ZoneOffset.UTC).plusDays(20).atTime(10, 0);
  private static final LocalDateTime DROP = PICK.plusDays(4).plusHours(2); // 5 rental days

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    URI url = TestServers.freshPostgresDatabase("tarifa_cars_it");
    AuthConfig auth = AuthConfig.fromEnv(Env.of(Map.of())).withKeys(JwtKeys.generateEs256());
    config =
        new CarsConfig(
            OfferServiceConfig.of(CarsConfig.NAME, 0, url, 4, CatalogueSize.SMALL, 42, auth));
    await(new CarsService(config).prepare(vertx));
    CarsVerticle verticle = new CarsVerticle(config);
    await(vertx.deployVerticle(verticle));
    client =
        WebClient.create(
            vertx,
            new WebClientOptions()
                .setDefaultHost("127.0.0.1")
                .setDefaultPort(verticle.actualPort()));
    db =
        PgBuilder.pool()
            .connectingTo(PgConnectOptions.fromUri(url.toString()))
            .using(vertx)
            .build();
    JwtIssuer issuer = JwtIssuer.create(vertx, auth);
    admin = issuer.issue("admin-1", "admin@example.com", Set.of("admin"));
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

  @Test
  void reviewEventsShowAsSupplierRatingsOnOffersOnceEach() throws Exception {
    JsonObject before = get(search("&location=JFK")).bodyAsJsonObject();
    String supplier =
        before
            .getJsonArray("results")
            .getJsonObject(0)
            .getJsonObject("cheapest")
            .getJsonObject("provider")
            .getString("code");
    dev.tarifa.shared.events.DomainEvent review =
        dev.tarifa.shared.events.DomainEvent.of(
            "reviews.review.created",
            List.of("carsupplier:" + supplier.toUpperCase()),
            new JsonObject()
                .put("reviewId", "r-cars-it")
                .put("authorId", "u1")
                .put("subject", "carsupplier:" + supplier.toUpperCase())
                .put("rating", 3));
    var bus =
        new dev.tarifa.shared.events.EventBusTransport(
            vertx, dev.tarifa.shared.events.EventsConfig.defaults());
    // The same event, re-sent until it shows (the consumer may still be subscribing): applied once
    // all the same.
    JsonObject rating = null;
    for (int i = 0; i < 100 && (rating == null || rating.getInteger("count") == 0); i++) {
      await(bus.publish(review));
      Thread.sleep(100);
      rating =
          await(client.get("/api/v1/cars/suppliers/" + supplier).send())
              .bodyAsJsonObject()
              .getJsonObject("rating");
    }
    assertThat(rating).isEqualTo(new JsonObject().put("average", 3.0).put("count", 1));
    await(bus.publish(review));
    Thread.sleep(300);
    Row r =
        sql("SELECT count, sum FROM supplier_ratings WHERE supplier_code = $1", Tuple.of(supplier))
            .iterator()
            .next();
    assertThat(r.getLong(0)).isEqualTo(1);
    assertThat(r.getLong(1)).isEqualTo(3);
    var resp = get(search("&location=JFK"));
    assertThat(resp.getHeader("X-Cache-Tags").split(" "))
        .contains("cars:station:JFK", "cars:supplier:" + supplier);
    for (Object o : resp.bodyAsJsonObject().getJsonArray("results")) {
      for (Object x : ((JsonObject) o).getJsonArray("offers")) {
        JsonObject offer = (JsonObject) x;
        if (offer.getJsonObject("provider").getString("code").equals(supplier))
          assertThat(offer.getJsonObject("rating")).isEqualTo(rating);
        else assertThat(offer.getJsonObject("rating").getInteger("count")).isZero();
      }
    }
    assertThat(
            sql(
                    "SELECT tags FROM outbox WHERE payload->>'reviewEvent' = $1",
                    Tuple.of(review.id().toString()))
                .iterator()
                .next()
                .getArrayOfStrings(0))
        .containsExactly("cars:supplier:" + supplier);
  }

  static String search(String extra) {
    return "/api/v1/cars/search?pickUp=" + PICK + "&dropOff=" + DROP + extra;
  }

  static RowSet<Row> sql(String q, Tuple t) throws Exception {
    return await(db.preparedQuery(q).execute(t));
  }

  @Test
  void searchGroupsSuppliersPerClassSortedByTotal() throws Exception {
    HttpResponse<Buffer> r = get(search("&location=jfk"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.getHeader("X-Cache-Tags"))
        .startsWith("cars:station:JFK cars:supplier:"); // + every supplier shown (ratings)
    JsonObject body = r.bodyAsJsonObject();
    assertThat(body.getJsonObject("query").getInteger("days")).isEqualTo(5);
    JsonArray results = body.getJsonArray("results");
    long classes =
        sql("SELECT count(*) FROM station_classes WHERE station_iata = 'JFK'", Tuple.tuple())
            .iterator()
            .next()
            .getLong(0);
    assertThat(results.size()).isEqualTo((int) classes).isBetween(5, 10);
    assertThat(body.getInteger("total")).isEqualTo(results.size());
    long previous = -1;
    for (Object o : results) {
      JsonObject p = (JsonObject) o;
      List<Long> prices = new ArrayList<>();
      for (Object x : p.getJsonArray("offers"))
        prices.add(((JsonObject) x).getJsonObject("price").getLong("amount"));
      assertThat(prices).hasSizeBetween(3, 5).isSorted();
      assertThat(p.getJsonObject("cheapest")).isEqualTo(p.getJsonArray("offers").getJsonObject(0));
      assertThat(p.getJsonObject("spread").getLong("amount"))
          .isEqualTo(prices.get(prices.size() - 1) - prices.get(0));
      assertThat(prices.get(0)).isGreaterThanOrEqualTo(previous);
      previous = prices.get(0);
      // the price follows the formula from the stored base rate
      String supplier = p.getJsonObject("cheapest").getJsonObject("provider").getString("code");
      long base =
          sql(
                  "SELECT base_daily FROM car_rates WHERE station_iata = 'JFK' AND class_code = $1 AND supplier_code = $2",
                  Tuple.of(p.getJsonObject("carClass").getString("code"), supplier))
              .iterator()
              .next()
              .getLong(0);
      assertThat(prices.get(0)).isEqualTo(CarPricing.total(base, PICK, DROP).amount());
    }
    assertThat(body.getJsonObject("providers").getJsonArray("answered").size())
        .isGreaterThanOrEqualTo(3);
  }

  @Test
  void carClassFilterAndSortByClass() throws Exception {
    JsonArray byClass =
        get(search("&location=JFK&sort=class")).bodyAsJsonObject().getJsonArray("results");
    List<String> codes =
        byClass.stream()
            .map(o -> ((JsonObject) o).getJsonObject("carClass").getString("code"))
            .toList();
    List<String> order =
        List.of("MBMR", "ECMR", "CDMR", "IDAR", "SDAR", "FDAR", "IFAR", "MVMR", "PDAR", "LDAR");
    assertThat(codes.stream().map(order::indexOf).toList()).isSorted();
    String one = codes.get(0);
    JsonArray only =
        get(search("&location=JFK&carClass=" + one.toLowerCase()))
            .bodyAsJsonObject()
            .getJsonArray("results");
    assertThat(only).hasSize(1);
    assertThat(only.getJsonObject(0).getJsonObject("carClass").getString("code")).isEqualTo(one);
    String missing = order.stream().filter(c -> !codes.contains(c)).findFirst().orElse(null);
    if (missing != null)
      assertThat(
              get(search("&location=JFK&carClass=" + missing))
                  .bodyAsJsonObject()
                  .getJsonArray("results"))
          .isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "/api/v1/cars/search?pickUp=PICK&dropOff=DROP|location",
        "/api/v1/cars/search?location=J1K&pickUp=PICK&dropOff=DROP|location",
        "/api/v1/cars/search?location=ZZZ&pickUp=PICK&dropOff=DROP|location",
        "/api/v1/cars/search?location=JFK&dropOff=DROP|pickUp",
        "/api/v1/cars/search?location=JFK&pickUp=2020-01-01T10:00&dropOff=DROP|pickUp",
        "/api/v1/cars/search?location=JFK&pickUp=2099-01-01T10:00&dropOff=2099-01-02T10:00|pickUp",
        "/api/v1/cars/search?location=JFK&pickUp=tomorrow&dropOff=DROP|pickUp",
        "/api/v1/cars/search?location=JFK&pickUp=PICK|dropOff",
        "/api/v1/cars/search?location=JFK&pickUp=PICK&dropOff=PICK|dropOff",
        "/api/v1/cars/search?location=JFK&pickUp=PICK&dropOff=LONG|dropOff",
        "/api/v1/cars/search?location=JFK&pickUp=PICK&dropOff=DROP&carClass=CD|carClass",
        "/api/v1/cars/search?location=JFK&pickUp=PICK&dropOff=DROP&carClass=ZZZZ|carClass",
        "/api/v1/cars/search?location=JFK&pickUp=PICK&dropOff=DROP&sort=cheap|sort",
        "/api/v1/cars/search?location=JFK&pickUp=PICK&dropOff=DROP&limit=51|limit",
        "/api/v1/cars/search?location=JFK&pickUp=PICK&dropOff=DROP&offset=1001|offset",
        "/api/v1/cars/search?location=JFK&pickUp=PICK&dropOff=2026-13-01T10:00|dropOff",
        "/api/v1/cars/search?location=JFKX&pickUp=PICK&dropOff=DROP|location",
        "/api/v1/cars/suppliers/no%20such|code",
      })
  void everyInvalidParameterIsA400NamingIt(String path, String parameter) throws Exception {
    String p =
        path.replace("=PICK", "=" + PICK)
            .replace("=DROP", "=" + DROP)
            .replace("=LONG", "=" + PICK.plusDays(30).plusMinutes(1));
    HttpResponse<Buffer> r = get(p);
    assertThat(r.statusCode()).as(p).isEqualTo(400);
    assertThat(r.bodyAsJsonObject().getString("parameter")).as(p).isEqualTo(parameter);
  }

  @Test
  void suppliersAnd404() throws Exception {
    HttpResponse<Buffer> r = get("/api/v1/cars/suppliers/autovia");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.bodyAsJsonObject().getString("name")).isEqualTo("Autovia");
    assertThat(r.bodyAsJsonObject().getLong("rates")).isPositive();
    assertThat(get("/api/v1/cars/suppliers/nosuch").statusCode()).isEqualTo(404);
  }

  @Test
  void seedingIsIdempotent() throws Exception {
    long rates = sql("SELECT count(*) FROM car_rates", Tuple.tuple()).iterator().next().getLong(0);
    assertThat(
            await(CarSeeder.seed(vertx, config.offer().service().pgUrl(), CatalogueSize.SMALL, 42)))
        .isFalse();
    await(new CarsService(config).prepare(vertx));
    assertThat(sql("SELECT count(*) FROM car_rates", Tuple.tuple()).iterator().next().getLong(0))
        .isEqualTo(rates);
  }

  @Test
  void adminNeedsTheAdminRole() throws Exception {
    assertThat(send(HttpMethod.GET, "/admin/v1/cars/stations/JFK", null, null, null).statusCode())
        .isEqualTo(401);
    assertThat(send(HttpMethod.GET, "/admin/v1/cars/stations/JFK", user, null, null).statusCode())
        .isEqualTo(403);
    HttpResponse<Buffer> ok =
        send(HttpMethod.GET, "/admin/v1/cars/stations/JFK", admin, null, null);
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.getHeader("ETag")).isEqualTo("\"1\"");
  }

  @Test
  void adminCrudWithOptimisticConcurrencyAndOutboxEvents() throws Exception {
    JsonObject st =
        new JsonObject()
            .put("iata", "QQQ")
            .put("name", "Test Station")
            .put("cityKey", "test-xx")
            .put("city", "Testville")
            .put("country", "Testland")
            .put("latitude", 10.5)
            .put("longitude", 20.5);
    assertThat(
            send(
                    HttpMethod.POST,
                    "/admin/v1/cars/stations",
                    admin,
                    null,
                    st.copy().put("iata", "Q1"))
                .bodyAsJsonObject()
                .getString("parameter"))
        .isEqualTo("iata");
    assertThat(
            send(
                    HttpMethod.POST,
                    "/admin/v1/cars/stations",
                    admin,
                    null,
                    st.copy().put("longitude", 181))
                .bodyAsJsonObject()
                .getString("parameter"))
        .isEqualTo("longitude");
    HttpResponse<Buffer> created =
        send(HttpMethod.POST, "/admin/v1/cars/stations", admin, null, st);
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.getHeader("ETag")).isEqualTo("\"1\"");
    assertThat(send(HttpMethod.POST, "/admin/v1/cars/stations", admin, null, st).statusCode())
        .isEqualTo(409);

    String path = "/admin/v1/cars/stations/QQQ";
    assertThat(
            send(HttpMethod.PUT, path, admin, null, st.copy().put("name", "Renamed")).statusCode())
        .isEqualTo(428);
    assertThat(
            send(HttpMethod.PUT, path, admin, "\"9\"", st.copy().put("name", "Renamed"))
                .statusCode())
        .isEqualTo(412);
    HttpResponse<Buffer> updated =
        send(HttpMethod.PUT, path, admin, "\"1\"", st.copy().put("name", "Renamed"));
    assertThat(updated.statusCode()).isEqualTo(200);
    assertThat(updated.getHeader("ETag")).isEqualTo("\"2\"");

    assertThat(
            send(
                    HttpMethod.POST,
                    path + "/classes",
                    admin,
                    null,
                    new JsonObject().put("code", "XXXX"))
                .bodyAsJsonObject()
                .getString("parameter"))
        .isEqualTo("code");
    assertThat(
            send(
                    HttpMethod.POST,
                    path + "/classes",
                    admin,
                    null,
                    new JsonObject().put("code", "cdmr"))
                .statusCode())
        .isEqualTo(201);
    assertThat(
            send(
                    HttpMethod.POST,
                    path + "/classes",
                    admin,
                    null,
                    new JsonObject().put("code", "CDMR"))
                .statusCode())
        .isEqualTo(409);
    JsonObject rate =
        new JsonObject()
            .put("baseDaily", new JsonObject().put("amount", 4_000).put("currency", "USD"));
    String ratePath = path + "/classes/CDMR/rates/autovia";
    assertThat(
            send(HttpMethod.PUT, ratePath, admin, null, rate)
                .bodyAsJsonObject()
                .getString("parameter"))
        .isEqualTo("baseDaily.currency");
    rate.getJsonObject("baseDaily").put("currency", "EUR");
    assertThat(send(HttpMethod.PUT, ratePath, admin, null, rate).statusCode()).isEqualTo(201);
    assertThat(
            send(HttpMethod.PUT, path + "/classes/CDMR/rates/wheeldeal", admin, null, rate)
                .statusCode())
        .isEqualTo(201);
    assertThat(send(HttpMethod.PUT, ratePath, admin, null, rate).statusCode()).isEqualTo(428);
    assertThat(send(HttpMethod.PUT, ratePath, admin, "\"3\"", rate).statusCode()).isEqualTo(412);
    rate.getJsonObject("baseDaily").put("amount", 3_000);
    assertThat(send(HttpMethod.PUT, ratePath, admin, "\"1\"", rate).statusCode()).isEqualTo(200);
    assertThat(
            send(HttpMethod.PUT, path + "/classes/LDAR/rates/autovia", admin, null, rate)
                .statusCode())
        .isEqualTo(404);

    // the station is searchable now, with both suppliers and the updated rate
    JsonObject result =
        get(search("&location=QQQ")).bodyAsJsonObject().getJsonArray("results").getJsonObject(0);
    assertThat(result.getJsonArray("offers")).hasSize(2);
    assertThat(result.getJsonObject("cheapest").getJsonObject("provider").getString("code"))
        .isEqualTo("autovia");
    assertThat(result.getJsonObject("cheapest").getJsonObject("price").getLong("amount"))
        .isEqualTo(CarPricing.total(3_000, PICK, DROP).amount());
    assertThat(result.getJsonObject("spread").getLong("amount"))
        .isEqualTo(
            CarPricing.total(4_000, PICK, DROP).amount()
                - CarPricing.total(3_000, PICK, DROP).amount());

    assertThat(send(HttpMethod.DELETE, ratePath, admin, "\"1\"", null).statusCode()).isEqualTo(412);
    assertThat(send(HttpMethod.DELETE, ratePath, admin, "\"2\"", null).statusCode()).isEqualTo(204);
    assertThat(send(HttpMethod.DELETE, path + "/classes/CDMR", admin, null, null).statusCode())
        .isEqualTo(428);
    assertThat(send(HttpMethod.DELETE, path + "/classes/CDMR", admin, "\"1\"", null).statusCode())
        .isEqualTo(204);
    assertThat(send(HttpMethod.DELETE, path, admin, "\"1\"", null).statusCode()).isEqualTo(412);
    assertThat(send(HttpMethod.DELETE, path, admin, "\"2\"", null).statusCode()).isEqualTo(204);
    assertThat(send(HttpMethod.GET, path, admin, null, null).statusCode()).isEqualTo(404);
    assertThat(get(search("&location=QQQ")).statusCode()).isEqualTo(400);

    RowSet<Row> events =
        sql("SELECT event_type, tags FROM outbox WHERE payload->>'station' = 'QQQ'", Tuple.tuple());
    assertThat(events.size())
        .isEqualTo(
            9); // create, update, class, 2 rate creates, rate update, rate delete, class delete,
    // station delete
    for (Row e : events) {
      assertThat(e.getString(0)).isEqualTo("cars.offer.changed");
      assertThat(e.getArrayOfStrings(1)).containsExactly("cars:station:QQQ");
    }
  }
}
