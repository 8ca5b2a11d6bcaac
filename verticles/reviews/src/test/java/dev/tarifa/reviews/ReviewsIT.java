package dev.tarifa.reviews;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tarifa.reviews.store.ReviewStore;
import dev.tarifa.shared.auth.AuthConfig;
import dev.tarifa.shared.auth.JwtIssuer;
import dev.tarifa.shared.auth.JwtKeys;
import dev.tarifa.shared.config.Env;
import dev.tarifa.shared.events.DomainEvent;
import dev.tarifa.shared.events.EventBusTransport;
import dev.tarifa.shared.events.EventsConfig;
import dev.tarifa.shared.testing.TestServers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The reviews service against a MongoDB-wire server (TestServers.mongo()) and a fake owner service
 * for subject existence. Each test works on its own subjects, so the tests do not depend on each
 * other's data.
 */
@ExtendWith(VertxExtension.class)
class ReviewsIT {
  private static final AtomicInteger NEXT_HOTEL = new AtomicInteger(100);

  /** Calls the fake owner received, per path. */
  private static final Map<String, AtomicInteger> ownerCalls = new ConcurrentHashMap<>();

  private static HttpServer owner;
  private static ReviewsVerticle verticle;
  private static WebClient client;
  private static MongoClient mongo;
  private static JwtIssuer issuer;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    Router fake = Router.router(vertx);
    fake.route()
        .handler(
            ctx -> {
              ownerCalls
                  .computeIfAbsent(ctx.request().path(), k -> new AtomicInteger())
                  .incrementAndGet();
              ctx.next();
            });
    fake.get("/api/v1/hotels/:id")
        .handler(
            ctx -> {
              switch (ctx.pathParam("id")) {
                case "9999" -> ctx.response().setStatusCode(404).end();
                case "5000" -> ctx.response().setStatusCode(500).end();
                case "7777" -> {} // never answers: the reviews service must time out
                default ->
                    ctx.json(new JsonObject().put("id", Long.parseLong(ctx.pathParam("id"))));
              }
            });
    fake.get("/api/v1/cars/suppliers/:code")
        .handler(
            ctx ->
                ctx.response()
                    .setStatusCode(ctx.pathParam("code").equals("NOPE") ? 404 : 200)
                    .end("{}"));
    fake.get("/api/v1/airlines/:iata")
        .handler(
            ctx ->
                ctx.response()
                    .setStatusCode(ctx.pathParam("iata").equals("ZZ") ? 404 : 200)
                    .end("{}"));
    owner =
        vertx
            .createHttpServer()
            .requestHandler(fake)
            .listen(0, "127.0.0.1")
            .await(5, TimeUnit.SECONDS);
    URI ownerUrl = URI.create("http://127.0.0.1:" + owner.actualPort());

