package dev.tarifa.shared.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tarifa.shared.health.Health;
import dev.tarifa.shared.http.Routers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Undeploying an {@link HttpVerticle} drains in-flight requests, refuses new ones, then closes
 * resources.
 */
class GracefulShutdownTest {

  static final class SlowVerticle extends HttpVerticle {
    final AtomicBoolean resourcesClosed = new AtomicBoolean();
    final AtomicBoolean slowRequestReceived = new AtomicBoolean();

    @Override
    protected Future<Router> router() {
      Router router = Routers.create(vertx, new Health(vertx));
      router
          .get("/slow")
          .handler(
              ctx -> {
                slowRequestReceived.set(true);
                vertx.setTimer(800, t -> ctx.response().end("done"));
              });
      return Future.succeededFuture(router);
    }

    @Override
    protected int port() {
      return 0;
    }

    @Override
    protected Future<?> closeResources() {
      resourcesClosed.set(true);
      return Future.succeededFuture();
    }
  }

  @Test
  void inFlightRequestsFinishAndNewOnesAreRefused() throws Exception {
    Vertx vertx = Vertx.vertx();
    Vertx clientVertx = Vertx.vertx();
    try {
      SlowVerticle verticle = new SlowVerticle();
      String id = vertx.deployVerticle(verticle).await(5, TimeUnit.SECONDS);
      int port = verticle.actualPort();
      HttpClient client = clientVertx.createHttpClient();

      Future<Buffer> inFlight =
          client
              .request(HttpMethod.GET, port, "127.0.0.1", "/slow")
              .compose(req -> req.send().compose(HttpClientResponse::body));
      long received = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!verticle.slowRequestReceived.get() && System.nanoTime() < received) Thread.sleep(5);
      assertThat(verticle.slowRequestReceived).as("the request is being handled").isTrue();
      long t0 = System.nanoTime();
      Future<Void> undeployed = vertx.undeploy(id);

      assertThat(inFlight.await(5, TimeUnit.SECONDS).toString()).isEqualTo("done");
      undeployed.await(15, TimeUnit.SECONDS);
      assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0))
          .isLessThan(HttpVerticle.SHUTDOWN_GRACE_SECONDS);
      assertThat(verticle.resourcesClosed).isTrue();

      HttpClient fresh = clientVertx.createHttpClient();
      assertThatThrownBy(
              () ->
                  fresh
                      .request(HttpMethod.GET, port, "127.0.0.1", "/health/live")
                      .compose(req -> req.send())
                      .await(5, TimeUnit.SECONDS))
          .isNotNull();
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
      clientVertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
