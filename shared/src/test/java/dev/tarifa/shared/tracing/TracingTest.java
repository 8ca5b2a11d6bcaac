package dev.tarifa.shared.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import dev.tarifa.shared.config.ConfigException;
import dev.tarifa.shared.config.Env;
import dev.tarifa.shared.health.Health;
import dev.tarifa.shared.http.AccessLog;
import dev.tarifa.shared.http.Routers;
import dev.tarifa.shared.launch.ServiceLauncher;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** When tracing is on, what the SDK is configured with, and the trace ids in JSON log lines. */
class TracingTest {

  @Test
  void offUnlessTheEnvironmentAsksForIt() {
    assertThat(Tracing.enabledBy(env())).isFalse();
    assertThat(
            Tracing.enabledBy(
                env("OTEL_SERVICE_NAME", "gateway", "OTEL_TRACES_SAMPLER", "always_on")))
        .as("no exporter named")
        .isFalse();
    assertThat(Tracing.enabledBy(env("OTEL_EXPORTER_OTLP_ENDPOINT", "http://jaeger:4317")))
        .isTrue();
    assertThat(
            Tracing.enabledBy(
                env("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://jaeger:4318/v1/traces")))
        .isTrue();
    assertThat(Tracing.enabledBy(env("OTEL_TRACES_EXPORTER", "otlp"))).isTrue();
    assertThat(Tracing.enabledBy(env("OTEL_TRACES_EXPORTER", "none"))).isFalse();
    assertThat(Tracing.enabledBy(env("OTEL_SDK_DISABLED", "false"))).isTrue();
    assertThat(
            Tracing.enabledBy(
                env(
                    "OTEL_SDK_DISABLED",
                    "true",
                    "OTEL_EXPORTER_OTLP_ENDPOINT",
                    "http://jaeger:4317")))
        .isFalse();
    assertThat(Tracing.fromEnv(env(), "gateway")).isSameAs(Tracing.disabled());
    assertThat(Tracing.disabled().enabled()).isFalse();
  }

