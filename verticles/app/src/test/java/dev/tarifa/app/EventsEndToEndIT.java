package dev.tarifa.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.tarifa.gateway.GatewayConfig;
import dev.tarifa.gateway.GatewayShared;
import dev.tarifa.gateway.GatewayVerticle;
import dev.tarifa.hotels.HotelsConfig;
import dev.tarifa.hotels.HotelsService;
import dev.tarifa.hotels.HotelsVerticle;
import dev.tarifa.reviews.ReviewsConfig;
import dev.tarifa.reviews.ReviewsService;
import dev.tarifa.reviews.ReviewsVerticle;
import dev.tarifa.shared.auth.AuthConfig;
import dev.tarifa.shared.auth.JwtIssuer;
import dev.tarifa.shared.auth.JwtKeys;
import dev.tarifa.shared.config.Env;
import dev.tarifa.shared.events.DomainEvent;
import dev.tarifa.shared.events.EventTransport;
import dev.tarifa.shared.events.EventTransports;
import dev.tarifa.shared.events.EventsConfig;
import dev.tarifa.shared.events.RabbitMqTransport;
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
import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Events across the platform on the real RabbitMQ, Redis and PostgreSQL: a hotels and a reviews
 * service (one Vert.x) behind two gateway replicas (a Vert.x each, sharing Redis). Price changes
 * and review-driven rating changes reach both gateways' answers through their events (the hotels
 * entries' fresh time is far longer than any wait here); dead letters are administered through the
 * gateway. How fast a change becomes visible is a performance target, measured under load by the
 * load tests (AdminWritesSimulation), not by a timed test.
 */
class EventsEndToEndIT {
  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  private static final String RATINGS_QUEUE = "hotels.ratings.e2e_" + RUN;
  private static final LocalDate IN = LocalDate.now(ZoneOffset.UTC).plusDays(30);
  private static final JwtKeys.KeyPairPem KEYS = JwtKeys.generateEs256();

  private static Vertx services, gw1, gw2;
  private static GatewayShared shared1, shared2;
  private static WebClient hotels, gateway1, gateway2;
  private static Pool db;
  private static EventTransport probe;
  private static String admin, user;

