package dev.tarifa.shared.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The request meters of every service's HTTP server, installed first on every router:
 *
 * <ul>
 *   <li>{@code tarifa_http_server_requests_seconds{server,method,route,status}}: a timer (count,
 *       sum, max) with histogram buckets at fixed latency objectives from 1 ms to 5 s, for rates,
 *       error ratios and percentiles;
 *   <li>{@code tarifa_http_server_active_requests{server}}: requests received and not yet answered
 *       (gauge).
 * </ul>
 *
 * {@code server} is the service that answered ({@code gateway}, {@code flights}, ...): in the
 * all-in-one JVM every service shares one registry, and the gateway's {@code
 * /api/v1/flights/search} must not add up with the flights service's route of the same template.
 * {@code route} is the path template of the route whose handler answered ({@code
 * /api/v1/hotels/:id}), so its cardinality is bounded by the route table; answers written by a
 * catch-all route (the problem failure handler, unmatched paths) are labelled {@code *}, and
 * requests whose connection closed before an answer have status {@code 0}.
 *
 * <p>Why not Vert.x's own HTTP server metrics: they resolve four meters per request through
 * Micrometer's tag lookup, about a tenth of the CPU of a gateway cache hit (docs/PERFORMANCE.md).
 * Here a request costs one lookup in a map keyed by the route object and an array read by status;
 * meters are created once per combination.
 */
public final class HttpServerMeters implements Handler<RoutingContext> {
  static final String ANY_ROUTE = "*";
  private static final Duration[] OBJECTIVES = {
    Duration.ofMillis(1),
    Duration.ofMillis(2),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5)
  };
  private static final Object NO_ROUTE = new Object();

  /**
   * One in-flight counter per registry and server, so that its gauge never points at a collected
   * object.
   */
  private static final Map<List<Object>, LongAdder> ACTIVE = new ConcurrentHashMap<>();

  private final MeterRegistry registry;
  private final String server;
  private final LongAdder active;
  private final Map<Object, RouteMeters> routes = new ConcurrentHashMap<>();

  /**
   * @param server the {@code server} tag of every meter: the name of the service whose router this
   *     handler frames
   */
  public HttpServerMeters(MeterRegistry registry, String server) {
    this.registry = registry;
    this.server = server;
    this.active =
        ACTIVE.computeIfAbsent(
            List.of(registry, server),
            k -> {
              LongAdder adder = new LongAdder();
              Gauge.builder("tarifa.http.server.active.requests", adder, LongAdder::sum)
                  .description("HTTP requests received and not yet answered")
                  .tag("server", server)
                  .register(registry);
              return adder;
            });
  }

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    active.increment();
    ctx.addEndHandler(
        ar -> {
          active.decrement();
          // ended: its status, even if the connection closed right after (the end handler then
          // reports a failure)
          int status = ctx.response().ended() ? ctx.response().getStatusCode() : 0;
          timer(ctx.currentRoute(), ctx.request().method(), status)
              .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        });
    ctx.next();
  }

  Timer timer(Route route, HttpMethod method, int status) {
    String template = template(route);
    Object key = template == ANY_ROUTE ? NO_ROUTE : route;
    RouteMeters m = routes.get(key);
    if (m == null) m = routes.computeIfAbsent(key, k -> new RouteMeters(template));
    return m.timer(method, status);
  }

  private static String template(Route route) {
    if (route == null) return ANY_ROUTE;
    String path = route.getPath();
    return path == null ? ANY_ROUTE : path;
  }

  /**
   * The timers of one route, by method and then by status code (an array: no lookup by tags per
   * request).
   */
  private final class RouteMeters {
    private final String route;
    private final Map<HttpMethod, AtomicReferenceArray<Timer>> byMethod = new ConcurrentHashMap<>();

    RouteMeters(String route) {
      this.route = route;
    }

    Timer timer(HttpMethod method, int status) {
      AtomicReferenceArray<Timer> byStatus = byMethod.get(method);
      if (byStatus == null)
        byStatus = byMethod.computeIfAbsent(method, m -> new AtomicReferenceArray<>(600));
      int slot = status >= 100 && status < 600 ? status : 0;
      Timer t = byStatus.get(slot);
      if (t == null) {
        t =
            Timer.builder("tarifa.http.server.requests")
                .description("HTTP requests answered, by server, method, route template and status")
                .tag("server", server)
                .tag("method", method.name())
                .tag("route", route)
                .tag("status", Integer.toString(slot))
                .serviceLevelObjectives(OBJECTIVES)
                .register(registry);
        byStatus.set(slot, t);
      }
      return t;
    }
  }
}
