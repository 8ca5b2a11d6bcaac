package dev.tarifa.gateway.upstream;

import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpResponseExpectation;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.util.Locale;
import java.util.Map;

/**
 * The state of each upstream as the gateway sees it: whether it answers {@code GET /health/live}
 * and the state of its circuit. Reported, never failing the gateway's readiness: a gateway without
 * one upstream still serves the others (and cached answers of that one), and failing readiness
 * would take every gateway replica out of its Service at once. Each probe sets {@code
 * tarifa_gateway_upstream_up{upstream}} ({@link GatewayMetrics}); a timer probes every {@link
 * #INTERVAL_MS} so that the gauge stays current without probe traffic.
 */
public final class UpstreamHealth {
  /** How often every upstream is probed in the background. */
  public static final long INTERVAL_MS = 5_000;

  /** Bound on one probe: well inside the readiness check's own bound. */
  public static final long PROBE_TIMEOUT_MS = 1_000;

  private final Vertx vertx;
  private final WebClient client;
  private final Map<String, URI> urls;
  private final Breakers breakers;
  private long timer = -1;

  public UpstreamHealth(Vertx vertx, WebClient client, Map<String, URI> urls, Breakers breakers) {
    this.vertx = vertx;
    this.client = client;
    this.urls = Map.copyOf(urls);
    this.breakers = breakers;
  }

  /** Probes every upstream now and then every {@link #INTERVAL_MS}. */
  public UpstreamHealth start() {
    urls.keySet().forEach(this::probe);
    timer = vertx.setPeriodic(INTERVAL_MS, t -> urls.keySet().forEach(this::probe));
    return this;
  }

  public void stop() {
    if (timer >= 0) vertx.cancelTimer(timer);
  }

  /**
   * Probes {@code upstream} now. Always an up status (this is a report, not a readiness condition)
   * whose data is {@code {upstream: up|down, circuit: closed|half_open|open, degraded, error?}};
   * degraded when the upstream does not answer or its circuit is not closed.
   */
  public Future<Status> probe(String upstream) {
    URI url = urls.get(upstream);
    if (url == null)
      return Future.failedFuture(new IllegalArgumentException("unknown upstream " + upstream));
    return client
        .getAbs(url.resolve("/health/live").toString())
        .timeout(PROBE_TIMEOUT_MS)
        .send()
        .expecting(HttpResponseExpectation.SC_SUCCESS)
        .transform(
            ar -> {
              boolean up = ar.succeeded();
              GatewayMetrics.upstreamUp(upstream, up);
              CircuitBreakerState circuit = breakers.of(upstream).state();
              JsonObject data =
                  new JsonObject()
                      .put("upstream", up ? "up" : "down")
                      .put("circuit", circuit.name().toLowerCase(Locale.ROOT))
                      .put("degraded", !up || circuit != CircuitBreakerState.CLOSED);
              if (!up) data.put("error", String.valueOf(ar.cause().getMessage()));
              return Future.succeededFuture(Status.OK(data));
            });
  }
}
