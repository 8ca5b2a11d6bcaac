package dev.tarifa.shared.launch;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start-up rule of every service: a datastore that cannot be reached is waited for, anything
 * else ends the start.
 *
 * <p>{@link #prepare} runs {@link TarifaService#prepare}; when it fails because a datastore is
 * unreachable ({@link #isUnreachable}: connection refused or timed out, unknown host, PostgreSQL
 * still starting up, a pool that timed out waiting for a connection, MongoDB server selection timed
 * out) it logs that the service is waiting, and tries again after a back-off that doubles from
 * {@link #FIRST_RETRY} up to {@link #MAX_RETRY}, without limit: in Kubernetes the startup probe
 * bounds the wait. Meanwhile a stand-in server on the service's port answers {@code /health/live}
 * 200 and {@code /health/ready} (and every other path) 503, so the pod is alive but not ready; it
 * is closed once prepare succeeds ({@link #prepare}), or once the service's verticles are deployed
 * and listen on the same port ({@link #start}, which also waits out a datastore that fails the
 * deployment). Any other failure (a configuration error, a refused password, a failed migration) is
 * returned at once, so the launcher exits with one line. With port 0 (tests) there is no stand-in
 * server.
 */
public final class StartupWait {
  public static final Duration FIRST_RETRY = Duration.ofMillis(500);
  public static final Duration MAX_RETRY = Duration.ofSeconds(15);

  /**
   * The message of the Vert.x SQL client's pool when no connection became available within its
   * connection timeout ({@code PoolOptions.connectionTimeout}, 30 s by default); a {@link
   * VertxException} without a cause, so recognised by its message.
   */
  public static final String POOL_TIMEOUT = "Timeout waiting for connection";

  private static final Logger log = LoggerFactory.getLogger(StartupWait.class);
  // Not on shared's classpath: recognised by name.
  private static final Set<String> UNREACHABLE_CLASSES =
      Set.of(
          "com.mongodb.MongoTimeoutException",
          "com.mongodb.MongoSocketOpenException",
          "com.mongodb.MongoSocketReadException",
          "io.netty.channel.ConnectTimeoutException",
          "io.vertx.core.net.ConnectException");

  private StartupWait() {}

  /**
   * {@code service.prepare}, retried with back-off while a datastore is unreachable (see the class
   * comment).
   */
  public static Future<Void> prepare(Vertx vertx, TarifaService service) {
    Promise<Void> done = Promise.promise();
    new Attempts(vertx, service, List.of(() -> service.prepare(vertx)), done).run();
    return done.future();
  }

  /**
   * {@link #prepare}, then {@code deploy} (the service's verticles), each retried with back-off
   * while a datastore is unreachable: a verticle that reads its datastore while it starts (the
   * flights read model loads every flight) fails its deployment, which Vert.x rolls back, and the
   * deployment is tried again later. The stand-in server stays open until the deployment succeeded:
   * the verticles' servers share its port (Vert.x balances servers of one port in one instance), so
   * the port never stops answering while the service waits.
   */
  public static Future<Void> start(Vertx vertx, TarifaService service, Supplier<Future<?>> deploy) {
    Promise<Void> done = Promise.promise();
    new Attempts(vertx, service, List.of(() -> service.prepare(vertx), deploy), done).run();
    return done.future();
  }

  /**
   * Whether {@code failure} (or one of its causes) says a datastore could not be reached, as
   * opposed to a datastore that answered with a refusal: connection refused or timed out, no route,
   * unknown host, a JDBC connection error (SQLSTATE class 08), PostgreSQL starting up or shutting
   * down (57P03, 57P01), a Vert.x SQL client pool that timed out waiting for a connection ({@value
   * #POOL_TIMEOUT}: the server is reachable but too slow to hand out a connection in time), a
   * MongoDB server selection or socket open failure.
   */
  public static boolean isUnreachable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ConnectException
          || t instanceof NoRouteToHostException
          || t instanceof UnknownHostException
          || t instanceof SocketTimeoutException
          || t instanceof TimeoutException) return true;
      if (t instanceof SQLException sql
          && sql.getSQLState() != null
          && (sql.getSQLState().startsWith("08")
              || sql.getSQLState().equals("57P03")
              || sql.getSQLState().equals("57P01"))) return true;
      if (t instanceof io.vertx.pgclient.PgException pg
          && ("57P03".equals(pg.getSqlState()) || "57P01".equals(pg.getSqlState()))) return true;
      // On a loaded machine a connection can take longer to open than the pool waits: slow, not
      // refused, so it is waited out like an unreachable server.
      if (t instanceof VertxException && POOL_TIMEOUT.equals(t.getMessage())) return true;
      if (UNREACHABLE_CLASSES.contains(t.getClass().getName())) return true;
      String m = t.getMessage();
      // How the Vert.x clients report a connection dropped before or during the handshake (a proxy
      // or load balancer in
      // front of a datastore that is down accepts, then closes).
      if (m != null
          && (m.contains("Connection refused")
              || m.equals("Connection was closed")
              || m.startsWith("Failed to read any response from the server"))) return true;
    }
    return false;
  }

  private static final class Attempts {
    private final Vertx vertx;
    private final TarifaService service;
    private final List<Supplier<Future<?>>> steps;
    private final Promise<Void> done;
    private final long started = System.nanoTime();
    private HttpServer standIn;
    private int step;
    private int attempt;

    Attempts(
        Vertx vertx, TarifaService service, List<Supplier<Future<?>>> steps, Promise<Void> done) {
      this.vertx = vertx;
      this.service = service;
      this.steps = steps;
      this.done = done;
    }

    void run() {
      attempt++;
      Future<?> f;
      try {
        f = steps.get(step).get();
      } catch (RuntimeException e) {
        f = Future.failedFuture(e);
      }
      f.onComplete(
          ar -> {
            if (ar.succeeded()) {
              if (attempt > 1) {
                log.info(
                    "{}: datastore reachable after {} s ({} attempts): {}",
                    service.name(),
                    Duration.ofNanos(System.nanoTime() - started).toSeconds(),
                    attempt,
                    step == 0 ? "starting" : "started");
              }
              if (++step < steps.size()) {
                // The next step starts at once; the back-off only spaces retries of one step.
                attempt = 0;
                run();
              } else {
                closeStandIn().onComplete(v -> done.complete());
              }
            } else if (!isUnreachable(ar.cause())) {
              closeStandIn().onComplete(v -> done.fail(ar.cause()));
            } else {
              long delay =
                  Math.min(
                      MAX_RETRY.toMillis(), FIRST_RETRY.toMillis() << Math.min(attempt - 1, 10));
              log.warn(
                  "{}: waiting for its datastore, not ready: {}; retrying in {} ms (attempt {})",
                  service.name(),
                  describe(ar.cause()),
                  delay,
                  attempt);
              openStandIn()
                  .onComplete(
                      s -> {
                        if (s.failed()) done.fail(s.cause());
                        else vertx.setTimer(delay, id -> run());
                      });
            }
          });
    }

    private Future<Void> openStandIn() {
      if (standIn != null || service.port() <= 0) return Future.succeededFuture();
      JsonObject waiting =
          new JsonObject()
              .put("status", "DOWN")
              .put("checks", new JsonObject().put("startup", "waiting for the datastore"));
      return vertx
          .createHttpServer()
          .requestHandler(
              req -> {
                if (req.path().equals("/health/live")) {
                  req.response()
                      .putHeader("Content-Type", "application/json")
                      .end(new JsonObject().put("status", "UP").encode());
                } else {
                  req.response()
                      .setStatusCode(503)
                      .putHeader("Content-Type", "application/json")
                      .putHeader("Retry-After", "5")
                      .end(waiting.encode());
                }
              })
          .listen(service.port())
          .onSuccess(s -> standIn = s)
          .mapEmpty();
    }

    private Future<Void> closeStandIn() {
      if (standIn == null) return Future.succeededFuture();
      HttpServer s = standIn;
      standIn = null;
      return s.close().recover(e -> Future.succeededFuture());
    }
  }

  private static String describe(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) root = root.getCause();
    String top = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    return root == t || root.getMessage() == null || top.contains(root.getMessage())
        ? top
        : top + " (" + root.getMessage() + ")";
  }
}
