package dev.tarifa.shared.http;

import dev.tarifa.shared.config.Env;
import dev.tarifa.shared.health.Health;
import dev.tarifa.shared.metrics.HttpServerMeters;
import dev.tarifa.shared.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The common frame of every service's router: request meters ({@link HttpServerMeters}), request
 * ids, body limits, the problem failure handler, problem answers for unknown routes (404) and wrong
 * methods (405), health and metrics; and {@link #async}, the shape of every route handler.
 */
public final class Routers {
  public static final long DEFAULT_BODY_LIMIT = 64 * 1024;

  /**
   * Request meters by service name ({@link Health#service()}), shared by that service's verticle
   * instances.
   */
  private static final Map<String, HttpServerMeters> REQUEST_METERS = new ConcurrentHashMap<>();

  private static final boolean ACCESS_LOG = Env.system().bool("TARIFA_ACCESS_LOG", false);

  private Routers() {}

  /** A router with the common frame; the service adds its routes after this. */
  public static Router create(Vertx vertx, Health health) {
    return create(vertx, health, DEFAULT_BODY_LIMIT);
  }

  /**
   * A router with the common frame and {@code edge} handlers (security headers, limits, rate
   * limiting) that run on every route except health and metrics, before any request body is read,
   * so that every answer after them, including a 413 for an oversized body, passes through them.
   */
  @SafeVarargs
  public static Router create(
      Vertx vertx, Health health, long bodyLimit, Handler<RoutingContext>... edge) {
    Router router = Router.router(vertx);
    router
        .route()
        .handler(
            REQUEST_METERS.computeIfAbsent(
                health.service(), s -> new HttpServerMeters(Metrics.registry(), s)));
    router.route().handler(new RequestIds());
    if (ACCESS_LOG) router.route().handler(new AccessLog());
    router.get("/health/live").handler(health.liveness());
    router.get("/health/ready").handler(health.readiness());
    router.get("/metrics").handler(Metrics.scrapeHandler());
    for (Handler<RoutingContext> h : edge) router.route().handler(h);
    router.route().handler(BodyHandler.create(false).setBodyLimit(bodyLimit));
    ProblemHandler problems = new ProblemHandler();
    // last: the failure handlers that note a failed request's route for the meters
    // (HttpServerMeters.labelFailuresByRoute) run before it answers
    router.route().last().failureHandler(problems);
    router.errorHandler(
        404,
        ctx ->
            ProblemHandler.write(ctx, Problem.notFound("no resource at " + ctx.request().path())));
    router.errorHandler(
        405,
        ctx ->
            ProblemHandler.write(
                ctx,
                new Problem(
                    405,
                    "Method Not Allowed",
                    ctx.request().method() + " is not allowed on " + ctx.request().path())));
    router.errorHandler(500, problems);
    return router;
  }

  /**
   * A route handler made of a function that answers the request through a future, so handlers are
   * straight-line code with no error handling of their own:
   *
   * <pre>{@code
   * router.get("/admin/v1/hotels/:id").handler(Routers.async(this::getHotel));
   *
   * private Future<Void> getHotel(RoutingContext ctx) {
   *   long id = Params.path(ctx).id("id");                    // a bad id throws a 400 Problem
   *   return hotels.hotel(id)                                  // absent: fails with a NotFound
   *     .compose(h -> Responses.json(ctx, 200, h.toJson()));
   * }
   * }</pre>
   *
   * {@code action} writes the answer itself and returns the future of writing it (or of anything
   * that must succeed for the request to count as answered). An exception it throws, as vert.x-web
   * does for any handler, and a failure of the future it returns both go to the router's failure
   * handler ({@link ProblemHandler}), which answers with the problem detail of a {@link Problem} or
   * of a {@link dev.tarifa.shared.domain.DomainException}, and a 500 otherwise. A failure after the
   * answer has begun cannot change it: the failure handler then resets the stream.
   *
   * @param action writes the answer to the request; must not return null
   * @return a handler for {@code Route.handler}, one per route, safe to share between event loops
   *     when {@code action} is
   */
  public static Handler<RoutingContext> async(
      Function<RoutingContext, ? extends Future<?>> action) {
    return ctx -> action.apply(ctx).onFailure(ctx::fail);
  }
}
