package dev.tarifa.shared.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Request meters: one timer per server, method, route template and status; the active-requests
 * gauge returns to zero; two services in one registry keep their series of one route template
 * apart.
 */
@ExtendWith(VertxExtension.class)
class HttpServerMetersTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private HttpServer server;
  private WebClient client;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    Router router = Router.router(vertx);
    router.route().handler(new HttpServerMeters(registry, "hotels"));
    router.get("/hotels/:id").handler(ctx -> ctx.response().end("hotel " + ctx.pathParam("id")));
    router.get("/slow").handler(ctx -> vertx.setTimer(30, id -> ctx.response().end("late")));
    router.get("/bad").handler(ctx -> ctx.fail(400));
    router.route().failureHandler(ctx -> ctx.response().setStatusCode(ctx.statusCode()).end());
    HttpServerMeters.labelFailuresByRoute(router);
    server = vertx.createHttpServer().requestHandler(router).listen(0).await(5, TimeUnit.SECONDS);
    client = WebClient.create(vertx);
  }

  @AfterEach
  void tearDown() throws Exception {
    client.close();
    server.close().await(5, TimeUnit.SECONDS);
  }

  @Test
  void timesEachRequestUnderItsRouteTemplateAndStatus() throws Exception {
    for (String id : new String[] {"1", "2", "3"}) assertThat(get("/hotels/" + id)).isEqualTo(200);
    assertThat(get("/slow")).isEqualTo(200);
    assertThat(get("/bad")).isEqualTo(400);
    assertThat(get("/nowhere")).isEqualTo(404);

    assertThat(timer("GET", "/hotels/:id", "200").count())
        .isEqualTo(3); // path parameters do not multiply series
    Timer slow = timer("GET", "/slow", "200");
    assertThat(slow.count()).isEqualTo(1);
    assertThat(slow.totalTime(TimeUnit.MILLISECONDS))
        .isGreaterThanOrEqualTo(25); // the answer's time, not the handler's
    assertThat(timer("GET", "/bad", "400").count())
        .isEqualTo(1); // answered by the failure handler, counted under the route that failed
    assertThat(timer("GET", HttpServerMeters.ANY_ROUTE, "404").count()).isEqualTo(1);
    assertThat(
            registry
                .get("tarifa.http.server.active.requests")
                .tag("server", "hotels")
                .gauge()
                .value())
        .isZero();
  }

  @Test
  void servicesSharingARegistryKeepTheirSeriesApart(Vertx vertx) {
    // the all-in-one JVM: the gateway and the flights service both route /api/v1/flights/search
    HttpServerMeters gateway = new HttpServerMeters(registry, "gateway");
    HttpServerMeters flights = new HttpServerMeters(registry, "flights");
    gateway
        .timer(Router.router(vertx).get("/api/v1/flights/search"), HttpMethod.GET, 200)
        .record(1, TimeUnit.MILLISECONDS);
    gateway
        .timer(Router.router(vertx).get("/api/v1/flights/search"), HttpMethod.GET, 200)
        .record(1, TimeUnit.MILLISECONDS);
    flights
        .timer(Router.router(vertx).get("/api/v1/flights/search"), HttpMethod.GET, 200)
        .record(1, TimeUnit.MILLISECONDS);

    assertThat(
            registry
                .get("tarifa.http.server.requests")
                .tag("server", "gateway")
                .tag("route", "/api/v1/flights/search")
                .timer()
                .count())
        .isEqualTo(2);
    assertThat(
            registry
                .get("tarifa.http.server.requests")
                .tag("server", "flights")
                .tag("route", "/api/v1/flights/search")
                .timer()
                .count())
        .isEqualTo(1);
    assertThat(registry.get("tarifa.http.server.active.requests").gauges())
        .extracting(g -> g.getId().getTag("server"))
        .contains("gateway", "flights", "hotels");
  }

  private Timer timer(String method, String route, String status) {
    return registry
        .get("tarifa.http.server.requests")
        .tag("server", "hotels")
        .tag("method", method)
        .tag("route", route)
        .tag("status", status)
        .timer();
  }

  private int get(String path) throws Exception {
    int status =
        client
            .get(server.actualPort(), "localhost", path)
            .send()
            .await(5, TimeUnit.SECONDS)
            .statusCode();
    Thread.sleep(20); // end handlers run just after the answer is written
    return status;
  }
}
