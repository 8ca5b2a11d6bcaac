package dev.tarifa.shared.http;

import dev.tarifa.shared.health.Health;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Every failure is an RFC 9457 problem detail, through the one failure handler of {@link Routers}. */
@ExtendWith(VertxExtension.class)
class ProblemHandlerTest {
  private HttpServer server;
  private WebClient client;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    Router router = Routers.create(vertx, new Health(vertx), 1024);
    router.get("/items").handler(ctx -> {
      try {
        int limit = Params.of(ctx).integer("limit", 10, 1, 50);
        Responses.json(ctx, new JsonObject().put("limit", limit));
      } catch (Problem p) {
        ctx.fail(p);
      }
    });
    router.post("/items").handler(ctx -> {
      try {
        Responses.json(ctx, 201, Bodies.json(ctx));
      } catch (Problem p) {
        ctx.fail(p);
      }
    });
    router.get("/boom").handler(ctx -> { throw new IllegalStateException("secret internals"); });
    router.get("/conflict").handler(ctx -> ctx.fail(Problem.conflict("already there")));
    server = vertx.createHttpServer().requestHandler(router).listen(0).await(5, TimeUnit.SECONDS);
    client = WebClient.create(vertx);
  }

  @AfterEach
  void tearDown() throws Exception {
    client.close();
    server.close().await(5, TimeUnit.SECONDS);
  }

  @Test
  void badInputIsA400NamingTheParameter() throws Exception {
    var r = get("/items?limit=500");
    assertProblem(r, 400);
    assertThat(r.bodyAsJsonObject().getString("parameter")).isEqualTo("limit");
    assertThat(r.bodyAsJsonObject().getString("detail")).isEqualTo("limit: must be between 1 and 50");
    assertProblem(get("/items?limit=ten"), 400);
    assertThat(get("/items?limit=5").bodyAsJsonObject().getInteger("limit")).isEqualTo(5);
  }

  @Test
  void unknownRouteIs404() throws Exception {
    var r = get("/nowhere");
    assertProblem(r, 404);
    assertThat(r.bodyAsJsonObject().getString("instance")).isEqualTo("/nowhere");
  }

  @Test
  void wrongMethodIs405() throws Exception {
    var r = client.delete(server.actualPort(), "127.0.0.1", "/items").send().await(5, TimeUnit.SECONDS);
    assertProblem(r, 405);
  }

  @Test
  void unexpectedFailureIs500WithoutInternalsAndWithTheRequestId() throws Exception {
    var r = client.get(server.actualPort(), "127.0.0.1", "/boom").putHeader("X-Request-Id", "req-42").send().await(5, TimeUnit.SECONDS);
    assertProblem(r, 500);
    assertThat(r.bodyAsString()).doesNotContain("secret internals");
    assertThat(r.bodyAsJsonObject().getString("requestId")).isEqualTo("req-42");
    assertThat(r.getHeader("X-Request-Id")).isEqualTo("req-42");
  }

  @Test
  void malformedJsonBodyIs400AndOversizedBodyIs413() throws Exception {
    var bad = client.post(server.actualPort(), "127.0.0.1", "/items").putHeader("Content-Type", "application/json")
      .sendBuffer(Buffer.buffer("{not json")).await(5, TimeUnit.SECONDS);
    assertProblem(bad, 400);
    assertThat(bad.bodyAsJsonObject().getString("parameter")).isEqualTo("body");
    var big = client.post(server.actualPort(), "127.0.0.1", "/items").putHeader("Content-Type", "application/json")
      .sendBuffer(Buffer.buffer("{\"a\":\"" + "x".repeat(4096) + "\"}")).await(5, TimeUnit.SECONDS);
    assertProblem(big, 413);
  }

  @Test
  void problemsKeepTheirStatus() throws Exception {
    var r = get("/conflict");
    assertProblem(r, 409);
    assertThat(r.bodyAsJsonObject().getString("detail")).isEqualTo("already there");
  }

  @Test
  void requestIdsAreGeneratedWhenAbsentOrUnsafe() throws Exception {
    var r = client.get(server.actualPort(), "127.0.0.1", "/items").putHeader("X-Request-Id", "bad id with spaces").send().await(5, TimeUnit.SECONDS);
    assertThat(r.getHeader("X-Request-Id")).matches("[0-9a-f]{16}");
  }

  private HttpResponse<Buffer> get(String uri) throws Exception {
    return client.get(server.actualPort(), "127.0.0.1", uri).send().await(5, TimeUnit.SECONDS);
  }

  private static void assertProblem(HttpResponse<Buffer> r, int status) {
    assertThat(r.statusCode()).isEqualTo(status);
    assertThat(r.getHeader("Content-Type")).isEqualTo(ProblemHandler.CONTENT_TYPE);
    JsonObject body = r.bodyAsJsonObject();
    assertThat(body.getInteger("status")).isEqualTo(status);
    assertThat(body.getString("type")).startsWith("https://tarifa.dev/problems/");
    assertThat(body.getString("title")).isNotBlank();
  }
}
