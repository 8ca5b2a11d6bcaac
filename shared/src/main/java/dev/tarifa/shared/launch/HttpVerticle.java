package dev.tarifa.shared.launch;

import dev.tarifa.shared.http.ProblemHandler;
import dev.tarifa.shared.metrics.HttpServerMeters;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Base of every service's HTTP verticle: builds the router, makes its failed requests count under
 * their routes ({@link HttpServerMeters#labelFailuresByRoute}), listens, and on undeploy shuts the
 * server down gracefully (stops accepting, lets in-flight requests finish for up to {@link
 * #SHUTDOWN_GRACE_SECONDS}) before closing the verticle's clients and pools.
 */
public abstract class HttpVerticle extends VerticleBase {
  public static final int SHUTDOWN_GRACE_SECONDS = 10;
  private static final Logger log = LoggerFactory.getLogger(HttpVerticle.class);

  private HttpServer server;

  /** Creates the verticle's clients and pools (as fields) and its router. */
  protected abstract Future<Router> router();

  protected abstract int port();

  /**
   * Closes the clients and pools created in {@link #router()}: after the server has drained, or
   * when the start failed (then only what was opened; implementations must allow that).
   */
  protected Future<?> closeResources() {
    return Future.succeededFuture();
  }

  protected HttpServerOptions serverOptions() {
    return new HttpServerOptions()
        .setTcpNoDelay(true)
        .setCompressionSupported(false)
        .setMaxInitialLineLength(8192)
        .setMaxHeaderSize(16384);
  }

  @Override
  public Future<?> start() {
    return router()
        .compose(
            router -> {
              HttpServerMeters.labelFailuresByRoute(router);
              return vertx
                  .createHttpServer(serverOptions())
                  .invalidRequestHandler(ProblemHandler::invalidRequest)
                  .requestHandler(router)
                  .listen(port());
            })
        .onSuccess(s -> server = s)
        // Vert.x does not stop a verticle whose start failed, and a start waited out by
        // StartupWait is tried again: what router() opened before failing is closed here.
        .recover(e -> closeResources().transform(ar -> Future.failedFuture(e)));
  }

  /** The bound port (useful when configured as 0 in tests). */
  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }

  @Override
  public Future<?> stop() {
    Future<Void> drained =
        server == null
            ? Future.succeededFuture()
            : server
                .shutdown(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS)
                .onFailure(e -> log.warn("HTTP server shutdown: {}", e.getMessage()));
    return drained.transform(ar -> closeResources());
  }
}