    AuthConfig auth = AuthConfig.fromEnv(Env.of(Map.of())).withKeys(JwtKeys.generateEs256());
    issuer = JwtIssuer.create(vertx, auth);
    // A database of its own per run, so reruns against a persistent server start empty.
    String database = "reviews_it_" + System.currentTimeMillis();
    ReviewsConfig config =
        new ReviewsConfig(0, TestServers.mongo(), database, ownerUrl, ownerUrl, ownerUrl, auth);
    ReviewsService service = new ReviewsService(config);
    service.prepare(vertx).await(20, TimeUnit.SECONDS);
    service.prepare(vertx).await(20, TimeUnit.SECONDS); // idempotent
    verticle = new ReviewsVerticle(config);
    vertx.deployVerticle(verticle).await(20, TimeUnit.SECONDS);
    client = WebClient.create(vertx);
    mongo = MongoClient.create(vertx, ReviewsVerticle.mongoConfig(config));
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    mongo.close().await(5, TimeUnit.SECONDS);
    owner.close().await(5, TimeUnit.SECONDS);
  }

  // ---------------------------------------------------------------- creating

  @Test
  void createsAReviewAndAnswers201WithIt() throws Exception {
    String subject = newHotel();
    var resp = post(user("alice"), "/api/v1/reviews", review(subject, 4).put("date", "2025-03-01"));
    assertThat(resp.statusCode()).isEqualTo(201);
    JsonObject body = resp.bodyAsJsonObject();
    assertThat(body.getString("id")).matches("[0-9a-f]{24}");
    assertThat(resp.getHeader("Location")).isEqualTo("/api/v1/reviews/" + body.getString("id"));
    assertThat(body.getString("subject")).isEqualTo(subject);
    assertThat(body.getString("authorId")).isEqualTo("alice");
    assertThat(body.getInteger("rating")).isEqualTo(4);
    assertThat(body.getString("title")).isEqualTo("Title");
    assertThat(body.getString("date")).isEqualTo("2025-03-01");
    assertThat(body.getLong("helpfulCount")).isZero();
    assertThat(body.containsKey("voters")).isFalse();

    var read = get("/api/v1/reviews/" + body.getString("id"));
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.bodyAsJsonObject()).isEqualTo(body);
  }

  @Test
  void acceptsCarSuppliersAndAirlines() throws Exception {
    assertThat(post(user("alice"), "/api/v1/reviews", review("carsupplier:SIXT", 3)).statusCode())
        .isEqualTo(201);
    var airline = post(user("alice"), "/api/v1/reviews", review("airline:lh", 2));
    assertThat(airline.statusCode()).isEqualTo(201);
    assertThat(airline.bodyAsJsonObject().getString("subject")).isEqualTo("airline:LH");
  }

  @Test
  void validatesEveryFieldNamingIt() throws Exception {
    String s = newHotel();
    assertBadRequest(review(s, 0), "rating");
    assertBadRequest(review(s, 6), "rating");
    assertBadRequest(review(s, 4).put("rating", 4.5), "rating");
    assertBadRequest(review(s, 4).put("rating", "4"), "rating");
    assertBadRequest(review(s, 4).putNull("rating"), "rating");
    assertBadRequest(review(s, 4).put("title", ""), "title");
    assertBadRequest(review(s, 4).put("title", "x".repeat(121)), "title");
    assertBadRequest(review(s, 4).put("text", ""), "text");
    assertBadRequest(review(s, 4).put("text", "   "), "text");
    assertBadRequest(review(s, 4).put("text", "x".repeat(2001)), "text");
    assertBadRequest(review(s, 4).put("text", 42), "text");
    JsonObject noText = review(s, 4);
    noText.remove("text");
    assertBadRequest(noText, "text");
    assertBadRequest(review(s, 4).put("date", "yesterday"), "date");
    assertBadRequest(review(s, 4).put("date", LocalDate.now().plusDays(2).toString()), "date");
    assertBadRequest(review("hotel:abc", 4), "subject");
    assertBadRequest(review("restaurant:1", 4), "subject");
    assertBadRequest(review("airline:LHX", 4), "subject");
    assertBadRequest(review(s, 4).putNull("subject"), "subject");
    var notJson =
        client
            .request(HttpMethod.POST, verticle.actualPort(), "127.0.0.1", "/api/v1/reviews")
            .bearerTokenAuthentication(user("alice"))
            .sendBuffer(Buffer.buffer("{oops"))
            .await(5, TimeUnit.SECONDS);
    assertThat(notJson.statusCode()).isEqualTo(400);
    // Limits are inclusive.
    assertThat(
            post(
                    user("alice"),
                    "/api/v1/reviews",
                    review(s, 5).put("title", "t".repeat(120)).put("text", "x".repeat(2000)))
                .statusCode())
        .isEqualTo(201);
  }

  @Test
  void unknownSubjectsAre400AndUnreachableOwnersAre503() throws Exception {
    assertBadRequest(review("hotel:9999", 4), "subject");
    assertBadRequest(review("carsupplier:NOPE", 4), "subject");
    assertBadRequest(review("airline:ZZ", 4), "subject");
    var failing = post(user("alice"), "/api/v1/reviews", review("hotel:5000", 4));
    assertThat(failing.statusCode()).isEqualTo(503);
    assertThat(failing.getHeader("Content-Type")).isEqualTo("application/problem+json");
    var hanging = post(user("alice"), "/api/v1/reviews", review("hotel:7777", 4));
    assertThat(hanging.statusCode()).isEqualTo(503);
    assertThat(
            count(
                ReviewStore.REVIEWS,
                new JsonObject()
                    .put(
                        "subject",
                        new JsonObject()
                            .put(
                                "$in",
                                new JsonArray(List.of("hotel:9999", "hotel:5000", "hotel:7777"))))))
        .isZero();
  }

  @Test
  void positiveOwnerAnswersAreCached() throws Exception {
    String subject = newHotel();
    assertThat(post(user("alice"), "/api/v1/reviews", review(subject, 4)).statusCode())
        .isEqualTo(201);
    assertThat(post(user("bob"), "/api/v1/reviews", review(subject, 5)).statusCode())
        .isEqualTo(201);
    assertThat(ownerCalls.get("/api/v1/hotels/" + subject.substring(6)).get()).isEqualTo(1);
    // Negative answers are not cached.
    assertBadRequest(review("hotel:9999", 4), "subject");
    int before = ownerCalls.get("/api/v1/hotels/9999").get();
    assertBadRequest(review("hotel:9999", 4), "subject");
    assertThat(ownerCalls.get("/api/v1/hotels/9999").get()).isEqualTo(before + 1);
  }

  @Test
  void aSecondReviewBySameUserOnSameSubjectIs409() throws Exception {
    String subject = newHotel();
    assertThat(post(user("carol"), "/api/v1/reviews", review(subject, 4)).statusCode())
        .isEqualTo(201);
    var again = post(user("carol"), "/api/v1/reviews", review(subject, 2));
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(again.bodyAsJsonObject().getString("type")).endsWith("/conflict");
    // Another user, or the same user on another subject, is fine.
    assertThat(post(user("dave"), "/api/v1/reviews", review(subject, 2)).statusCode())
        .isEqualTo(201);
    assertThat(post(user("carol"), "/api/v1/reviews", review(newHotel(), 2)).statusCode())
        .isEqualTo(201);
    // The rejected duplicate left neither a second aggregate entry nor an event.
    JsonObject summary = get("/api/v1/reviews/summary?subject=" + subject).bodyAsJsonObject();
    assertThat(summary.getLong("count")).isEqualTo(2);
    assertThat(count(ReviewStore.OUTBOX, new JsonObject().put("tags", subject))).isEqualTo(2);
  }

  @Test
  void writesNeedASignedInUser() throws Exception {
    String subject = newHotel();
    var anonymous =
        client
            .post(verticle.actualPort(), "127.0.0.1", "/api/v1/reviews")
            .sendJsonObject(review(subject, 4))
            .await(5, TimeUnit.SECONDS);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    var forged = post("not.a.token", "/api/v1/reviews", review(subject, 4));
    assertThat(forged.statusCode()).isEqualTo(401);
    var vote =
        client
            .post(
                verticle.actualPort(),
                "127.0.0.1",
                "/api/v1/reviews/0123456789abcdef01234567/helpful")
            .send()
            .await(5, TimeUnit.SECONDS);
    assertThat(vote.statusCode()).isEqualTo(401);
  }

  // ---------------------------------------------------------------- listing and votes

  @Test
  void listsNewestFirstWithPaging() throws Exception {
    String subject = newHotel();
    List<String> ids = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) ids.add(create("u" + i, subject, 1 + i));
    JsonObject first = get("/api/v1/reviews?subject=" + subject + "&limit=2").bodyAsJsonObject();
    assertThat(first.getLong("total")).isEqualTo(5);
    assertThat(first.getInteger("limit")).isEqualTo(2);
    assertThat(first.getInteger("offset")).isZero();
    assertThat(idsOf(first)).containsExactly(ids.get(4), ids.get(3));
    JsonObject second =
        get("/api/v1/reviews?subject=" + subject + "&sort=newest&limit=2&offset=2")
            .bodyAsJsonObject();
    assertThat(idsOf(second)).containsExactly(ids.get(2), ids.get(1));
    JsonObject last =
        get("/api/v1/reviews?subject=" + subject + "&limit=2&offset=4").bodyAsJsonObject();
    assertThat(idsOf(last)).containsExactly(ids.get(0));
    JsonObject beyond =
        get("/api/v1/reviews?subject=" + subject + "&offset=1000").bodyAsJsonObject();
    assertThat(beyond.getJsonArray("results")).isEmpty();
    assertThat(beyond.getLong("total")).isEqualTo(5);
  }

  @Test
  void listParametersAreValidated() throws Exception {
    String subject = newHotel();
    assertParam("/api/v1/reviews", "subject");
    assertParam("/api/v1/reviews?subject=hotel:x", "subject");
    assertParam("/api/v1/reviews?subject=" + subject + "&limit=0", "limit");
    assertParam("/api/v1/reviews?subject=" + subject + "&limit=51", "limit");
    assertParam("/api/v1/reviews?subject=" + subject + "&offset=-1", "offset");
    assertParam("/api/v1/reviews?subject=" + subject + "&offset=1001", "offset");
    assertParam("/api/v1/reviews?subject=" + subject + "&sort=rating", "sort");
    assertParam("/api/v1/reviews/summary", "subject");
  }

  @Test
  void helpfulVotesCountOncePerUserAndOrderTheList() throws Exception {
    String subject = newHotel();
    String a = create("u1", subject, 3);
    String b = create("u2", subject, 4);
    String c = create("u3", subject, 5);
    var firstVote = post(user("v1"), "/api/v1/reviews/" + a + "/helpful", null);
    assertThat(firstVote.statusCode()).isEqualTo(200);
    assertThat(firstVote.bodyAsJsonObject().getLong("helpfulCount")).isEqualTo(1);
    assertThat(firstVote.bodyAsJsonObject().getBoolean("counted")).isTrue();
    var repeated = post(user("v1"), "/api/v1/reviews/" + a + "/helpful", null);
    assertThat(repeated.statusCode()).isEqualTo(200);
    assertThat(repeated.bodyAsJsonObject().getLong("helpfulCount")).isEqualTo(1);
    assertThat(repeated.bodyAsJsonObject().getBoolean("counted")).isFalse();
    assertThat(
            post(user("v2"), "/api/v1/reviews/" + a + "/helpful", null)
                .bodyAsJsonObject()
                .getLong("helpfulCount"))
        .isEqualTo(2);
    assertThat(
            post(user("v1"), "/api/v1/reviews/" + c + "/helpful", null)
                .bodyAsJsonObject()
                .getLong("helpfulCount"))
        .isEqualTo(1);

    JsonObject helpful =
        get("/api/v1/reviews?subject=" + subject + "&sort=helpful").bodyAsJsonObject();
    assertThat(idsOf(helpful)).containsExactly(a, c, b);
    assertThat(helpful.getJsonArray("results").getJsonObject(0).getLong("helpfulCount"))
        .isEqualTo(2);
    assertThat(
            idsOf(
                get("/api/v1/reviews?subject=" + subject + "&sort=helpful&limit=1&offset=1")
                    .bodyAsJsonObject()))
        .containsExactly(c);
    // Newest order is unaffected by votes.
    assertThat(idsOf(get("/api/v1/reviews?subject=" + subject).bodyAsJsonObject()))
        .containsExactly(c, b, a);

    assertThat(
            post(user("v1"), "/api/v1/reviews/0123456789abcdef01234567/helpful", null).statusCode())
        .isEqualTo(404);
    assertThat(post(user("v1"), "/api/v1/reviews/nonsense/helpful", null).statusCode())
        .isEqualTo(404);
  }

  // ---------------------------------------------------------------- aggregates

  @Test
  void aggregatesFollowCreateHideUnhideAndDelete() throws Exception {
    String subject = newHotel();
    JsonObject empty = get("/api/v1/reviews/summary?subject=" + subject).bodyAsJsonObject();
    assertThat(empty.getLong("count")).isZero();
    assertThat(empty.getValue("average")).isNull();
    assertThat(empty.getJsonObject("histogram")).isEqualTo(histogram(0, 0, 0, 0, 0));

    String r5 = create("a1", subject, 5);
    String r4 = create("a2", subject, 4);
    String r4b = create("a3", subject, 4);
    create("a4", subject, 2);
    JsonObject summary = get("/api/v1/reviews/summary?subject=" + subject).bodyAsJsonObject();
    assertThat(summary.getString("subject")).isEqualTo(subject);
    assertThat(summary.getLong("count")).isEqualTo(4);
    assertThat(summary.getDouble("average")).isEqualTo(3.75);
    assertThat(summary.getJsonObject("histogram")).isEqualTo(histogram(0, 1, 0, 2, 1));

    // Hiding takes the review out of the list and the aggregate; hiding twice changes nothing more.
    assertThat(
            patch(admin(), "/admin/v1/reviews/" + r5, new JsonObject().put("hidden", true))
                .bodyAsJsonObject()
                .getBoolean("hidden"))
        .isTrue();
    assertThat(
            patch(admin(), "/admin/v1/reviews/" + r5, new JsonObject().put("hidden", true))
                .statusCode())
        .isEqualTo(200);
    summary = get("/api/v1/reviews/summary?subject=" + subject).bodyAsJsonObject();
    assertThat(summary.getLong("count")).isEqualTo(3);
    assertThat(summary.getDouble("average")).isEqualTo(3.33);
    assertThat(summary.getJsonObject("histogram")).isEqualTo(histogram(0, 1, 0, 2, 0));
    JsonObject visible = get("/api/v1/reviews?subject=" + subject).bodyAsJsonObject();
    assertThat(visible.getLong("total")).isEqualTo(3);
    assertThat(idsOf(visible)).doesNotContain(r5);
    assertThat(get("/api/v1/reviews/" + r5).statusCode()).isEqualTo(404);
    assertThat(post(user("v1"), "/api/v1/reviews/" + r5 + "/helpful", null).statusCode())
        .isEqualTo(404);

    // Unhiding brings it back.
    assertThat(
            patch(admin(), "/admin/v1/reviews/" + r5, new JsonObject().put("hidden", false))
                .statusCode())
        .isEqualTo(200);
    assertThat(
            get("/api/v1/reviews/summary?subject=" + subject).bodyAsJsonObject().getLong("count"))
        .isEqualTo(4);

    // Deleting a visible review decrements; deleting a hidden one does not decrement twice.
    assertThat(delete(admin(), "/admin/v1/reviews/" + r4).statusCode()).isEqualTo(204);
    assertThat(delete(admin(), "/admin/v1/reviews/" + r4).statusCode()).isEqualTo(404);
    patch(admin(), "/admin/v1/reviews/" + r4b, new JsonObject().put("hidden", true));
    assertThat(delete(admin(), "/admin/v1/reviews/" + r4b).statusCode()).isEqualTo(204);
    summary = get("/api/v1/reviews/summary?subject=" + subject).bodyAsJsonObject();
    assertThat(summary.getLong("count")).isEqualTo(2);
    assertThat(summary.getDouble("average")).isEqualTo(3.5);
    assertThat(summary.getJsonObject("histogram")).isEqualTo(histogram(0, 1, 0, 0, 1));

    // The stored aggregate equals one rebuilt from the reviews.
    var rebuilt = post(admin(), "/admin/v1/reviews/aggregates/rebuild?subject=" + subject, null);
    assertThat(rebuilt.statusCode()).isEqualTo(200);
    assertThat(rebuilt.bodyAsJsonObject()).isEqualTo(summary);
  }

  @Test
  void summariesForSeveralSubjectsInOneCall() throws Exception {
    String s1 = newHotel();
    String s2 = newHotel();
    create("x1", s1, 5);
    create("x2", s1, 4);
    create("x1", s2, 1);
    String unreviewed = newHotel();
    var resp =
        get("/api/v1/reviews/summaries?subjects=" + s2 + "," + unreviewed + "," + s1 + "," + s2);
    assertThat(resp.statusCode()).isEqualTo(200);
    JsonArray results = resp.bodyAsJsonObject().getJsonArray("results");
    assertThat(results).hasSize(3);
    assertThat(results.getJsonObject(0).getString("subject")).isEqualTo(s2);
    assertThat(results.getJsonObject(0).getDouble("average")).isEqualTo(1.0);
    assertThat(results.getJsonObject(1).getLong("count")).isZero();
    assertThat(results.getJsonObject(2).getDouble("average")).isEqualTo(4.5);
    assertThat(results.getJsonObject(2).getJsonObject("histogram"))
        .isEqualTo(histogram(0, 0, 0, 1, 1));

    StringBuilder fiftyOne = new StringBuilder();
    for (int i = 1; i <= 51; i++) fiftyOne.append(i == 1 ? "" : ",").append("hotel:").append(i);
    assertParam("/api/v1/reviews/summaries?subjects=" + fiftyOne, "subjects");
    assertThat(
            get("/api/v1/reviews/summaries?subjects="
                    + fiftyOne.substring(0, fiftyOne.lastIndexOf(",")))
                .statusCode())
        .isEqualTo(200);
    assertParam("/api/v1/reviews/summaries", "subjects");
    assertParam("/api/v1/reviews/summaries?subjects=hotel:1,bogus", "subjects");
  }

  // ---------------------------------------------------------------- admin

  @Test
  void adminRoutesNeedTheAdminRole() throws Exception {
    String id = create("y1", newHotel(), 3);
    for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.PATCH, HttpMethod.DELETE)) {
      String path = method == HttpMethod.GET ? "/admin/v1/reviews" : "/admin/v1/reviews/" + id;
      var anonymous =
          client
              .request(method, verticle.actualPort(), "127.0.0.1", path)
              .sendJsonObject(new JsonObject().put("hidden", true))
              .await(5, TimeUnit.SECONDS);
      assertThat(anonymous.statusCode()).as(method + " anonymous").isEqualTo(401);
      var plainUser =
          client
              .request(method, verticle.actualPort(), "127.0.0.1", path)
              .bearerTokenAuthentication(user("y1"))
              .sendJsonObject(new JsonObject().put("hidden", true))
              .await(5, TimeUnit.SECONDS);
      assertThat(plainUser.statusCode()).as(method + " user").isEqualTo(403);
    }
    // Nothing changed.
    assertThat(get("/api/v1/reviews/" + id).statusCode()).isEqualTo(200);
  }

  @Test
  void adminListsFiltersAndModerates() throws Exception {
    String subject = newHotel();
    String a = create("z1", subject, 2);
    String b = create("z2", subject, 3);
    patch(admin(), "/admin/v1/reviews/" + a, new JsonObject().put("hidden", true));

    JsonObject all =
        send(HttpMethod.GET, admin(), "/admin/v1/reviews?subject=" + subject, null)
            .bodyAsJsonObject();
    assertThat(idsOf(all)).containsExactly(b, a);
    assertThat(all.getJsonArray("results").getJsonObject(1).getBoolean("hidden")).isTrue();
    JsonObject hidden =
        send(HttpMethod.GET, admin(), "/admin/v1/reviews?subject=" + subject + "&hidden=true", null)
            .bodyAsJsonObject();
    assertThat(idsOf(hidden)).containsExactly(a);
    JsonObject shown =
        send(
                HttpMethod.GET,
                admin(),
                "/admin/v1/reviews?subject=" + subject + "&hidden=false",
                null)
            .bodyAsJsonObject();
    assertThat(idsOf(shown)).containsExactly(b);
    assertThat(send(HttpMethod.GET, admin(), "/admin/v1/reviews?hidden=maybe", null).statusCode())
        .isEqualTo(400);

    assertThat(
            patch(admin(), "/admin/v1/reviews/" + b, new JsonObject().put("hidden", "yes"))
                .statusCode())
        .isEqualTo(400);
    assertThat(patch(admin(), "/admin/v1/reviews/" + b, new JsonObject()).statusCode())
        .isEqualTo(400);
    assertThat(
            patch(
                    admin(),
                    "/admin/v1/reviews/0123456789abcdef01234567",
                    new JsonObject().put("hidden", true))
                .statusCode())
        .isEqualTo(404);
    assertThat(delete(admin(), "/admin/v1/reviews/0123456789abcdef01234567").statusCode())
        .isEqualTo(404);
  }

  // ---------------------------------------------------------------- events

  @Test
  void everyChangeIsWrittenToTheOutboxAndPublishedByTheRelay(Vertx vertx) throws Exception {
    // The verticle runs with the event bus transport (no TARIFA_AMQP_URL): a consumer on the same
    // Vert.x sees it.
    List<DomainEvent> received = new java.util.concurrent.CopyOnWriteArrayList<>();
    EventBusTransport bus = new EventBusTransport(vertx, EventsConfig.defaults());
    bus.subscribe(
            "reviews_it.probe",
            List.of("reviews.review.*"),
            e -> {
              received.add(e);
              return Future.succeededFuture();
            })
        .await(5, TimeUnit.SECONDS);
    String subject = newHotel();
    String id = create("e1", subject, 4);
    patch(admin(), "/admin/v1/reviews/" + id, new JsonObject().put("hidden", true));
    patch(
        admin(),
        "/admin/v1/reviews/" + id,
        new JsonObject().put("hidden", true)); // no change, no event
    patch(admin(), "/admin/v1/reviews/" + id, new JsonObject().put("hidden", false));
    patch(admin(), "/admin/v1/reviews/" + id, new JsonObject().put("hidden", true));
    delete(admin(), "/admin/v1/reviews/" + id);

    List<JsonObject> events =
        mongo
            .find(ReviewStore.OUTBOX, new JsonObject().put("payload.reviewId", id))
            .await(5, TimeUnit.SECONDS);
    assertThat(events)
        .extracting(e -> e.getString("type"))
        .containsExactlyInAnyOrder(
            "reviews.review.created",
            "reviews.review.hidden",
            "reviews.review.unhidden",
            "reviews.review.hidden",
            "reviews.review.deleted");
    for (JsonObject e : events) {
      assertThat(e.getString("_id")).matches("[0-9a-f-]{36}");
      assertThat(e.getJsonArray("tags")).containsExactly(subject);
      assertThat(e.getString("occurredAt")).isNotBlank();
      assertThat(e.getJsonObject("payload").getString("subject")).isEqualTo(subject);
      assertThat(e.getJsonObject("payload").getInteger("rating")).isEqualTo(4);
    }
    // The relay (nudged after each write) publishes every event once and marks it sent.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (received.stream().filter(e -> id.equals(e.payload().getString("reviewId"))).count() < 5
        && System.nanoTime() < deadline) Thread.sleep(20);
    List<DomainEvent> mine =
        received.stream().filter(e -> id.equals(e.payload().getString("reviewId"))).toList();
    assertThat(mine)
        .extracting(e -> e.id().toString())
        .containsExactlyInAnyOrderElementsOf(events.stream().map(e -> e.getString("_id")).toList());
    DomainEvent deleted =
        mine.stream()
            .filter(e -> e.type().equals("reviews.review.deleted"))
            .findFirst()
            .orElseThrow();
    assertThat(deleted.payload().getBoolean("hidden"))
        .as("deleted while hidden: no longer counted")
        .isTrue();
    assertThat(deleted.tags()).containsExactly(subject);
    // A subscriber can see an event before the relay has marked it sent (the mark follows the
    // publish): await it.
    JsonObject unsent = new JsonObject().put("payload.reviewId", id).put("publishedAt", null);
    long marked = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    long left = mongo.count(ReviewStore.OUTBOX, unsent).await(5, TimeUnit.SECONDS);
    while (left > 0 && System.nanoTime() < marked) {
      Thread.sleep(20);
      left = mongo.count(ReviewStore.OUTBOX, unsent).await(5, TimeUnit.SECONDS);
    }
    assertThat(left).as("outbox documents not marked sent").isZero();
    bus.close().await(5, TimeUnit.SECONDS);
  }

  @Test
  void indexesExist() throws Exception {
    JsonArray indexes = mongo.listIndexes(ReviewStore.REVIEWS).await(5, TimeUnit.SECONDS);
    assertThat(indexes.stream().map(i -> ((JsonObject) i).getString("name")).toList())
        .contains("subject_author_unique", "subject_newest", "subject_helpful");
  }

  // ---------------------------------------------------------------- helpers

  private static String newHotel() {
    return "hotel:" + NEXT_HOTEL.incrementAndGet();
  }

  private static String user(String subject) {
    return issuer.issue(subject, subject + "@example.com", Set.of("user"));
  }

  private static String admin() {
    return issuer.issue("admin-1", "admin@example.com", Set.of("user", "admin"));
  }

  private static JsonObject review(String subject, int rating) {
    return new JsonObject()
        .put("subject", subject)
        .put("rating", rating)
        .put("title", "Title")
        .put("text", "Some text.");
  }

  private static JsonObject histogram(long one, long two, long three, long four, long five) {
    return new JsonObject()
        .put("1", one)
        .put("2", two)
        .put("3", three)
        .put("4", four)
        .put("5", five);
  }

  private static String create(String author, String subject, int rating) throws Exception {
    var resp = post(user(author), "/api/v1/reviews", review(subject, rating));
    assertThat(resp.statusCode()).as(resp.bodyAsString()).isEqualTo(201);
    return resp.bodyAsJsonObject().getString("id");
  }

  private static List<String> idsOf(JsonObject page) {
    return page.getJsonArray("results").stream()
        .map(r -> ((JsonObject) r).getString("id"))
        .toList();
  }

  private static long count(String collection, JsonObject filter) throws Exception {
    return mongo.count(collection, filter).await(5, TimeUnit.SECONDS);
  }

  private static void assertBadRequest(JsonObject body, String parameter) throws Exception {
    var resp = post(user("validator"), "/api/v1/reviews", body);
    assertThat(resp.statusCode()).as(body + " -> " + resp.bodyAsString()).isEqualTo(400);
    assertThat(resp.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(resp.bodyAsJsonObject().getString("parameter"))
        .as(body.encode())
        .isEqualTo(parameter);
  }

  private static void assertParam(String path, String parameter) throws Exception {
    var resp = get(path);
    assertThat(resp.statusCode()).as(path).isEqualTo(400);
    assertThat(resp.bodyAsJsonObject().getString("parameter")).as(path).isEqualTo(parameter);
  }

  private static HttpResponse<Buffer> get(String path) throws Exception {
    return client.get(verticle.actualPort(), "127.0.0.1", path).send().await(5, TimeUnit.SECONDS);
  }

  private static HttpResponse<Buffer> post(String token, String path, JsonObject body)
      throws Exception {
    return send(HttpMethod.POST, token, path, body);
  }

  private static HttpResponse<Buffer> patch(String token, String path, JsonObject body)
      throws Exception {
    return send(HttpMethod.PATCH, token, path, body);
  }

  private static HttpResponse<Buffer> delete(String token, String path) throws Exception {
    return send(HttpMethod.DELETE, token, path, null);
  }

  private static HttpResponse<Buffer> send(
      HttpMethod method, String token, String path, JsonObject body) throws Exception {
    HttpRequest<Buffer> req =
        client
            .request(method, verticle.actualPort(), "127.0.0.1", path)
            .bearerTokenAuthentication(token);
    return (body == null ? req.send() : req.sendJsonObject(body)).await(5, TimeUnit.SECONDS);
  }
}
