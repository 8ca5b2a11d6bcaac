package dev.tarifa.shared.tracing;

import dev.tarifa.shared.config.Env;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.shareddata.Shareable;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Distributed tracing of one process: the OpenTelemetry SDK, configured by the standard {@code
 * OTEL_*} variables, handed to Vert.x's tracing SPI (vertx-opentelemetry: HTTP server and client
 * spans with W3C {@code traceparent} propagation, PostgreSQL and Redis client spans) and to the
 * project's own spans (quote cache, events).
 *
 * <h2>When tracing is on</h2>
 *
 * Off unless asked for, so the embedded all-in-one and the tests export nothing and pay nothing: it
 * is on when {@code OTEL_SDK_DISABLED=false}, or when {@code OTEL_SDK_DISABLED} is not {@code true}
 * and an exporter is named ({@code OTEL_EXPORTER_OTLP_ENDPOINT}, {@code
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}, or {@code OTEL_TRACES_EXPORTER} other than {@code none}).
 * Off, Vert.x has no tracer at all and {@link #tracer()} is a no-op tracer.
 *
 * <h2>Defaults (each overridden by its variable)</h2>
 *
 * {@code OTEL_SERVICE_NAME} = the service's name ({@code gateway}, {@code flights}, ..., {@code
 * tarifa} for the all-in-one); {@code OTEL_TRACES_SAMPLER=parentbased_traceidratio} with {@code
 * OTEL_TRACES_SAMPLER_ARG=0.1} (one trace in ten, decided at the edge and followed downstream);
 * {@code OTEL_TRACES_EXPORTER=otlp} ({@code OTEL_EXPORTER_OTLP_PROTOCOL} {@code grpc} on 4317 by
 * default, or {@code http/protobuf} on 4318); {@code OTEL_PROPAGATORS=tracecontext}; metrics and
 * logs are not exported through OpenTelemetry ({@code /metrics} and stdout serve them). Liveness,
 * readiness and scrape requests ({@code /health/*}, {@code /metrics}) never start a trace ({@link
 * ProbeFilter}). Vert.x gets vertx-opentelemetry's tracer through {@link LeanTracer}.
 *
 * <p>Start-up does not block on the exporter: spans are batched and exported on the SDK's own
 * thread, which opens its connection on the first export; an unreachable collector costs dropped
 * spans and a warning, never a request.
 *
 * <p>A {@link Vertx} built with {@link #configure} and then {@link #install}ed knows its tracing:
 * components find it with {@link #of(Vertx)}; a Vert.x built otherwise (tests) has tracing
 * disabled.
 */
public final class Tracing implements Shareable, AutoCloseable {
  /** Instrumentation scope of the project's own spans. */
  public static final String SCOPE = "dev.tarifa";

  /**
   * The variables forwarded to the SDK's autoconfiguration (besides the real environment, which it
   * reads too).
   */
  static final List<String> KEYS =
      List.of(
          "OTEL_SDK_DISABLED",
          "OTEL_SERVICE_NAME",
          "OTEL_RESOURCE_ATTRIBUTES",
          "OTEL_TRACES_EXPORTER",
          "OTEL_TRACES_SAMPLER",
          "OTEL_TRACES_SAMPLER_ARG",
          "OTEL_PROPAGATORS",
          "OTEL_EXPORTER_OTLP_ENDPOINT",
          "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
          "OTEL_EXPORTER_OTLP_PROTOCOL",
          "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL",
          "OTEL_EXPORTER_OTLP_HEADERS",
          "OTEL_EXPORTER_OTLP_TRACES_HEADERS",
          "OTEL_EXPORTER_OTLP_TIMEOUT",
          "OTEL_EXPORTER_OTLP_COMPRESSION",
          "OTEL_BSP_SCHEDULE_DELAY",
          "OTEL_BSP_MAX_QUEUE_SIZE",
          "OTEL_BSP_MAX_EXPORT_BATCH_SIZE",
          "OTEL_BSP_EXPORT_TIMEOUT");

  public static final String DEFAULT_SAMPLER = "parentbased_traceidratio";
  public static final String DEFAULT_SAMPLER_ARG = "0.1";

  private static final Logger log = LoggerFactory.getLogger(Tracing.class);
  private static final String LOCAL_MAP = "tarifa.tracing";
  private static final Tracing DISABLED = new Tracing(OpenTelemetry.noop(), null, false);
  private static final TextMapGetter<String> TRACEPARENT =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
          return List.of("traceparent");
        }

        @Override
        public String get(String carrier, String key) {
          return "traceparent".equals(key) ? carrier : null;
        }
      };

  private final OpenTelemetry openTelemetry;
  private final OpenTelemetrySdk owned;
  private final Tracer tracer;
  private final boolean enabled;

  private Tracing(OpenTelemetry openTelemetry, OpenTelemetrySdk owned, boolean enabled) {
    this.openTelemetry = openTelemetry;
    this.owned = owned;
    this.enabled = enabled;
    this.tracer = openTelemetry.getTracer(SCOPE);
  }

  /** No tracing: Vert.x gets no tracer, the project's spans are no-ops. */
  public static Tracing disabled() {
    return DISABLED;
  }

  /**
   * Tracing on an OpenTelemetry instance the caller configured and owns (tests: an in-memory
   * exporter); {@link #close()} does not shut it down.
   */
  public static Tracing using(OpenTelemetry openTelemetry) {
    return new Tracing(openTelemetry, null, true);
  }

  /**
   * Tracing as configured by the {@code OTEL_*} variables of {@code env} (see the class
   * description), or {@link #disabled()}. An invalid value (an unknown sampler, a malformed
   * endpoint) fails here, at start-up.
   *
   * @param serviceName the default {@code service.name}
   */
  public static Tracing fromEnv(Env env, String serviceName) {
    if (!enabledBy(env)) return DISABLED;
    Map<String, String> defaults = new HashMap<>();
    defaults.put("otel.service.name", serviceName);
    defaults.put("otel.traces.sampler", DEFAULT_SAMPLER);
    defaults.put("otel.traces.sampler.arg", DEFAULT_SAMPLER_ARG);
    defaults.put("otel.metrics.exporter", "none");
    defaults.put("otel.logs.exporter", "none");
    defaults.put(
        "otel.propagators", "tracecontext"); // W3C trace context only: nothing here uses baggage
    Map<String, String> configured = new HashMap<>();
    for (String key : KEYS) env.get(key).ifPresent(v -> configured.put(property(key), v));
    configured.remove("otel.sdk.disabled");
    OpenTelemetrySdk sdk =
        AutoConfiguredOpenTelemetrySdk.builder()
            .addPropertiesSupplier(() -> defaults)
            .addPropertiesSupplier(() -> configured)
            .addSamplerCustomizer((sampler, config) -> new ProbeFilter(sampler))
            .disableShutdownHook() // closed by the launcher after Vert.x, so the last spans are
            // flushed
            .build()
            .getOpenTelemetrySdk();
    log.info(
        "tracing on: service {}, sampler {} {}, exporter {}",
        env.string("OTEL_SERVICE_NAME", serviceName),
        env.string("OTEL_TRACES_SAMPLER", DEFAULT_SAMPLER),
        env.string("OTEL_TRACES_SAMPLER_ARG", DEFAULT_SAMPLER_ARG),
        env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
            .or(() -> env.get("OTEL_EXPORTER_OTLP_ENDPOINT"))
            .orElse(env.string("OTEL_TRACES_EXPORTER", "otlp (default endpoint)")));
    return new Tracing(sdk, sdk, true);
  }

  /** Whether {@code env} asks for tracing (see the class description). */
  static boolean enabledBy(Env env) {
    Optional<String> disabled =
        env.get("OTEL_SDK_DISABLED").map(v -> v.trim().toLowerCase(Locale.ROOT));
    if (disabled.filter("true"::equals).isPresent()) return false;
    if (disabled.filter("false"::equals).isPresent()) return true;
    return env.get("OTEL_EXPORTER_OTLP_ENDPOINT").isPresent()
        || env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT").isPresent()
        || env.get("OTEL_TRACES_EXPORTER")
            .filter(v -> !v.isBlank() && !"none".equalsIgnoreCase(v.trim()))
            .isPresent();
  }

  private static String property(String envKey) {
    return envKey.toLowerCase(Locale.ROOT).replace('_', '.');
  }

  public boolean enabled() {
    return enabled;
  }

  /** The tracer of the project's own spans (a no-op tracer when disabled). */
  public Tracer tracer() {
    return tracer;
  }

  public OpenTelemetry openTelemetry() {
    return openTelemetry;
  }

  /**
   * Gives {@code builder} the Vert.x tracer when enabled (vertx-opentelemetry's, with less work for
   * unsampled requests: {@link LeanTracer}); leaves it untouched otherwise.
   */
  public VertxBuilder configure(VertxBuilder builder) {
    return enabled ? builder.withTracer(LeanTracer.factory(openTelemetry)) : builder;
  }

  /** Makes this the tracing {@link #of(Vertx)} returns for {@code vertx}. */
  public Vertx install(Vertx vertx) {
    vertx.sharedData().<String, Tracing>getLocalMap(LOCAL_MAP).put("tracing", this);
    return vertx;
  }

  /** The tracing {@link #install}ed on {@code vertx}, else {@link #disabled()}. */
  public static Tracing of(Vertx vertx) {
    Tracing t = vertx.sharedData().<String, Tracing>getLocalMap(LOCAL_MAP).get("tracing");
    return t == null ? DISABLED : t;
  }

  /**
   * The W3C {@code traceparent} of the current span (the request being served, on its Vert.x
   * context), or null when there is none. Cheap when tracing is off: one context-local read.
   */
  public static String currentTraceparent() {
    return traceparent(Span.current().getSpanContext());
  }

  /** {@code 00-<trace id>-<span id>-<flags>}, or null for an invalid context. */
  public static String traceparent(SpanContext sc) {
    if (!sc.isValid()) return null;
    return "00-" + sc.getTraceId() + "-" + sc.getSpanId() + "-" + sc.getTraceFlags().asHex();
  }

  /**
   * The remote parent a stored {@code traceparent} names (the root context when null or malformed).
   */
  public static Context contextOf(String traceparent) {
    if (traceparent == null) return Context.root();
    return W3CTraceContextPropagator.getInstance()
        .extract(Context.root(), traceparent, TRACEPARENT);
  }

  /** Flushes and shuts down the SDK this instance created (at most 10 s); nothing otherwise. */
  @Override
  public void close() {
    if (owned == null) return;
    CompletableResultCode done = owned.shutdown();
    if (!done.join(10, TimeUnit.SECONDS).isSuccess())
      log.warn("tracing: spans may be lost, the exporter did not flush in time");
  }
}
