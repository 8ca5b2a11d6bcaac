package dev.tarifa.shared.launch;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.util.Objects;
import java.util.function.Function;

/**
 * The HTTP verticle of a service whose per-instance resources live in a {@link ServiceFrame}: on
 * start it creates the frame and passes it to {@link #router(ServiceFrame)}; on undeploy, once the
 * server has drained ({@link HttpVerticle#stop()}), it closes the frame ({@link
 * ServiceFrame#close()}: relay, retention, transport, datastore, in that order). A subclass that
 * holds more resources of its own overrides {@link #closeResources()}, closes them and returns
 * {@code super.closeResources()}.
 */
public abstract class ServiceVerticle extends HttpVerticle {
  private final int port;
  private final Function<Vertx, ServiceFrame> newFrame;
  private ServiceFrame frame;

  /**
   * A verticle of the PostgreSQL service {@code service}: its frame is {@link
   * ServiceFrame#postgres}.
   */
  protected ServiceVerticle(ServiceConfig service) {
    this(service.port(), vertx -> ServiceFrame.postgres(vertx, service));
  }

  /**
   * @param port the HTTP port (0: any free port)
   * @param newFrame creates the instance's frame; called once, on the verticle's context, when it
   *     starts
   */
  protected ServiceVerticle(int port, Function<Vertx, ServiceFrame> newFrame) {
    this.port = port;
    this.newFrame = Objects.requireNonNull(newFrame, "newFrame");
  }

  /**
   * The service's routes over its frame's resources; starts the frame's events first when the
   * service has any ({@link ServiceFrame#startEvents}). A failed future fails the deployment.
   */
  protected abstract Future<Router> router(ServiceFrame frame);

  @Override
  protected final Future<Router> router() {
    frame = newFrame.apply(vertx);
    return router(frame);
  }

  @Override
  protected final int port() {
    return port;
  }

  @Override
  protected Future<?> closeResources() {
    return frame == null ? Future.succeededFuture() : frame.close();
  }
}
