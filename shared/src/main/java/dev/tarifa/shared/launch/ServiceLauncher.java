package dev.tarifa.shared.launch;

import dev.tarifa.shared.config.ConfigException;
import dev.tarifa.shared.config.Env;
import dev.tarifa.shared.metrics.Metrics;
import dev.tarifa.shared.tracing.Tracing;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.BindException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts services in one Vert.x instance with metrics and tracing ({@link Tracing}), and stops them
 * gracefully on SIGTERM / Ctrl-C within {@link #SHUTDOWN_LIMIT_SECONDS}. A {@link ConfigException}
 * at start-up prints one line naming the key and exits with status 2.
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
        .onSuccess(
            v -> log.info("{} listening on http://localhost:{}", service.name(), service.port()))
        .onFailure(ServiceLauncher::exitWithStartUpFailure);
  }

  /** A Vert.x with metrics and without tracing. */
  public static Vertx newVertx() {
    return newVertx(Tracing.disabled());
  }

  /**
   * A Vert.x with metrics and {@code tracing} (installed: {@link Tracing#of(Vertx)} returns it).
   */
  public static Vertx newVertx(Tracing tracing) {
    return tracing.install(
        tracing
            .configure(Vertx.builder().with(Metrics.vertxOptions()).withMetrics(Metrics.factory()))
            .build());
  }

  /**
   * The tracing the {@code OTEL_*} variables of {@code env} ask for ({@code serviceName} is the
   * default {@code service.name}); an invalid value is a {@link ConfigException} naming the
   * variables.
   */
  public static Tracing tracing(Env env, String serviceName) {
    try {
      return Tracing.fromEnv(env, serviceName);
    } catch (RuntimeException e) {
      throw new ConfigException("OTEL_*", "cannot configure tracing: " + e.getMessage());
    }
  }

  /**
   * Prepares then deploys the services in order; fails on the first that cannot start. A service
   * whose datastore is unreachable, while it prepares or while its verticles start, waits for it,
   * alive but not ready ({@link StartupWait#start}).
   */
  public static Future<Void> deploy(Vertx vertx, List<TarifaService> services) {
    Future<Void> chain = Future.succeededFuture();
    for (TarifaService s : services) {
      // Only this service's own failure is named after it; a failure further up the chain passes
      // through as is.
      chain =
          chain.compose(
              v ->
                  StartupWait.start(
                          vertx,
                          s,
                          () ->
                              vertx.deployVerticle(
                                  s.verticle(),
                                  new DeploymentOptions().setInstances(s.instances())))
                      .recover(
                          e ->
                              Future.failedFuture(
                                  e instanceof ConfigException
                                      ? e
                                      : new IllegalStateException(
                                          s.name() + ": " + cause(e, s), e))));
    }
    return chain;
  }

  /**
   * On SIGTERM / Ctrl-C: close Vert.x (undeploys verticles: servers drain, pools close), then the
   * given resources (embedded servers, the tracing exporter's last flush), all within the shutdown
   * limit.
   */
  public static void installShutdownHook(Vertx vertx, List<AutoCloseable> afterVertx) {
    List<AutoCloseable> resources = new ArrayList<>(afterVertx);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  long start = System.nanoTime();
                  log.info("shutting down");
                  CountDownLatch closed = new CountDownLatch(1);
                  vertx.close().onComplete(ar -> closed.countDown());
                  try {
                    if (!closed.await(SHUTDOWN_LIMIT_SECONDS - 3, TimeUnit.SECONDS))
                      log.warn("Vert.x did not close in time");
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
                  log.info(
                      "stopped in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                },
                "tarifa-shutdown"));
  }

  private static String cause(Throwable e, TarifaService s) {
    // Vert.x reports a taken port as a bare "Address already in use".
    return e instanceof BindException
        ? e.getMessage() + " (port " + s.port() + ")"
        : String.valueOf(e.getMessage());
  }

  public static void exitWithConfigError(ConfigException e) {
    System.err.println("tarifa: invalid configuration: " + e.getMessage());
    exit(2);
  }

  /**
   * Ends a start that cannot complete: one line naming the cause on stderr (the stack trace at
   * debug level), then exit status 1, or 2 for a {@link ConfigException}.
   */
  public static void exitWithStartUpFailure(Throwable e) {
    if (e instanceof ConfigException ce) {
      exitWithConfigError(ce);
      return;
    }
    System.err.println("tarifa: start-up failed: " + e.getMessage());
    log.debug("start-up failure", e);
    exit(1);
  }

  /**
   * {@link System#exit} from a thread of its own: it runs the shutdown hook, which waits for Vert.x
   * to close, and Vert.x cannot close while the calling event loop is blocked inside {@code exit}
   * (the hook would wait out its whole limit).
   */
  public static void exit(int status) {
    Thread t = new Thread(() -> System.exit(status), "tarifa-exit");
    t.setDaemon(false);
    t.start();
  }
}
