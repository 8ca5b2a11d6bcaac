package dev.tarifa.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Distributed tracing across the assembled services (flights and the gateway in one traced Vert.x,
 * as in the all-in-one; spans exported to memory, every trace sampled): a flight search miss is one
 * trace from the gateway through the flights service down to PostgreSQL; an admin price change is
 * one trace from the write through the outbox relay and the publication to the gateway's eviction,
 * over the event bus and over RabbitMQ.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TracingChecks {
  static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
  static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");
  static final AttributeKey<String> QUERY_TEXT = AttributeKey.stringKey("db.query.text");
  static final AttributeKey<String> CACHE_RESULT = AttributeKey.stringKey("tarifa.cache.result");
  static final AttributeKey<String> CACHE_TAG = AttributeKey.stringKey("tarifa.cache.tag");
  static final AttributeKey<String> MESSAGING_SYSTEM = AttributeKey.stringKey("messaging.system");
  static final String DATE = LocalDate.now(ZoneOffset.UTC).plusDays(30).toString();

  TracingFixture app;

  abstract TracingFixture start() throws Exception;

  abstract String messagingSystem();

  @BeforeAll
  void setUp() throws Exception {
    app = start();
  }

  @AfterAll
  void tearDown() throws Exception {
    if (app != null) app.close();
  }

  @Test
  void aFlightSearchMissIsOneTraceFromTheGatewayThroughFlightsToPostgres() throws Exception {
    String path = "/api/v1/flights/search";
    HttpResponse<Buffer> r =
        app.send(HttpMethod.GET, path + "?from=FRA&to=JFK&date=" + DATE, null, null);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    assertThat(r.getHeader("X-Cache")).isEqualTo("MISS");

    SpanData root = app.gatewayServerSpan("GET", path);
    String traceId = root.getTraceId();
    SpanData lookup =
        app.waitForSpan("cache lookup", traceId, s -> s.getName().equals("cache lookup"));
    assertThat(lookup.getParentSpanId()).isEqualTo(root.getSpanId());
    assertThat(lookup.getAttributes().get(CACHE_RESULT)).isEqualTo("miss");
    SpanData origin =
        app.waitForSpan("cache origin", traceId, s -> s.getName().equals("cache origin"));
    assertThat(origin.getParentSpanId()).isEqualTo(lookup.getSpanId());
    // gateway -> flights: the client span's context arrives as traceparent and parents the flights
    // server span
    SpanData call =
        app.waitForSpan(
            "gateway client span",
            traceId,
            s -> s.getKind() == SpanKind.CLIENT && s.getAttributes().get(URL_FULL) != null);
    SpanData flights =
        app.waitForSpan(
            "flights server span",
            traceId,
            s -> s.getKind() == SpanKind.SERVER && s.getParentSpanContext().isValid());
    assertThat(flights.getParentSpanId()).isEqualTo(call.getSpanId());
    assertThat(flights.getAttributes().get(URL_PATH)).isEqualTo(path);
    // flights -> PostgreSQL
    SpanData query =
        app.waitForSpan(
            "PostgreSQL span",
            traceId,
            s -> s.getKind() == SpanKind.CLIENT && s.getAttributes().get(QUERY_TEXT) != null);
    assertThat(query.getParentSpanId()).isEqualTo(flights.getSpanId());
    assertThat(query.getAttributes().get(QUERY_TEXT)).containsIgnoringCase("select");

    // the same search again is an L1 hit: a lookup span with that result, no call to flights
    HttpResponse<Buffer> again =
        app.send(HttpMethod.GET, path + "?from=FRA&to=JFK&date=" + DATE, null, null);
    assertThat(again.getHeader("X-Cache")).isEqualTo("HIT-L1");
    assertThat(
            app.spans.getFinishedSpanItems().stream()
                .filter(
                    s ->
                        s.getName().equals("cache lookup")
                            && "hit_l1".equals(s.getAttributes().get(CACHE_RESULT))))
        .hasSize(1);
  }

  @Test
  void anAdminPriceChangeIsOneTraceFromTheWriteThroughTheRelayAndBrokerToTheEviction()
      throws Exception {
    // a schedule of our own (its creation is another trace), searched once so the gateway holds an
    // answer
    int number = 7000 + (int) (Math.random() * 2000);
    JsonObject schedule =
        new JsonObject()
            .put("airline", "LH")
            .put("number", number)
            .put("from", "MUC")
            .put("to", "AMS")
            .put("departure", "07:15")
            .put("durationMinutes", 100)
            .put("days", new JsonArray(List.of(1, 2, 3, 4, 5, 6, 7)));
    HttpResponse<Buffer> created = app.send(HttpMethod.POST, "/admin/v1/flights", null, schedule);
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    long id = created.bodyAsJsonObject().getLong("id");
    assertThat(
            app.send(
                    HttpMethod.GET,
                    "/api/v1/flights/search?from=MUC&to=AMS&date=" + DATE,
                    null,
                    null)
                .statusCode())
        .isEqualTo(200);

    String fare = "/admin/v1/flights/" + id + "/fares/economy/LH";
    HttpResponse<Buffer> put =
        app.send(HttpMethod.PUT, fare, null, new JsonObject().put("amount", 10_000));
    assertThat(put.statusCode()).as(put.bodyAsString()).isEqualTo(201);

    SpanData root = app.gatewayServerSpan("PUT", fare);
    String traceId = root.getTraceId();
    SpanData flights =
        app.waitForSpan(
            "flights server span",
            traceId,
            s ->
                s.getKind() == SpanKind.SERVER
                    && s.getParentSpanContext().isValid()
                    && fare.equals(s.getAttributes().get(URL_PATH)));
    SpanData insert =
        app.waitForSpan(
            "outbox INSERT",
            traceId,
            s ->
                s.getKind() == SpanKind.CLIENT
                    && String.valueOf(s.getAttributes().get(QUERY_TEXT))
                        .startsWith("INSERT INTO outbox"));
    assertThat(insert.getParentSpanId()).isEqualTo(flights.getSpanId());
    // the relay continues the write's trace from the traceparent stored in the outbox row
    SpanData relay =
        app.waitForSpan(
            "outbox relay span",
            traceId,
            s -> s.getName().equals("outbox relay flights.offer.changed"));
    assertThat(relay.getParentSpanId()).isEqualTo(flights.getSpanId());
    SpanData publish =
        app.waitForSpan(
            "publish span", traceId, s -> s.getName().equals("publish flights.offer.changed"));
    assertThat(publish.getKind()).isEqualTo(SpanKind.PRODUCER);
    assertThat(publish.getParentSpanId()).isEqualTo(relay.getSpanId());
    assertThat(publish.getAttributes().get(MESSAGING_SYSTEM)).isEqualTo(messagingSystem());
    // the context crossed the transport in the message headers: the gateway's handling is the
    // publication's child
    SpanData process =
        app.waitForSpan(
            "gateway's process span",
            traceId,
            s ->
                s.getName().equals("process flights.offer.changed")
                    && s.getKind() == SpanKind.CONSUMER);
    assertThat(process.getParentSpanId()).isEqualTo(publish.getSpanId());
    assertThat(process.getAttributes().get(AttributeKey.stringKey("messaging.destination.name")))
        .startsWith("gateway.invalidation.");
    SpanData evict =
        app.waitForSpan(
            "eviction span",
            traceId,
            s ->
                s.getName().equals("cache evict")
                    && "route:MUC-AMS".equals(s.getAttributes().get(CACHE_TAG)));
    assertThat(evict.getParentSpanId()).isEqualTo(process.getSpanId());
  }
}
