package dev.tarifa.hotels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.tarifa.shared.auth.AuthConfig;
import dev.tarifa.shared.auth.JwtIssuer;
import dev.tarifa.shared.auth.JwtKeys;
import dev.tarifa.shared.config.Env;
import dev.tarifa.shared.events.DeadLetters;
import dev.tarifa.shared.events.DomainEvent;
import dev.tarifa.shared.events.EventTransport;
import dev.tarifa.shared.events.EventTransports;
import dev.tarifa.shared.events.EventsConfig;
import dev.tarifa.shared.events.ProcessedEvents;
import dev.tarifa.shared.events.RabbitMqTransport;
import dev.tarifa.shared.launch.OfferServiceConfig;
import dev.tarifa.shared.metrics.Metrics;
import dev.tarifa.shared.pricing.CatalogueSize;
import dev.tarifa.shared.testing.TcpProxy;
import dev.tarifa.shared.testing.TestServers;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hotels service on a real RabbitMQ reached through a {@link TcpProxy}: its outbox relay
 * publishes every admin change once the broker is back, and its ratings consumer turns review
 * events into the ratings shown in search answers, idempotently, parking poison messages in the
 * dead-letter queue.
 */
class HotelsEventsIT {
  private static final LocalDate IN = LocalDate.now(ZoneOffset.UTC).plusDays(20);
  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  private static final String RATINGS_QUEUE = "hotels.ratings.it_" + RUN;
  private static final String PROBE_QUEUE = "hotels.it_probe_" + RUN;

  private static Vertx vertx;
  private static WebClient client;
  private static Pool db;
  private static TcpProxy proxy;
  private static EventTransport probe;
  private static String admin;
  private static final Map<UUID, AtomicInteger> applied = new ConcurrentHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    URI amqp = TestServers.rabbitmq();
    URI url = TestServers.freshPostgresDatabase("tarifa_hotels_events_it");
    proxy = await(new TcpProxy(vertx, amqp.getHost(), amqp.getPort()).start());
    URI viaProxy = URI.create("amqp://" + amqp.getUserInfo() + "@127.0.0.1:" + proxy.port());
    EventsConfig fast =
        EventsConfig.defaults()
            .withRetries(2, List.of(Duration.ofMillis(100), Duration.ofMillis(200)))
            .withReconnect(Duration.ofMillis(100), Duration.ofMillis(500));
    var keys = JwtKeys.generateEs256();
    AuthConfig auth = AuthConfig.fromEnv(Env.of(Map.of())).withKeys(keys);
    HotelsConfig config =
        new HotelsConfig(
            OfferServiceConfig.of(HotelsConfig.NAME, 0, url, 4, CatalogueSize.SMALL, 42, auth)
                .withEvents(fast.withAmqpUrl(viaProxy), RATINGS_QUEUE));
    await(new HotelsService(config).prepare(vertx));
    HotelsVerticle verticle = new HotelsVerticle(config);
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
    admin = JwtIssuer.create(vertx, auth).issue("admin-1", "admin@example.com", Set.of("admin"));

