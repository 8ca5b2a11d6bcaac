package dev.tarifa.shared.launch;

import dev.tarifa.shared.config.ConfigException;
import dev.tarifa.shared.config.Env;
import dev.tarifa.shared.metrics.Metrics;
import dev.tarifa.shared.tracing.Tracing;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Starts services in one Vert.x instance with metrics and tracing ({@link Tracing}), and stops them gracefully on SIGTERM / Ctrl-C within
 * {@link #SHUTDOWN_LIMIT_SECONDS}. A {@link ConfigException} at start-up prints one line naming the key and
 * exits with status 2.
 */
public final class ServiceLauncher {
  public static final int SHUTDOWN_LIMIT_SECONDS = 15;
  private static final Logger log = LoggerFactory.getLogger(ServiceLauncher.class);

  private ServiceLauncher() {}

  /** The main method of a service that runs alone. */
  public static void main(Function<Env, TarifaService> factory) {
    TarifaService service;
    Tracing tracing;
    try {
      service = factory.apply(Env.system());
      tracing = tracing(Env.system(), service.name());
    } catch (ConfigException e) {
      exitWithConfigError(e);
      return;
    }
    Vertx vertx = newVertx(tracing);
    installShutdownHook(vertx, List.of(tracing));
    deploy(vertx, List.of(service))
      .onSuccess(v -> log.info("{} listening on http://localhost:{}", service.name(), service.port()))
      .onFailure(e -> {
        if (e instanceof ConfigException ce) exitWithConfigError(ce);
        log.error("{} failed to start: {}", service.name(), e.toString(), e);
        System.exit(1);
      });
  }

  /** A Vert.x with metrics and without tracing. */
  public static Vertx newVertx() {
    return newVertx(Tracing.disabled());
  }

  /** A Vert.x with metrics and {@code tracing} (installed: {@link Tracing#of(Vertx)} returns it). */
  public static Vertx newVertx(Tracing tracing) {
    return tracing.install(tracing.configure(Vertx.builder().with(Metrics.vertxOptions()).withMetrics(Metrics.factory())).build());
  }

  /**
   * The tracing the {@code OTEL_*} variables of {@code env} ask for ({@code serviceName} is the default
   * {@code service.name}); an invalid value is a {@link ConfigException} naming the variables.
   */
  public static Tracing tracing(Env env, String serviceName) {
    try {
      return Tracing.fromEnv(env, serviceName);
    } catch (RuntimeException e) {
      throw new ConfigException("OTEL_*", "cannot configure tracing: " + e.getMessage());
    }
  }

  /** Prepares then deploys the services in order; fails on the first that cannot start. */
  public static Future<Void> deploy(Vertx vertx, List<TarifaService> services) {
    Future<Void> chain = Future.succeededFuture();
    for (TarifaService s : services) {
      chain = chain
        .compose(v -> s.prepare(vertx))
        .compose(v -> vertx.deployVerticle(s.verticle(), new DeploymentOptions().setInstances(s.instances())))
        .<Void>mapEmpty()
        .recover(e -> Future.failedFuture(e instanceof ConfigException ? e : new IllegalStateException(s.name() + ": " + e.getMessage(), e)));
    }
    return chain;
  }

  /**
   * On SIGTERM / Ctrl-C: close Vert.x (undeploys verticles: servers drain, pools close), then the given
   * resources (embedded servers, the tracing exporter's last flush), all within the shutdown limit.
   */
  public static void installShutdownHook(Vertx vertx, List<AutoCloseable> afterVertx) {
    List<AutoCloseable> resources = new ArrayList<>(afterVertx);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      long start = System.nanoTime();
      log.info("shutting down");
      CountDownLatch closed = new CountDownLatch(1);
      vertx.close().onComplete(ar -> closed.countDown());
      try {
        if (!closed.await(SHUTDOWN_LIMIT_SECONDS - 3, TimeUnit.SECONDS)) log.warn("Vert.x did not close in time");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      for (AutoCloseable r : resources) {
        try {
          r.close();
        } catch (Exception e) {
          log.warn("closing {}: {}", r, e.toString());
        }
      }
      log.info("stopped in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }, "tarifa-shutdown"));
  }

  public static void exitWithConfigError(ConfigException e) {
    System.err.println("tarifa: invalid configuration: " + e.getMessage());
    System.exit(2);
  }
}
