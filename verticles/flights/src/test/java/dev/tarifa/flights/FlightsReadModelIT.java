package dev.tarifa.flights;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tarifa.flights.domain.Cabin;
import dev.tarifa.flights.domain.Itineraries;
import dev.tarifa.flights.domain.Itinerary;
import dev.tarifa.flights.domain.Reference;
import dev.tarifa.flights.domain.SearchQuery;
import dev.tarifa.flights.store.FlightReadModel;
import dev.tarifa.flights.store.FlightStore;
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
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The in-memory search read model: the same itineraries as the SQL queries it replaces, and admin
 * changes visible to searches on another replica (its own Vert.x instance, so its own model) at
 * once through the version check, and applied by its poll within a bound even without searches.
 */
@ExtendWith(VertxExtension.class)
class FlightsReadModelIT {
  private static final LocalDate DAY = LocalDate.now(ZoneOffset.UTC).plusDays(30);
  private static FlightsTestApp app;
  private static Vertx other;
  private static int otherPort;
  private static WebClient client;
  private static Pool pool;
  private static String admin;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    app = FlightsTestApp.start(vertx, "flights_read_model_it");
    client = WebClient.create(vertx);
    pool = Postgres.pool(vertx, app.config.offer().service().pgUrl(), 2);
    admin = app.token("admin");
    other = Vertx.vertx();
    FlightsVerticle replica = new FlightsVerticle(app.config);
    other.deployVerticle(replica).await(60, TimeUnit.SECONDS);
    otherPort = replica.actualPort();
  }

  @AfterAll
  static void stop() throws Exception {
    if (other != null) other.close().await(20, TimeUnit.SECONDS);
    if (client != null) client.close();
    if (pool != null) pool.close().await(5, TimeUnit.SECONDS);
  }

  @Test
  void answersTheSameItinerariesAsTheSqlQueries(Vertx vertx) throws Exception {
    withModel(
        vertx,
        model -> {
          FlightStore sql = new FlightStore(pool);
          FlightStore memory = new FlightStore(pool, model);
          Reference ref = sql.reference().await(10, TimeUnit.SECONDS);
          List<String[]> routes = new ArrayList<>();
          // Busy routes (hub pairs, many connections) and quiet ones.
          for (Row r :
              pool.query(
                      """
          (SELECT origin, destination FROM flights GROUP BY 1, 2 ORDER BY count(*) DESC, 1, 2 LIMIT 8)
          UNION ALL (SELECT origin, destination FROM flights GROUP BY 1, 2 ORDER BY md5(origin || destination) LIMIT 12)""")
                  .execute()
                  .await(10, TimeUnit.SECONDS)) {
            routes.add(new String[] {r.getString(0), r.getString(1)});
          }
          routes.add(new String[] {"FRA", "JFK"});
          assertThat(routes).hasSizeGreaterThan(10);
          int compared = 0, nonEmpty = 0;
          for (String[] route : routes) {
            for (Cabin cabin : List.of(Cabin.ECONOMY, Cabin.BUSINESS)) {
              for (int stops = 0; stops <= 1; stops++) {
                SearchQuery q =
                    new SearchQuery(
                        route[0],
                        route[1],
                        DAY.plusDays(compared % 7),
                        2,
                        cabin,
                        stops,
                        SearchQuery.Sort.PRICE,
                        50,
                        0);
                assertThat(json(build(q, ref, memory)))
                    .as("%s", q)
                    .isEqualTo(json(build(q, ref, sql)));
                if (!build(q, ref, memory).isEmpty()) nonEmpty++;
                compared++;
              }
            }
          }
          assertThat(nonEmpty)
              .as("searches with results among %d", compared)
              .isGreaterThan(compared / 3);
        });
  }

  @Test
  void searchesInFlightTogetherShareTheirVersionReads(Vertx vertx) throws Exception {
    withModel(
        vertx,
        model -> {
          AtomicInteger versionReads = new AtomicInteger();
          // the pool, counting the catalogue version reads
          Pool counting =
              (Pool)
                  Proxy.newProxyInstance(
                      Pool.class.getClassLoader(),
                      new Class<?>[] {Pool.class},
                      (proxy, method, args) -> {
                        if (method.getName().equals("preparedQuery")
                            && FlightReadModel.VERSION.equals(args[0]))
                          versionReads.incrementAndGet();
                        try {
                          return method.invoke(pool, args);
                        } catch (InvocationTargetException e) {
                          throw e.getCause();
                        }
                      });
          FlightStore store = new FlightStore(counting, model);
          SearchQuery q =
              new SearchQuery(
                  "FRA", "JFK", DAY, 1, Cabin.ECONOMY, 1, SearchQuery.Sort.PRICE, 20, 0);
          int searches = 40;
          // all started on one event loop before the first read can complete
          List<List<List<Itineraries.LegRow>>> results =
              vertx
                  .getOrCreateContext()
                  .<List<List<List<Itineraries.LegRow>>>>executeBlocking(() -> null)
                  .compose(
                      v -> {
                        List<io.vertx.core.Future<List<List<Itineraries.LegRow>>>> all =
                            new ArrayList<>();
                        for (int i = 0; i < searches; i++) all.add(store.candidates(q));
                        return io.vertx.core.Future.all(all)
                            .map(cf -> cf.<List<List<Itineraries.LegRow>>>list());
                      })
                  .await(30, TimeUnit.SECONDS);
          assertThat(results)
              .hasSize(searches)
              .allSatisfy(r -> assertThat(r).isEqualTo(results.get(0)));
          assertThat(results.get(0)).isNotEmpty();
          // the first search's read, then one more for all that arrived while it was in flight
          assertThat(versionReads.get()).isEqualTo(2);
          // and a search that starts after they completed reads again
          store.candidates(q).await(10, TimeUnit.SECONDS);
          assertThat(versionReads.get()).isEqualTo(3);
        });
  }

  private interface ModelTest {
    void run(FlightReadModel model) throws Exception;
  }

  /**
   * Runs {@code test} with this Vert.x instance's read model, acquired for it and released after.
   */
  private static void withModel(Vertx vertx, ModelTest test) throws Exception {
    URI url = app.config.offer().service().pgUrl();
    FlightReadModel model = FlightReadModel.acquire(vertx, url).await(60, TimeUnit.SECONDS);
    try {
      test.run(model);
    } finally {
      FlightReadModel.release(vertx, url).await(10, TimeUnit.SECONDS);
    }
  }

  private static List<Itinerary> build(SearchQuery q, Reference ref, FlightStore store)
      throws Exception {
    var candidates = store.candidates(q).await(10, TimeUnit.SECONDS);
    var fares = store.fares(candidates, q.cabin().code()).await(10, TimeUnit.SECONDS);
    return Itineraries.build(q, LocalDate.now(ZoneOffset.UTC), ref, candidates, fares);
  }

  private static List<JsonObject> json(List<Itinerary> all) {
    return all.stream().map(Itinerary::toJson).toList();
  }

  @Test
  void oneStopCandidatesFollowAdminChangesThroughBothRouteIndexes(Vertx vertx) throws Exception {
    withModel(
        vertx,
        model -> {
          FlightStore sql = new FlightStore(pool);
          FlightStore memory = new FlightStore(pool, model);
          // MUC-FRA then FRA-JFK, 30 minutes each with the shortest layover allowed: the shortest
          // one-stop connection of the pair, so always among its candidates
          long id = flight(9401, "MUC", "FRA", "05:10");
          long second =
              flight(
                  9402,
                  "FRA",
                  "JFK",
                  java.time.LocalTime.of(5, 40).plusMinutes(FlightStore.MIN_LAYOVER).toString());
          SearchQuery q =
              new SearchQuery(
                  "MUC", "JFK", DAY, 1, Cabin.ECONOMY, 1, SearchQuery.Sort.PRICE, 50, 0);
          List<List<Itineraries.LegRow>> withIt = memory.candidates(q).await(10, TimeUnit.SECONDS);
          assertThat(withIt).isEqualTo(sql.candidates(q).await(10, TimeUnit.SECONDS));
          assertThat(withIt)
              .filteredOn(c -> c.size() == 2)
              .anySatisfy(
                  c ->
                      assertThat(List.of(c.get(0).flightId(), c.get(1).flightId()))
                          .containsExactly(id, second));

          deleteFlight(id);
          List<List<Itineraries.LegRow>> without = memory.candidates(q).await(10, TimeUnit.SECONDS);
          deleteFlight(second);
          assertThat(without).isEqualTo(sql.candidates(q).await(10, TimeUnit.SECONDS));
          assertThat(without).noneSatisfy(c -> assertThat(c.get(0).flightId()).isEqualTo(id));
        });
  }

  @Test
  void anAdminFareChangeIsSeenByAnotherReplicasNextSearch(Vertx vertx) throws Exception {
    String date = DAY.toString();
    long id =
        send(
                HttpMethod.POST,
                "/admin/v1/flights",
                null,
                new JsonObject()
                    .put("airline", "LH")
                    .put("number", 9301)
                    .put("from", "MUC")
                    .put("to", "AMS")
                    .put("departure", "06:05")
                    .put("durationMinutes", 95)
                    .put("days", new JsonArray(List.of(1, 2, 3, 4, 5, 6, 7))))
            .bodyAsJsonObject()
            .getLong("id");
    String fareUri = "/admin/v1/flights/" + id + "/fares/economy/LH";
    String product = "LH9301@" + date + "T06:05";
    assertThat(ids(search(otherPort, date))).doesNotContain(product);

    assertThat(
            send(HttpMethod.PUT, fareUri, null, new JsonObject().put("amount", 10_000))
                .statusCode())
        .isEqualTo(201);
    // No waiting: the replica's search reads the committed catalogue version and catches up before
    // answering.
    long first = price(search(otherPort, date), product);
    assertThat(price(search(app.port, date), product)).isEqualTo(first);

    assertThat(
            send(HttpMethod.PATCH, fareUri, "\"1\"", new JsonObject().put("amount", 20_000))
                .statusCode())
        .isEqualTo(200);
    assertThat(price(search(otherPort, date), product)).isEqualTo(first * 2);

    // Without any search, the replica's poll applies the next change within a bound.
    FlightReadModel replica =
        FlightReadModel.acquire(other, app.config.offer().service().pgUrl())
            .await(10, TimeUnit.SECONDS);
    try {
      long before = replica.version();
      assertThat(send(HttpMethod.DELETE, fareUri, "\"2\"", null).statusCode()).isEqualTo(204);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (replica.version() <= before && System.nanoTime() < deadline) Thread.sleep(20);
      assertThat(replica.version()).isGreaterThan(before);
    } finally {
      FlightReadModel.release(other, app.config.offer().service().pgUrl())
          .await(10, TimeUnit.SECONDS);
    }
    assertThat(ids(search(otherPort, date))).doesNotContain(product);

    // A schedule deleted on one replica leaves the other's answers.
    assertThat(
            send(HttpMethod.PUT, fareUri, null, new JsonObject().put("amount", 10_000))
                .statusCode())
        .isEqualTo(201);
    assertThat(ids(search(otherPort, date))).contains(product);
    int version =
        send(HttpMethod.GET, "/admin/v1/flights/" + id, null, null)
            .bodyAsJsonObject()
            .getInteger("version");
    assertThat(
            send(HttpMethod.DELETE, "/admin/v1/flights/" + id, "\"" + version + "\"", null)
                .statusCode())
        .isEqualTo(204);
    assertThat(ids(search(otherPort, date))).doesNotContain(product);
  }

  /** An all-week schedule of 30 minutes with an economy fare of LH; its id. */
  private static long flight(int number, String from, String to, String departure)
      throws Exception {
    long id =
        send(
                HttpMethod.POST,
                "/admin/v1/flights",
                null,
                new JsonObject()
                    .put("airline", "LH")
                    .put("number", number)
                    .put("from", from)
                    .put("to", to)
                    .put("departure", departure)
                    .put("durationMinutes", 30)
                    .put("days", new JsonArray(List.of(1, 2, 3, 4, 5, 6, 7))))
            .bodyAsJsonObject()
            .getLong("id");
    assertThat(
            send(
                    HttpMethod.PUT,
                    "/admin/v1/flights/" + id + "/fares/economy/LH",
                    null,
                    new JsonObject().put("amount", 1_000))
                .statusCode())
        .isEqualTo(201);
    return id;
  }

  private static void deleteFlight(long id) throws Exception {
    int version =
        send(HttpMethod.GET, "/admin/v1/flights/" + id, null, null)
            .bodyAsJsonObject()
            .getInteger("version");
    assertThat(
            send(HttpMethod.DELETE, "/admin/v1/flights/" + id, "\"" + version + "\"", null)
                .statusCode())
        .isEqualTo(204);
  }

  private static HttpResponse<Buffer> send(
      HttpMethod method, String uri, String ifMatch, JsonObject body) throws Exception {
    HttpRequest<Buffer> req =
        client
            .request(method, app.port, "127.0.0.1", uri)
            .putHeader("Authorization", "Bearer " + admin);
    if (ifMatch != null) req.putHeader("If-Match", ifMatch);
    return (body == null ? req.send() : req.sendJsonObject(body)).await(20, TimeUnit.SECONDS);
  }

  private static JsonObject search(int port, String date) throws Exception {
    HttpResponse<Buffer> r =
        client
            .get(
                port,
                "127.0.0.1",
                "/api/v1/flights/search?from=MUC&to=AMS&maxStops=0&limit=50&date=" + date)
            .send()
            .await(20, TimeUnit.SECONDS);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject();
  }

  private static List<String> ids(JsonObject answer) {
    List<String> out = new ArrayList<>();
    for (Object o : answer.getJsonArray("results")) out.add(((JsonObject) o).getString("id"));
    return out;
  }

  private static long price(JsonObject answer, String product) {
    for (Object o : answer.getJsonArray("results")) {
      JsonObject it = (JsonObject) o;
      if (it.getString("id").equals(product))
        return it.getJsonObject("cheapest").getJsonObject("price").getLong("amount");
    }
    throw new AssertionError(product + " not in " + ids(answer));
  }
}
