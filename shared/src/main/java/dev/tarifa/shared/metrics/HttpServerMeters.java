package dev.tarifa.shared.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
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
 * {@code route} is the path template of the route the request was routed to ({@code
 * /api/v1/hotels/:id}), so its cardinality is bounded by the route table. A request that fails
 * after routing (a handler's {@code ctx.fail} or exception, answered by the router's catch-all
 * failure handler) keeps the template of the route it matched, once {@link #labelFailuresByRoute}
 * has run over the router; only a request that matches no route with a path (404, 405, a failure on
 * an unmatched path) is labelled {@code *}. Requests whose connection closed before an answer have
 * status {@code 0}.
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

  /** The context key of the route a failed request matched ({@link #labelFailuresByRoute}). */
  private static final String FAILED_ROUTE = HttpServerMeters.class.getName() + ".failedRoute";

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
          timer(route(ctx), ctx.request().method(), status)
              .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        });
    ctx.next();
  }

  /**
   * Makes the requests that fail after routing count under the route they matched rather than under
   * {@code *}: adds to every route of {@code router} that has a path a failure handler that notes
   * the route and passes the failure on ({@code ctx.next()}), answering nothing. When several
   * routes match, the most specific one is the label, as the route whose handler answers would be:
   * a route bound to methods before one for any method (an authorisation step such as {@code
   * route("/admin/v1/hotels*")}), then a whole template before a prefix, then the longer prefix;
   * otherwise the first in route order.
   *
   * <p>Call once, after every route is added, on a router whose answering failure handler is on a
   * route {@linkplain Route#last() ordered last}, as {@code Routers.create} orders it ({@code
   * HttpVerticle} calls this before it listens): vert.x-web calls the failure handlers of the
   * matching routes in route order, so one ordered before these would answer before the route is
   * noted. Answers are unchanged; the notes cost nothing on requests that do not fail.
   */
  public static void labelFailuresByRoute(Router router) {
    for (Route r : router.getRoutes()) {
      if (r.getPath() != null) r.failureHandler(HttpServerMeters::noteRoute);
    }
  }

  private static void noteRoute(RoutingContext ctx) {
    Route noted = ctx.get(FAILED_ROUTE);
    Route here = ctx.currentRoute();
    if (noted == null || moreSpecific(here, noted)) ctx.put(FAILED_ROUTE, here);
    ctx.next();
  }

  private static boolean moreSpecific(Route route, Route than) {
    boolean bound = route.methods() != null && !route.methods().isEmpty();
    boolean thanBound = than.methods() != null && !than.methods().isEmpty();
    if (bound != thanBound) return bound;
    if (route.isExactPath() != than.isExactPath()) return route.isExactPath();
    return !route.isExactPath() && route.getPath().length() > than.getPath().length();
  }

  /** The route to label: the one that answered, else the one a failed request matched. */
  private static Route route(RoutingContext ctx) {
    Route current = ctx.currentRoute();
    if (current != null && current.getPath() != null) return current;
    Route failed = ctx.failed() ? ctx.get(FAILED_ROUTE) : null;
    return failed != null ? failed : current;
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
