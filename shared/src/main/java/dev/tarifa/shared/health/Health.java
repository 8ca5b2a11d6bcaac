package dev.tarifa.shared.health;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;

import java.util.function.Supplier;

/**
 * Liveness and readiness of one service. Liveness answers as long as the event loop does; readiness runs the
 * registered checks (each bounded by {@link #CHECK_TIMEOUT_MS}) and answers 503 naming the failing check.
 * A check may report itself degraded (up, with {@code degraded: true}) for optional dependencies.
 */
public final class Health {
  public static final long CHECK_TIMEOUT_MS = 2000;

  private final HealthChecks live;
  private final HealthChecks ready;

  public Health(Vertx vertx) {
    this.live = HealthChecks.create(vertx).register("event-loop", p -> p.complete(Status.OK()));
    this.ready = HealthChecks.create(vertx);
  }

  /** Registers a readiness check that is up when {@code probe} succeeds within the timeout. */
  public Health check(String name, Supplier<Future<?>> probe) {
    ready.register(name, CHECK_TIMEOUT_MS, promise -> {
      Future<?> f;
      try {
        f = probe.get();
      } catch (RuntimeException e) {
        f = Future.failedFuture(e);
      }
      f.onComplete(ar -> {
        if (ar.succeeded()) promise.tryComplete(Status.OK());
        else promise.tryComplete(Status.KO(new JsonObject().put("error", String.valueOf(ar.cause().getMessage()))));
      });
    });
    return this;
  }

  /** Registers a check computed by the caller: up or down with details (degraded optional dependencies stay up). */
  public Health status(String name, Supplier<Future<Status>> probe) {
    ready.register(name, CHECK_TIMEOUT_MS, promise -> probe.get().onComplete(ar -> {
      if (ar.succeeded()) promise.tryComplete(ar.result());
      else promise.tryComplete(Status.KO(new JsonObject().put("error", String.valueOf(ar.cause().getMessage()))));
    }));
    return this;
  }

  public Handler<RoutingContext> liveness() {
    return HealthCheckHandler.createWithHealthChecks(live);
  }

  public Handler<RoutingContext> readiness() {
    return HealthCheckHandler.createWithHealthChecks(ready);
  }

  public HealthChecks readinessChecks() {
    return ready;
  }
}
