package dev.tarifa.shared.health;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import java.util.function.Supplier;

/**
 * Liveness and readiness of one service. Liveness answers as long as the event loop does; readiness
 * runs the registered checks (each bounded by {@link #CHECK_TIMEOUT_MS}) and answers 503 naming the
 * failing check.
 *
 * <p>Readiness is what an orchestrator uses to route traffic to this process, so it covers only
 * what the process itself needs to serve (its HTTP server, which answers only after start-up is
 * done, and its own datastore). A dependency whose loss only degrades answers (another service, a
 * cache layer, the broker) is registered with {@link #status} and reports itself up with {@code
 * degraded: true}: failing readiness for it would take every replica out of service at once and
 * turn one failed dependency into a full outage.
 */
public final class Health {
  public static final long CHECK_TIMEOUT_MS = 2000;

  private final String service;
  private final HealthChecks live;
  private final HealthChecks ready;

  /** Health of an unnamed server (tests and tools); services use {@link #Health(Vertx, String)}. */
  public Health(Vertx vertx) {
    this(vertx, "unnamed");
  }

  /**
   * @param service the service's name ({@code gateway}, {@code flights}, ...): labels its HTTP
   *     request meters ({@code server}), so that services sharing one JVM and one registry keep
   *     apart series
   */
  public Health(Vertx vertx, String service) {
    this.service = service;
    this.live = HealthChecks.create(vertx).register("event-loop", p -> p.complete(Status.OK()));
    this.ready = HealthChecks.create(vertx);
  }

  /** Registers a readiness check that is up when {@code probe} succeeds within the timeout. */
  public Health check(String name, Supplier<Future<?>> probe) {
    ready.register(
        name,
        CHECK_TIMEOUT_MS,
        promise -> {
          Future<?> f;
          try {
            f = probe.get();
          } catch (RuntimeException e) {
            f = Future.failedFuture(e);
          }
          f.onComplete(
              ar -> {
                if (ar.succeeded()) promise.tryComplete(Status.OK());
                else
                  promise.tryComplete(
                      Status.KO(
                          new JsonObject().put("error", String.valueOf(ar.cause().getMessage()))));
              });
        });
    return this;
  }

  /**
   * Registers a check computed by the caller: up or down with details. A dependency the service can
   * serve without reports {@code Status.OK(data)} with {@code degraded: true} in {@code data}; a
   * failed future is a failed check.
   */
  public Health status(String name, Supplier<Future<Status>> probe) {
    ready.register(
        name,
        CHECK_TIMEOUT_MS,
        promise -> {
          Future<Status> f;
          try {
            f = probe.get();
          } catch (RuntimeException e) {
            f = Future.failedFuture(e);
          }
          f.onComplete(
              ar -> {
                if (ar.succeeded()) promise.tryComplete(ar.result());
                else
                  promise.tryComplete(
                      Status.KO(
                          new JsonObject().put("error", String.valueOf(ar.cause().getMessage()))));
              });
        });
    return this;
  }

  /** The service whose health this is. */
  public String service() {
    return service;
  }

  public Handler<RoutingContext> liveness() {
    return HealthCheckHandler.createWithHealthChecks(live);
  }

  /**
   * {@code GET /health/ready}: 200 with {@code {"status":"UP","checks":[{id, status,
   * data}...],"outcome":"UP"}} when every check is up, else 503 naming the failing check. When some
   * up checks report {@code degraded: true}, the answer's {@code data.degraded} lists their ids
   * (for example {@code ["reviews"]}), so an operator sees at a glance what a ready service is
   * running without.
   */
  public Handler<RoutingContext> readiness() {
    return HealthCheckHandler.createWithHealthChecks(ready).resultMapper(Health::summariseDegraded);
  }

  private static Future<CheckResult> summariseDegraded(CheckResult result) {
    JsonArray degraded = new JsonArray();
    if (result.getChecks() != null) {
      for (CheckResult c : result.getChecks()) {
        if (Boolean.TRUE.equals(c.getUp())
            && c.getData() != null
            && c.getData().getBoolean("degraded", false)) degraded.add(c.getId());
      }
    }
    if (!degraded.isEmpty()) {
      // the root of a composite result has no status of its own (up is derived from its checks):
      // give it one
      Status root =
          result.getStatus() != null
              ? result.getStatus()
              : new Status().setOk(Boolean.TRUE.equals(result.getUp()));
      root.setData(
          (root.getData() == null ? new JsonObject() : root.getData()).put("degraded", degraded));
      result.setStatus(root);
    }
    return Future.succeededFuture(result);
  }

  public HealthChecks readinessChecks() {
    return ready;
  }
}
