package dev.tarifa.app;

import dev.tarifa.flights.FlightsConfig;
import dev.tarifa.flights.FlightsService;
import dev.tarifa.gateway.GatewayConfig;
import dev.tarifa.gateway.GatewayService;
import dev.tarifa.shared.auth.AuthConfig;
import dev.tarifa.shared.auth.JwtIssuer;
import dev.tarifa.shared.auth.JwtKeys;
import dev.tarifa.shared.config.Env;
import dev.tarifa.shared.launch.ServiceLauncher;
import dev.tarifa.shared.testing.TestServers;
import dev.tarifa.shared.tracing.Tracing;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The flights service and the gateway in one traced Vert.x (as in the all-in-one), exporting to
 * memory with every trace sampled, plus an untraced client. {@code extra} adds configuration (the
 * RabbitMQ transport, Redis).
 */
final class TracingFixture implements AutoCloseable {
  final InMemorySpanExporter spans = InMemorySpanExporter.create();
  final OpenTelemetrySdk otel;
  final Vertx vertx;
  final Vertx clientVertx;
  final WebClient gateway;
  final String admin;

  TracingFixture(String database, Map<String, String> extra) throws Exception {
    otel =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .setSampler(Sampler.alwaysOn())
                    .addSpanProcessor(SimpleSpanProcessor.create(spans))
                    .build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
    URI pg = TestServers.freshPostgresDatabase(database);
    JwtKeys.KeyPairPem keys = JwtKeys.generateEs256();
    int flightsPort = freePort();
    int gatewayPort = freePort();
    Map<String, String> env = new HashMap<>();
    env.put("TARIFA_FLIGHTS_PORT", String.valueOf(flightsPort));
    env.put("TARIFA_FLIGHTS_PG_URL", pg.toString());
    env.put("TARIFA_CATALOGUE_SIZE", "small");
    env.put("TARIFA_GATEWAY_PORT", String.valueOf(gatewayPort));
    env.put("TARIFA_FLIGHTS_URL", "http://127.0.0.1:" + flightsPort);
    env.put("TARIFA_UPSTREAM_TIMEOUT", "10s");
    env.put("TARIFA_CACHE_ORIGIN_TIMEOUT", "10s");
    env.put("TARIFA_OUTBOX_POLL", "200ms");
    env.put(AuthConfig.PUBLIC_KEY, keys.publicPem());
    env.putAll(extra);
    Env e = Env.of(env);

    vertx = ServiceLauncher.newVertx(Tracing.using(otel));
    await(
        ServiceLauncher.deploy(
            vertx,
            List.of(
                new FlightsService(FlightsConfig.fromEnv(e)),
                new GatewayService(GatewayConfig.fromEnv(e)))));
    clientVertx = Vertx.vertx();
    gateway =
        WebClient.create(
            clientVertx,
            new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(gatewayPort));
    admin =
        JwtIssuer.create(clientVertx, AuthConfig.fromEnv(Env.of(Map.of())).withKeys(keys))
            .issue("admin-tracing", "admin@example.com", Set.of("admin", "user"));
  }

  HttpResponse<Buffer> send(HttpMethod method, String uri, String ifMatch, JsonObject body)
      throws Exception {
    HttpRequest<Buffer> req =
        gateway.request(method, uri).putHeader("Authorization", "Bearer " + admin);
    if (ifMatch != null) req.putHeader("If-Match", ifMatch);
    return await(body == null ? req.send() : req.sendJsonObject(body));
  }

  /** The finished spans of {@code traceId}. */
  List<SpanData> trace(String traceId) {
    return spans.getFinishedSpanItems().stream()
        .filter(s -> s.getTraceId().equals(traceId))
        .toList();
  }

  /**
   * The gateway's server span of {@code method path} (the trace's root), waiting up to 10 s for it
   * to end.
   */
  SpanData gatewayServerSpan(String method, String path) throws InterruptedException {
    return waitFor(
        "gateway server span of " + method + " " + path,
        () ->
            spans.getFinishedSpanItems().stream()
                .filter(s -> s.getKind() == SpanKind.SERVER && !s.getParentSpanContext().isValid())
                .filter(
                    s ->
                        path.equals(
                            s.getAttributes()
                                .get(
                                    io.opentelemetry.api.common.AttributeKey.stringKey(
                                        "url.path"))))
                .filter(
                    s ->
                        method.equals(
                            s.getAttributes()
                                .get(
                                    io.opentelemetry.api.common.AttributeKey.stringKey(
                                        "http.request.method"))))
                .findFirst());
  }

  /** The first finished span of {@code traceId} matching {@code test}, waiting up to 10 s. */
  SpanData waitForSpan(String what, String traceId, Predicate<SpanData> test)
      throws InterruptedException {
    return waitFor(what, () -> trace(traceId).stream().filter(test).findFirst());
  }

  private <T> T waitFor(String what, java.util.function.Supplier<Optional<T>> probe)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      Optional<T> found = probe.get();
      if (found.isPresent()) return found.get();
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "no "
                + what
                + " within 10 s; spans: "
                + spans.getFinishedSpanItems().stream()
                    .map(
                        s ->
                            s.getKind()
                                + " "
                                + s.getName()
                                + " "
                                + s.getTraceId()
                                + "/"
                                + s.getSpanId()
                                + "<-"
                                + s.getParentSpanId())
                    .toList());
      }
      Thread.sleep(20);
    }
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.await(60, TimeUnit.SECONDS);
  }

  private static int freePort() {
    return dev.tarifa.shared.testing.TestPorts.free();
  }

  @Override
  public void close() throws Exception {
    if (clientVertx != null) await(clientVertx.close());
    if (vertx != null) await(vertx.close());
    otel.close();
  }
}
