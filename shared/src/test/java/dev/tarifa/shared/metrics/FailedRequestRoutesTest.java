package dev.tarifa.shared.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tarifa.shared.domain.Unavailable;
import dev.tarifa.shared.health.Health;
import dev.tarifa.shared.http.Problem;
import dev.tarifa.shared.http.ProblemHandler;
import dev.tarifa.shared.http.Routers;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A request that fails after routing counts under the route it matched, in the frame every service
 * router has ({@link Routers#create}, then {@link HttpServerMeters#labelFailuresByRoute} as {@code
 * HttpVerticle} calls it): a failed search (an upstream 503, a 400) is metered under its search
 * route, not under {@code *}, and is answered exactly as before; only requests that match no route
 * are {@code *}.
 */
@ExtendWith(VertxExtension.class)
class FailedRequestRoutesTest {
  private static final String SERVER = "failed-routes-test";
  private int port;
  private WebClient client;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    Router router = Routers.create(vertx, new Health(vertx, SERVER));
    router.route("/api/v1/*").handler(RoutingContext::next); // an authorisation step
    router
        .get("/api/v1/hotels/search")
        .handler(Routers.async(ctx -> Future.failedFuture(new Unavailable("hotels is down"))));
    router
        .get("/api/v1/flights/search")
        .handler(
            ctx -> {
              throw Problem.badRequest("from", "must be a three-letter IATA airport code");
            });
    router.get("/api/v1/hotels/:id").handler(ctx -> ctx.fail(Problem.notFound("no hotel")));
    router.get("/api/v1/cars/search").handler(ctx -> ctx.response().end("{}"));
    router.get("/about").handler(ctx -> ctx.response().end("about"));
    HttpServerMeters.labelFailuresByRoute(router);
    // the extension closes this Vert.x, with the server and the client, after each test
    port =
        vertx
            .createHttpServer()
            .requestHandler(router)
            .listen(0)
            .await(5, TimeUnit.SECONDS)
            .actualPort();
    client = WebClient.create(vertx);
  }

  @Test
  void aFailedSearchIsMeteredUnderItsRoute() throws Exception {
    assertProblem(get("/api/v1/hotels/search"), 503);
    assertProblem(get("/api/v1/flights/search"), 400);

    assertThat(count("/api/v1/hotels/search", "503")).isEqualTo(1);
    assertThat(count("/api/v1/flights/search", "400")).isEqualTo(1);
    assertThat(countNow(HttpServerMeters.ANY_ROUTE, "503")).isZero();
    assertThat(countNow(HttpServerMeters.ANY_ROUTE, "400")).isZero();
  }

  @Test
  void theRouteWhoseHandlerRanIsTheLabelNotAnEarlierOrLaterMatch() throws Exception {
    // /api/v1/hotels/42 also matches the authorisation step /api/v1/*
    assertProblem(get("/api/v1/hotels/42"), 404);
    assertThat(get("/api/v1/cars/search").statusCode()).isEqualTo(200);

    assertThat(count("/api/v1/hotels/:id", "404")).isEqualTo(1);
    assertThat(countNow("/api/v1/", "404")).isZero();
    assertThat(count("/api/v1/cars/search", "200")).isEqualTo(1);
  }

  @Test
  void requestsThatMatchNoRouteAreStar() throws Exception {
    assertProblem(get("/nowhere"), 404);
    assertProblem(
        client.delete(port, "127.0.0.1", "/about").send().await(5, TimeUnit.SECONDS), 405);

    assertThat(count(HttpServerMeters.ANY_ROUTE, "404")).isEqualTo(1);
    assertThat(count(HttpServerMeters.ANY_ROUTE, "405")).isEqualTo(1);
  }

  private HttpResponse<Buffer> get(String path) throws Exception {
    return client.get(port, "127.0.0.1", path).send().await(5, TimeUnit.SECONDS);
  }

  private static void assertProblem(HttpResponse<Buffer> r, int status) {
    assertThat(r.statusCode()).isEqualTo(status);
    assertThat(r.getHeader("Content-Type")).isEqualTo(ProblemHandler.CONTENT_TYPE);
    assertThat(r.bodyAsJsonObject().getInteger("status")).isEqualTo(status);
  }

  /**
   * The requests of {@code route} and {@code status}, once the end handler that records them (it
   * runs just after the answer is written) has: waits up to 5 s for a first one.
   */
  private static long count(String route, String status) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    long n = countNow(route, status);
    while (n == 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
      n = countNow(route, status);
    }
    return n;
  }

  private static long countNow(String route, String status) {
    Timer t =
        Metrics.registry()
            .find("tarifa.http.server.requests")
            .tag("server", SERVER)
            .tag("route", route)
            .tag("status", status)
            .timer();
    return t == null ? 0 : t.count();
  }
}
