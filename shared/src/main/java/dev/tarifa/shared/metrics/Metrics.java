package dev.tarifa.shared.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.VertxOptions;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.EnumSet;

/**
 * One Prometheus registry per JVM. Vert.x's own meters (HTTP client, pools, event loops) and the
 * project's meters ({@code tarifa_*}) land in it; every service serves it at {@code GET /metrics}.
 */
public final class Metrics {
  private static final PrometheusMeterRegistry REGISTRY =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  private Metrics() {}

  public static MeterRegistry registry() {
    return REGISTRY;
  }

  /**
   * Vert.x options with Micrometer metrics enabled (HTTP client, pools, event bus, JVM). The HTTP
   * server's request meters come from {@link HttpServerMeters} instead (same information, a
   * fraction of the cost per request).
   */
  public static VertxOptions vertxOptions() {
    MicrometerMetricsOptions metrics =
        new MicrometerMetricsOptions()
            .setEnabled(true)
            .setJvmMetricsEnabled(true)
            .addDisabledMetricsCategory(MetricsDomain.HTTP_SERVER)
            .setLabels(
                EnumSet.of(
                    Label.HTTP_METHOD,
                    Label.HTTP_CODE,
                    Label.HTTP_ROUTE,
                    Label.LOCAL,
                    Label.REMOTE,
                    Label.POOL_TYPE,
                    Label.POOL_NAME,
                    Label.NAMESPACE));
    return new VertxOptions().setMetricsOptions(metrics);
  }

  public static MicrometerMetricsFactory factory() {
    return new MicrometerMetricsFactory(REGISTRY);
  }

  public static Handler<RoutingContext> scrapeHandler() {
    return ctx ->
        ctx.response()
            .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
            .end(REGISTRY.scrape());
  }
}
