package dev.tarifa.reviews.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tarifa.shared.launch.ServiceLauncher;
import dev.tarifa.shared.testing.TestServers;
import dev.tarifa.shared.tracing.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * MongoDB calls inside a sampled span are client spans; outside one, and with tracing off, the
 * client is untouched.
 */
class TracedMongoIT {
  @Test
  void callsInsideASampledSpanAreClientSpans() throws Exception {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    OpenTelemetrySdk otel =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(spans))
                    .build())
            .build();
    Vertx vertx = ServiceLauncher.newVertx(Tracing.using(otel));
    Vertx plain = Vertx.vertx();
    JsonObject config =
        new JsonObject()
            .put("connection_string", TestServers.mongo().toString())
            .put("db_name", "traced_mongo_" + UUID.randomUUID().toString().substring(0, 8));
    MongoClient raw = MongoClient.create(vertx, config);
    try {
      assertThat(TracedMongo.wrap(plain, raw)).as("tracing off: the client itself").isSameAs(raw);
      MongoClient mongo = TracedMongo.wrap(vertx, raw);
      Span parent = Tracing.of(vertx).tracer().spanBuilder("request").startSpan();
      Promise<Long> counted = Promise.promise();
      vertx.runOnContext(
          v -> {
            Future<Long> f;
            try (Scope ignored = parent.makeCurrent()) {
              f =
                  mongo
                      .insert("things", new JsonObject().put("n", 1))
                      .compose(id -> mongo.count("things", new JsonObject()));
            }
            f.onComplete(counted);
          });
      assertThat(counted.future().await(10, TimeUnit.SECONDS)).isEqualTo(1);
      parent.end();
      // outside a span: no span
      assertThat(mongo.count("things", new JsonObject()).await(10, TimeUnit.SECONDS)).isEqualTo(1);

      List<SpanData> calls =
          spans.getFinishedSpanItems().stream()
              .filter(s -> s.getKind() == SpanKind.CLIENT)
              .toList();
      assertThat(calls).extracting(SpanData::getName).containsExactly("insert things");
      SpanData insert = calls.get(0);
      assertThat(insert.getParentSpanId()).isEqualTo(parent.getSpanContext().getSpanId());
      assertThat(insert.getAttributes().get(TracedMongo.SYSTEM)).isEqualTo("mongodb");
      assertThat(insert.getAttributes().get(TracedMongo.COLLECTION)).isEqualTo("things");
    } finally {
      raw.close().await(5, TimeUnit.SECONDS);
      plain.close().await(5, TimeUnit.SECONDS);
      vertx.close().await(5, TimeUnit.SECONDS);
      otel.close();
    }
  }
}