  @Test
  void theSdkIsBuiltFromTheVariablesAndABadValueIsAConfigurationError() {
    try (Tracing t =
        Tracing.fromEnv(
            env("OTEL_SDK_DISABLED", "false", "OTEL_TRACES_EXPORTER", "none"), "gateway")) {
      assertThat(t.enabled()).isTrue();
      // the default sampler, wrapped so that probes start no trace
      assertThat(t.openTelemetry().toString())
          .contains("ProbeFilter{ParentBased{root:TraceIdRatioBased{0.100000}")
          .contains("service.name=\"gateway\"");
    }
    try (Tracing t =
        Tracing.fromEnv(
            env(
                "OTEL_TRACES_EXPORTER",
                "none",
                "OTEL_SDK_DISABLED",
                "false",
                "OTEL_TRACES_SAMPLER",
                "always_on",
                "OTEL_SERVICE_NAME",
                "edge"),
            "gateway")) {
      assertThat(t.openTelemetry().toString())
          .contains("ProbeFilter{AlwaysOnSampler}")
          .contains("service.name=\"edge\"");
    }
    assertThatThrownBy(
            () ->
                ServiceLauncher.tracing(
                    env("OTEL_SDK_DISABLED", "false", "OTEL_TRACES_SAMPLER", "sometimes"),
                    "gateway"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("OTEL_*: cannot configure tracing")
        .hasMessageContaining("sometimes");
  }

  @Test
  void jsonLogLinesCarryTheTraceAndSpanIdsAndProbesStartNoTrace() throws Exception {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    OpenTelemetrySdk otel =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .setSampler(new ProbeFilter(Sampler.alwaysOn()))
                    .addSpanProcessor(SimpleSpanProcessor.create(spans))
                    .build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
    List<String> lines = new CopyOnWriteArrayList<>();
    Logger hello = (Logger) LoggerFactory.getLogger("tarifa.test.hello");
    Logger access = (Logger) LoggerFactory.getLogger("tarifa.access");
    JsonLines appender = new JsonLines(jsonEncoder(), lines);
    appender.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
    appender.start();
    hello.addAppender(appender);
    access.addAppender(appender);
    Vertx vertx = ServiceLauncher.newVertx(Tracing.using(otel));
    Vertx clientVertx = Vertx.vertx();
    try {
      assertThat(Tracing.of(vertx).enabled()).isTrue();
      assertThat(Tracing.of(clientVertx).enabled()).isFalse();
      Router router = Routers.create(vertx, new Health(vertx));
      // the access log writes after the response ended, when the request's span is no longer
      // current
      router
          .get("/hello")
          .handler(new AccessLog())
          .handler(
              ctx -> {
                hello.info("handling hello");
                ctx.end("hi");
              });
      HttpServer server =
          vertx.createHttpServer().requestHandler(router).listen(0).await(5, TimeUnit.SECONDS);
      WebClient client = WebClient.create(clientVertx);
      for (String uri : List.of("/health/live", "/health/ready", "/metrics", "/hello")) {
        assertThat(
                client
                    .get(server.actualPort(), "127.0.0.1", uri)
                    .send()
                    .await(5, TimeUnit.SECONDS)
                    .statusCode())
            .as(uri)
            .isBetween(200, 299);
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (lines.size() < 2 && System.nanoTime() < deadline) Thread.sleep(10);

      List<SpanData> server_ =
          spans.getFinishedSpanItems().stream()
              .filter(s -> s.getKind() == SpanKind.SERVER)
              .toList();
      assertThat(server_).as("only /hello is traced").hasSize(1);
      SpanData span = server_.get(0);
      assertThat(span.getAttributes().get(ProbeFilter.URL_PATH)).isEqualTo("/hello");
      // a recorded span has every tag, those LeanTracer extracts only after the sampling decision
      // included
      assertThat(span.getAttributes().get(AttributeKey.stringKey("http.url")))
          .endsWith(":" + server.actualPort() + "/hello");
      assertThat(span.getAttributes().get(AttributeKey.stringKey("url.scheme"))).isEqualTo("http");
      assertThat(span.getAttributes().get(AttributeKey.stringKey("http.request.method")))
          .isEqualTo("GET");
      assertThat(span.getAttributes().get(AttributeKey.stringKey("http.response.status_code")))
          .isEqualTo("200");
      assertThat(lines).hasSize(2);
      for (String line : lines) {
        JsonObject json = new JsonObject(line);
        assertThat(json.getString("traceId")).as(line).isEqualTo(span.getTraceId());
        assertThat(json.getString("spanId")).as(line).isEqualTo(span.getSpanId());
      }
      assertThat(new JsonObject(lines.get(0)).getString("message")).isEqualTo("handling hello");
      assertThat(new JsonObject(lines.get(1)).getString("logger_name")).isEqualTo("tarifa.access");
      // the access log (RequestIds.log) has the request id beside them
      assertThat(new JsonObject(lines.get(1)).getString("requestId")).isNotBlank();

      // a caller's traceparent is followed (the lean header lookup finds it)
      spans.reset();
      String callerTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
      assertThat(
              client
                  .get(server.actualPort(), "127.0.0.1", "/hello")
                  .putHeader("traceparent", "00-" + callerTrace + "-00f067aa0ba902b7-01")
                  .send()
                  .await(5, TimeUnit.SECONDS)
                  .statusCode())
          .isEqualTo(200);
      SpanData followed = waitForServerSpan(spans);
      assertThat(followed.getTraceId()).isEqualTo(callerTrace);
      assertThat(followed.getParentSpanId()).isEqualTo("00f067aa0ba902b7");

      // outside any request: no trace fields
      lines.clear();
      hello.info("idle");
      assertThat(new JsonObject(lines.get(0)).containsKey("traceId")).isFalse();
    } finally {
      hello.detachAppender(appender);
      access.detachAppender(appender);
      clientVertx.close().await(5, TimeUnit.SECONDS);
      vertx.close().await(5, TimeUnit.SECONDS);
      otel.close();
    }
  }

  private static SpanData waitForServerSpan(InMemorySpanExporter spans)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline) {
      var found =
          spans.getFinishedSpanItems().stream()
              .filter(s -> s.getKind() == SpanKind.SERVER)
              .findFirst();
      if (found.isPresent()) return found.get();
      Thread.sleep(10);
    }
    throw new AssertionError("no server span");
  }

  @Test
  void theLeanTracerLooksUpOnlyThePropagationHeadersAndExtractsOnlySamplerTagsBeforeStart() {
    io.vertx.core.MultiMap none =
        io.vertx.core.MultiMap.caseInsensitiveMultiMap().add("Accept", "*/*").add("Host", "x");
    assertThat(LeanTracer.propagated(none)).isEmpty();
    io.vertx.core.MultiMap traced =
        io.vertx.core.MultiMap.caseInsensitiveMultiMap()
            .add("Accept", "*/*")
            .add("TraceParent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
            .add("tracestate", "a=b");
    assertThat(LeanTracer.propagated(traced))
        .extracting(Map.Entry::getKey)
        .containsExactly("traceparent", "tracestate");
    List<Map.Entry<String, String>> other = List.of(Map.entry("traceparent", "x"));
    assertThat(LeanTracer.propagated(other)).as("unknown carrier: as is").isSameAs(other);

    io.vertx.core.spi.tracing.TagExtractor<String[]> all =
        new io.vertx.core.spi.tracing.TagExtractor<>() {
          final String[] names = {
            "http.url", "http.request.method", "url.scheme", "url.path", "url.query"
          };

          @Override
          public int len(String[] obj) {
            return obj.length;
          }

          @Override
          public String name(String[] obj, int index) {
            return names[index];
          }

          @Override
          public String value(String[] obj, int index) {
            return obj[index];
          }
        };
    var subset = new LeanTracer.Subset<>(all);
    String[] request = {"http://h/p?q", "GET", "http", "/p", "q"};
    assertThat(subset.len(request)).isEqualTo(3);
    assertThat(List.of(subset.name(request, 0), subset.name(request, 1), subset.name(request, 2)))
        .containsExactly("http.request.method", "url.path", "url.query");
    assertThat(subset.value(request, 1)).isEqualTo("/p");
    assertThatThrownBy(() -> subset.name(request, 3)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  /**
   * The encoder of the {@code json} appender of the production logback.xml ({@code
   * TARIFA_LOG_FORMAT=json}).
   */
  @SuppressWarnings("unchecked")
  private static Encoder<ILoggingEvent> jsonEncoder() throws Exception {
    LoggerContext lc = new LoggerContext();
    lc.putProperty("TARIFA_LOG_FORMAT", "json");
    JoranConfigurator jc = new JoranConfigurator();
    jc.setContext(lc);
    jc.doConfigure(TracingTest.class.getResource("/logback.xml"));
    var appender =
        (OutputStreamAppender<ILoggingEvent>)
            lc.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("json");
    assertThat(appender).as("json appender of logback.xml").isNotNull();
    return appender.getEncoder();
  }

  /** Encodes on the logging thread, as the console appender does. */
  private static final class JsonLines extends AppenderBase<ILoggingEvent> {
    private final Encoder<ILoggingEvent> encoder;
    private final List<String> lines;

    JsonLines(Encoder<ILoggingEvent> encoder, List<String> lines) {
      this.encoder = encoder;
      this.lines = lines;
    }

    @Override
    protected void append(ILoggingEvent event) {
      lines.add(new String(encoder.encode(event), StandardCharsets.UTF_8).trim());
    }
  }

  private static Env env(String... kv) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
    return Env.of(m);
  }
}