    // A consumer of hotels.offer.changed straight on the broker, applying each event once (by id)
    // into the test DB.
    probe = await(EventTransports.create(vertx, fast.withAmqpUrl(amqp), "hotels-it-probe"));
    await(
        probe.subscribe(
            PROBE_QUEUE,
            List.of("hotels.offer.changed"),
            event ->
                db.withTransaction(
                    c ->
                        ProcessedEvents.markProcessed(c, PROBE_QUEUE, event.id())
                            .map(
                                first -> {
                                  if (first)
                                    applied
                                        .computeIfAbsent(event.id(), k -> new AtomicInteger())
                                        .incrementAndGet();
                                  return (Void) null;
                                }))));
  }

  @AfterAll
  static void stop() throws Exception {
    if (probe instanceof RabbitMqTransport r) {
      await(r.deleteQueues(PROBE_QUEUE).otherwiseEmpty());
      await(r.deleteQueues(RATINGS_QUEUE).otherwiseEmpty());
    }
    if (vertx != null) await(vertx.close());
  }

  @Test
  void brokerOutageDelaysButLosesNoChange() throws Exception {
    JsonObject rate = firstRate();
    long hotelId = rate.getLong("hotelId");
    String path =
        "/admin/v1/hotels/"
            + hotelId
            + "/room-types/"
            + rate.getString("code")
            + "/rates/"
            + rate.getString("provider");
    String etag = "\"" + rate.getInteger("version") + "\"";

    proxy.cut();
    // the broker is reported, never failing readiness: writes go to the outbox, searches never
    // needed it
    awaitTrue(
        "readiness reports the broker down as degraded",
        Duration.ofSeconds(10),
        () ->
            unchecked(
                () -> {
                  HttpResponse<Buffer> ready = get("/health/ready");
                  return ready.statusCode() == 200
                      && ready
                          .bodyAsJsonObject()
                          .getJsonObject("data", new JsonObject())
                          .getJsonArray("degraded", new io.vertx.core.json.JsonArray())
                          .contains("events");
                }));
    for (int i = 0; i < 100; i++) {
      HttpResponse<Buffer> r =
          send(
              HttpMethod.PUT,
              path,
              etag,
              new JsonObject()
                  .put(
                      "baseNightly",
                      new JsonObject().put("amount", 10_000 + i).put("currency", "EUR")));
      assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
      etag = r.getHeader("ETag");
    }
    Set<UUID> ids = new HashSet<>();
    for (Row row :
        sql(
            "SELECT id FROM outbox WHERE event_type = 'hotels.offer.changed' AND payload->>'change' = 'rate.set'",
            Tuple.tuple())) {
      ids.add(row.getUUID(0));
    }
    assertThat(ids).hasSize(100);
    assertThat(
            sql("SELECT count(*) FROM outbox WHERE published_at IS NULL", Tuple.tuple())
                .iterator()
                .next()
                .getLong(0))
        .as("nothing can be published while the broker is unreachable")
        .isGreaterThanOrEqualTo(100);
    Thread.sleep(500);
    assertThat(ids).noneMatch(applied::containsKey);

    proxy.restore();
    awaitTrue(
        "all 100 changes applied", Duration.ofSeconds(60), () -> applied.keySet().containsAll(ids));
    assertThat(ids).allSatisfy(id -> assertThat(applied.get(id).get()).isEqualTo(1));
    awaitTrue(
        "outbox drained",
        Duration.ofSeconds(10),
        () ->
            unchecked(
                () ->
                    sql("SELECT count(*) FROM outbox WHERE published_at IS NULL", Tuple.tuple())
                            .iterator()
                            .next()
                            .getLong(0)
                        == 0));
    HttpResponse<Buffer> ready = get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.bodyAsJsonObject().containsKey("data"))
        .as(ready.bodyAsString())
        .isFalse(); // nothing degraded
  }

  @Test
  void reviewEventsShowAsTheHotelRatingAndDuplicatesCountOnce() throws Exception {
    long hotelId = firstRate().getLong("hotelId");
    String subject = "hotel:" + hotelId;
    DomainEvent first = review("reviews.review.created", subject, 4, false);
    DomainEvent second = review("reviews.review.created", subject, 5, false);
    double okBefore = consumed("ok");
    await(probe.publish(first));
    await(probe.publish(first)); // the same event delivered twice
    await(probe.publish(second));
    awaitTrue(
        "three deliveries handled", Duration.ofSeconds(20), () -> consumed("ok") >= okBefore + 3);

    Row r =
        sql(
                "SELECT count, sum, histogram FROM hotel_ratings WHERE hotel_id = $1",
                Tuple.of(hotelId))
            .iterator()
            .next();
    assertThat(r.getLong(0)).isEqualTo(2);
    assertThat(r.getLong(1)).isEqualTo(9);
    assertThat(r.getArrayOfIntegers(2)).containsExactly(0, 0, 0, 1, 1);
    assertThat(
            sql(
                    "SELECT count(*) FROM outbox WHERE payload->>'reviewEvent' = $1",
                    Tuple.of(first.id().toString()))
                .iterator()
                .next()
                .getLong(0))
        .as("one offer-change event per review event")
        .isEqualTo(1);
    Row change =
        sql(
                "SELECT tags FROM outbox WHERE payload->>'reviewEvent' = $1",
                Tuple.of(second.id().toString()))
            .iterator()
            .next();
    assertThat(change.getArrayOfStrings(0)).containsExactly("hotel:" + hotelId);

    JsonObject rating = hotelInSearch(hotelId).getJsonObject("rating");
    assertThat(rating).isEqualTo(new JsonObject().put("average", 4.5).put("count", 2));
    assertThat(get("/api/v1/hotels/" + hotelId).bodyAsJsonObject().getJsonObject("rating"))
        .isEqualTo(rating);

    // Hiding the 5 takes it out; deleting the hidden review changes nothing more; deleting the
    // visible 4 empties it.
    await(probe.publish(review("reviews.review.hidden", subject, 5, false)));
    await(probe.publish(review("reviews.review.deleted", subject, 5, true)));
    await(probe.publish(review("reviews.review.deleted", subject, 4, false)));
    awaitTrue(
        "rating emptied",
        Duration.ofSeconds(20),
        () ->
            unchecked(
                () -> hotelInSearch(hotelId).getJsonObject("rating").getInteger("count") == 0));
    assertThat(hotelInSearch(hotelId).getJsonObject("rating").getValue("average")).isNull();
  }

  @Test
  void poisonMessageIsParkedAfterRetriesAndCanBeReplayedOrDiscarded() throws Exception {
    DomainEvent poison = review("reviews.review.created", "hotel:1", 9, false);
    await(probe.publish(poison));
    DeadLetters dlq = probe.deadLetters();
    awaitTrue(
        "poison parked",
        Duration.ofSeconds(20),
        () ->
            unchecked(
                () ->
                    await(dlq.list(RATINGS_QUEUE, 50)).stream()
                        .anyMatch(d -> d.messageId().equals(poison.id().toString()))));
    DeadLetters.DeadLetter parked =
        await(dlq.list(RATINGS_QUEUE, 50)).stream()
            .filter(d -> d.messageId().equals(poison.id().toString()))
            .findFirst()
            .orElseThrow();
    assertThat(parked.attempts()).isEqualTo(3); // first attempt + 2 retries
    assertThat(parked.lastError()).contains("rating must be an integer 1..5");
    assertThat(
            sql("SELECT count(*) FROM processed_events WHERE event_id = $1", Tuple.of(poison.id()))
                .iterator()
                .next()
                .getLong(0))
        .isZero();

    // Replay puts it back on the work queue with a fresh budget: it fails again and is parked
    // again.
    double deadBefore = consumed("dead_lettered");
    assertThat(await(dlq.replay(RATINGS_QUEUE, Optional.of(poison.id().toString())))).isEqualTo(1);
    awaitTrue(
        "replayed and parked again",
        Duration.ofSeconds(20),
        () -> consumed("dead_lettered") >= deadBefore + 1);
    assertThat(await(dlq.discard(RATINGS_QUEUE, Optional.of(poison.id().toString())))).isEqualTo(1);
    assertThat(await(dlq.list(RATINGS_QUEUE, 50)))
        .noneMatch(d -> d.messageId().equals(poison.id().toString()));
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private static DomainEvent review(String type, String subject, int rating, boolean hidden) {
    return DomainEvent.of(
        type,
        List.of(subject),
        new JsonObject()
            .put("reviewId", UUID.randomUUID().toString())
            .put("subject", subject)
            .put("authorId", "u-" + RUN)
            .put("rating", rating)
            .put("hidden", hidden));
  }

  private static double consumed(String outcome) {
    Counter c =
        Metrics.registry()
            .find("tarifa.events.consumed")
            .tag("queue", RATINGS_QUEUE)
            .tag("outcome", outcome)
            .counter();
    return c == null ? 0 : c.count();
  }

  /** The first rate of the first Paris hotel: hotelId, code, provider, version. */
  private static JsonObject firstRate() throws Exception {
    long hotelId =
        get("/api/v1/hotels/search?city=paris-fr&checkIn="
                + IN
                + "&checkOut="
                + IN.plusDays(2)
                + "&limit=1")
            .bodyAsJsonObject()
            .getJsonArray("results")
            .getJsonObject(0)
            .getJsonObject("hotel")
            .getLong("id");
    JsonObject room =
        send(HttpMethod.GET, "/admin/v1/hotels/" + hotelId, null, null)
            .bodyAsJsonObject()
            .getJsonArray("roomTypes")
            .getJsonObject(0);
    JsonObject rate = room.getJsonArray("rates").getJsonObject(0);
    return new JsonObject()
        .put("hotelId", hotelId)
        .put("code", room.getString("code"))
        .put("provider", rate.getJsonObject("provider").getString("code"))
        .put("version", rate.getInteger("version"));
  }

  private static JsonObject hotelInSearch(long hotelId) throws Exception {
    String city =
        get("/api/v1/hotels/" + hotelId).bodyAsJsonObject().getJsonObject("city").getString("key");
    for (Object o :
        get("/api/v1/hotels/search?city="
                + city
                + "&checkIn="
                + IN
                + "&checkOut="
                + IN.plusDays(2)
                + "&limit=50")
            .bodyAsJsonObject()
            .getJsonArray("results")) {
      JsonObject p = (JsonObject) o;
      if (p.getJsonObject("hotel").getLong("id") == hotelId) return p;
    }
    return fail("hotel " + hotelId + " not in its city's first 50 results");
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private static HttpResponse<Buffer> send(
      HttpMethod method, String path, String ifMatch, JsonObject body) throws Exception {
    HttpRequest<Buffer> req =
        client.request(method, path).timeout(20_000).putHeader("Authorization", "Bearer " + admin);
    if (ifMatch != null) req.putHeader("If-Match", ifMatch);
    return await(body == null ? req.send() : req.sendJsonObject(body));
  }

  private static HttpResponse<Buffer> get(String path) throws Exception {
    return await(client.get(path).timeout(20_000).send());
  }

  private static int status(HttpMethod method, String path) {
    return unchecked(() -> await(client.request(method, path).timeout(5_000).send()).statusCode());
  }

  private static io.vertx.sqlclient.RowSet<Row> sql(String q, Tuple t) throws Exception {
    return await(db.preparedQuery(q).execute(t));
  }

  interface Call<T> {
    T call() throws Exception;
  }

  private static <T> T unchecked(Call<T> c) {
    try {
      return c.call();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void awaitTrue(String what, Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      boolean ok;
      try {
        ok = condition.getAsBoolean();
      } catch (RuntimeException e) {
        ok = false;
      }
      if (ok) return;
      if (System.nanoTime() > deadline) fail("timed out waiting for " + what);
      Thread.sleep(50);
    }
  }
}