  @BeforeAll
  static void start() throws Exception {
    URI amqp = TestServers.rabbitmq();
    URI redis = TestServers.redis();
    services = Vertx.vertx();
    EventsConfig events =
        EventsConfig.defaults()
            .withAmqpUrl(amqp)
            .withRetries(2, List.of(Duration.ofMillis(100), Duration.ofMillis(200)))
            .withReconnect(Duration.ofMillis(100), Duration.ofMillis(500));
    AuthConfig auth = AuthConfig.fromEnv(Env.of(Map.of())).withKeys(KEYS);

    URI pg = TestServers.freshPostgresDatabase("tarifa_events_e2e_it");
    HotelsConfig hc =
        new HotelsConfig(
            OfferServiceConfig.of(HotelsConfig.NAME, 0, pg, 4, CatalogueSize.SMALL, 42, auth)
                .withEvents(events, RATINGS_QUEUE));
    await(new HotelsService(hc).prepare(services));
    HotelsVerticle hv = new HotelsVerticle(hc);
    await(services.deployVerticle(hv));
    URI hotelsUrl = URI.create("http://127.0.0.1:" + hv.actualPort());
    hotels =
        WebClient.create(
            services,
            new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(hv.actualPort()));

    ReviewsConfig rc =
        new ReviewsConfig(
                0, TestServers.mongo(), "reviews_e2e_" + RUN, hotelsUrl, hotelsUrl, hotelsUrl, auth)
            .withEvents(events);
    await(new ReviewsService(rc).prepare(services));
    ReviewsVerticle rv = new ReviewsVerticle(rc);
    await(services.deployVerticle(rv));

    Map<String, String> env = new HashMap<>();
    env.put("TARIFA_GATEWAY_PORT", "0");
    env.put("TARIFA_HOTELS_URL", hotelsUrl.toString());
    env.put("TARIFA_REVIEWS_URL", "http://127.0.0.1:" + rv.actualPort());
    env.put("TARIFA_REDIS_URL", redis.toString());
    env.put("TARIFA_AMQP_URL", amqp.toString());
    env.put("TARIFA_EVENTS_RETRY_DELAYS", "100ms,200ms");
    env.put("TARIFA_EVENTS_MAX_RETRIES", "2");
    env.put("TARIFA_CACHE_PREFIX", "e2e-" + RUN + ":");
    env.put("TARIFA_CACHE_JITTER", "0");
    // Far longer than the tests' waits: a new answer can only come from the change's event evicting
    // the entry.
    env.put("TARIFA_CACHE_HOTELS_TTL", "10m");
    env.put("TARIFA_UPSTREAM_TIMEOUT", "10s");
    env.put("TARIFA_CACHE_ORIGIN_TIMEOUT", "10s");
    env.put("TARIFA_RATE_LIMIT_RPS", "100000");
    env.put("TARIFA_RATE_LIMIT_BURST", "100000");
    env.put(AuthConfig.PUBLIC_KEY, KEYS.publicPem());
    GatewayConfig gc = GatewayConfig.fromEnv(Env.of(env));
    gw1 = Vertx.vertx();
    gw2 = Vertx.vertx();
    shared1 = await(GatewayShared.create(gw1, gc));
    shared2 = await(GatewayShared.create(gw2, gc));
    assertThat(shared1.invalidationRunning()).isTrue();
    assertThat(shared2.invalidationRunning()).isTrue();
    GatewayVerticle g1 = new GatewayVerticle(gc, shared1);
    GatewayVerticle g2 = new GatewayVerticle(gc, shared2);
    await(gw1.deployVerticle(g1));
    await(gw2.deployVerticle(g2));
    gateway1 =
        WebClient.create(
            gw1,
            new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(g1.actualPort()));
    gateway2 =
        WebClient.create(
            gw2,
            new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(g2.actualPort()));

    db =
        PgBuilder.pool()
            .connectingTo(PgConnectOptions.fromUri(pg.toString()))
            .using(services)
            .build();
    JwtIssuer issuer = JwtIssuer.create(services, auth);
    admin = issuer.issue("admin-e2e", "admin@example.com", Set.of("admin", "user"));
    user = issuer.issue("user-e2e-" + RUN, "user@example.com", Set.of("user"));
    probe = await(EventTransports.create(services, events, "e2e-probe"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (probe instanceof RabbitMqTransport r) await(r.deleteQueues(RATINGS_QUEUE).otherwiseEmpty());
    for (Vertx v : new Vertx[] {gw1, gw2, services}) if (v != null) await(v.close());
  }

  @Test
  void aPriceChangeReachesBothGatewaysThroughItsEvent() throws Exception {
    String search =
        "/api/v1/hotels/search?city=paris-fr&checkIn="
            + IN
            + "&checkOut="
            + IN.plusDays(2)
            + "&limit=1";
    JsonObject before = warm(search);
    JsonObject product = before.getJsonArray("results").getJsonObject(0);
    long hotelId = product.getJsonObject("hotel").getLong("id");
    String room = product.getJsonObject("room").getString("code");
    String provider = product.getJsonObject("cheapest").getJsonObject("provider").getString("code");
    long oldCheapest = product.getJsonObject("cheapest").getJsonObject("price").getLong("amount");

    JsonObject rate = rateOf(hotelId, room, provider);
    long base = rate.getJsonObject("baseNightly").getLong("amount");
    HttpResponse<Buffer> put =
        send(
            hotels,
            HttpMethod.PUT,
            "/admin/v1/hotels/" + hotelId + "/room-types/" + room + "/rates/" + provider,
            admin,
            "\"" + rate.getInteger("version") + "\"",
            new JsonObject()
                .put(
                    "baseNightly",
                    new JsonObject().put("amount", base / 2).put("currency", "EUR")));
    assertThat(put.statusCode()).as(put.bodyAsString()).isEqualTo(200);

    Predicate<JsonObject> cheaper =
        body ->
            body.getJsonArray("results")
                    .getJsonObject(0)
                    .getJsonObject("cheapest")
                    .getJsonObject("price")
                    .getLong("amount")
                < oldCheapest;
    eventually("gateway 1 answers the new price", gateway1, search, cheaper);
    eventually("gateway 2 answers the new price", gateway2, search, cheaper);
  }

  @Test
  void aNewReviewShowsAsTheHotelRatingThroughBothGateways() throws Exception {
    String search =
        "/api/v1/hotels/search?city=paris-fr&checkIn="
            + IN.plusDays(5)
            + "&checkOut="
            + IN.plusDays(6)
            + "&limit=1";
    JsonObject before = warm(search);
    JsonObject product = before.getJsonArray("results").getJsonObject(0);
    long hotelId = product.getJsonObject("hotel").getLong("id");
    assertThat(product.getJsonObject("rating").getInteger("count")).isZero();

    HttpResponse<Buffer> created =
        send(
            gateway1,
            HttpMethod.POST,
            "/api/v1/reviews",
            user,
            null,
            new JsonObject()
                .put("subject", "hotel:" + hotelId)
                .put("rating", 4)
                .put("title", "Good")
                .put("text", "Quiet rooms."));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);

    Predicate<JsonObject> rated =
        body ->
            new JsonObject()
                .put("average", 4.0)
                .put("count", 1)
                .equals(body.getJsonArray("results").getJsonObject(0).getJsonObject("rating"));
    // reviews outbox -> relay -> hotels.ratings -> hotel_ratings + hotels.offer.changed -> both
    // gateways evict
    eventually("gateway 1 shows the rating", gateway1, search, rated);
    eventually("gateway 2 shows the rating", gateway2, search, rated);
  }

  @Test
  void deadLettersAreListedReplayedAndDiscardedThroughTheGateway() throws Exception {
    long hotelId = 2;
    long countBefore = ratingCount(hotelId);
    await(db.query("ALTER TABLE hotel_ratings RENAME TO hotel_ratings_away").execute());
    DomainEvent transient_ = review(hotelId, 5);
    DomainEvent poison = review(hotelId, 9);
    try {
      await(probe.publish(transient_));
      await(probe.publish(poison));
      String list = "/admin/v1/events/dead-letters?queue=" + RATINGS_QUEUE + "&limit=50";
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      JsonArray parked = new JsonArray();
      while (System.nanoTime() < deadline) {
        parked =
            send(gateway1, HttpMethod.GET, list, admin, null, null)
                .bodyAsJsonObject()
                .getJsonArray("deadLetters");
        if (parked.size() >= 2) break;
        Thread.sleep(100);
      }
      assertThat(parked.stream().map(o -> ((JsonObject) o).getString("messageId")))
          .contains(transient_.id().toString(), poison.id().toString());
      assertThat(send(gateway1, HttpMethod.GET, list, user, null, null).statusCode())
          .as("admin role needed")
          .isEqualTo(403);
    } finally {
      await(db.query("ALTER TABLE hotel_ratings_away RENAME TO hotel_ratings").execute());
    }
    HttpResponse<Buffer> replay =
        send(
            gateway2,
            HttpMethod.POST,
            "/admin/v1/events/dead-letters/replay?queue="
                + RATINGS_QUEUE
                + "&id="
                + transient_.id(),
            admin,
            null,
            null);
    assertThat(replay.statusCode()).as(replay.bodyAsString()).isEqualTo(200);
    assertThat(replay.bodyAsJsonObject().getInteger("replayed")).isEqualTo(1);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    long count = countBefore;
    while (System.nanoTime() < deadline && count == countBefore) {
      count = ratingCount(hotelId);
      Thread.sleep(50);
    }
    assertThat(count).as("the replayed event was applied").isEqualTo(countBefore + 1);

    HttpResponse<Buffer> blankId =
        send(
            gateway1,
            HttpMethod.DELETE,
            "/admin/v1/events/dead-letters?queue=" + RATINGS_QUEUE + "&id=",
            admin,
            null,
            null);
    assertThat(blankId.statusCode()).as("a blank id never means every dead letter").isEqualTo(400);
    assertThat(blankId.bodyAsJsonObject().getString("parameter")).isEqualTo("id");
    HttpResponse<Buffer> discard =
        send(
            gateway1,
            HttpMethod.DELETE,
            "/admin/v1/events/dead-letters?queue=" + RATINGS_QUEUE + "&id=" + poison.id(),
            admin,
            null,
            null);
    assertThat(discard.bodyAsJsonObject().getInteger("discarded")).isEqualTo(1);
    assertThat(
            send(
                    gateway1,
                    HttpMethod.DELETE,
                    "/admin/v1/events/dead-letters?queue=" + RATINGS_QUEUE + "&id=" + poison.id(),
                    admin,
                    null,
                    null)
                .statusCode())
        .isEqualTo(404);
    assertThat(
            send(
                    gateway1,
                    HttpMethod.GET,
                    "/admin/v1/events/dead-letters?queue=" + RATINGS_QUEUE,
                    admin,
                    null,
                    null)
                .bodyAsJsonObject()
                .getJsonArray("deadLetters"))
        .isEmpty();
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private static DomainEvent review(long hotelId, int rating) {
    String subject = "hotel:" + hotelId;
    return DomainEvent.of(
        "reviews.review.created",
        List.of(subject),
        new JsonObject()
            .put("reviewId", UUID.randomUUID().toString())
            .put("subject", subject)
            .put("authorId", "e2e")
            .put("rating", rating)
            .put("hidden", false));
  }

  private static long ratingCount(long hotelId) throws Exception {
    var rows =
        await(
            db.preparedQuery("SELECT count FROM hotel_ratings WHERE hotel_id = $1")
                .execute(io.vertx.sqlclient.Tuple.of(hotelId)));
    return rows.size() == 0 ? 0 : rows.iterator().next().getLong(0);
  }

  /**
   * Searches through both gateways until both answer from their L1 (so L1 and L2 hold the answer).
   */
  private static JsonObject warm(String search) throws Exception {
    HttpResponse<Buffer> first = send(gateway1, HttpMethod.GET, search, null, null, null);
    assertThat(first.statusCode()).as(first.bodyAsString()).isEqualTo(200);
    send(gateway2, HttpMethod.GET, search, null, null, null);
    assertThat(send(gateway1, HttpMethod.GET, search, null, null, null).getHeader("X-Cache"))
        .isEqualTo("HIT-L1");
    assertThat(send(gateway2, HttpMethod.GET, search, null, null, null).getHeader("X-Cache"))
        .isEqualTo("HIT-L1");
    return first.bodyAsJsonObject();
  }

  private static JsonObject rateOf(long hotelId, String room, String provider) throws Exception {
    JsonObject details =
        send(hotels, HttpMethod.GET, "/admin/v1/hotels/" + hotelId, admin, null, null)
            .bodyAsJsonObject();
    for (Object r : details.getJsonArray("roomTypes")) {
      if (!((JsonObject) r).getString("code").equals(room)) continue;
      for (Object x : ((JsonObject) r).getJsonArray("rates")) {
        if (((JsonObject) x).getJsonObject("provider").getString("code").equals(provider))
          return (JsonObject) x;
      }
    }
    return fail("no rate " + provider + " for " + hotelId + "/" + room);
  }

  private static void eventually(
      String what, WebClient gateway, String path, Predicate<JsonObject> ok) throws Exception {
    poll(what, gateway, path, ok, Duration.ofSeconds(10));
  }

  private static void poll(
      String what, WebClient gateway, String path, Predicate<JsonObject> ok, Duration bound)
      throws Exception {
    long deadline = System.nanoTime() + bound.toNanos();
    JsonObject last = null;
    do {
      last = send(gateway, HttpMethod.GET, path, null, null, null).bodyAsJsonObject();
      if (ok.test(last)) return;
      Thread.sleep(20);
    } while (System.nanoTime() < deadline);
    fail("not within " + bound + ": " + what + "; last answer " + last);
  }

  private static HttpResponse<Buffer> send(
      WebClient client,
      HttpMethod method,
      String path,
      String token,
      String ifMatch,
      JsonObject body)
      throws Exception {
    HttpRequest<Buffer> req = client.request(method, path).timeout(20_000);
    if (token != null) req.putHeader("Authorization", "Bearer " + token);
    if (ifMatch != null) req.putHeader("If-Match", ifMatch);
    return await(body == null ? req.send() : req.sendJsonObject(body));
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
