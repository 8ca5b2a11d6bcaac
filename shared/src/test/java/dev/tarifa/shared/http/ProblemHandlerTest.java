package dev.tarifa.shared.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tarifa.shared.domain.Conflict;
import dev.tarifa.shared.domain.DomainException;
import dev.tarifa.shared.domain.InvalidValue;
import dev.tarifa.shared.domain.NotFound;
import dev.tarifa.shared.domain.Unauthenticated;
import dev.tarifa.shared.domain.Unavailable;
import dev.tarifa.shared.domain.VersionMismatch;
import dev.tarifa.shared.domain.VersionRequired;
import dev.tarifa.shared.health.Health;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every failure is an RFC 9457 problem detail, through the one failure handler of {@link Routers}.
 */
@ExtendWith(VertxExtension.class)
class ProblemHandlerTest {
  private HttpServer server;
  private WebClient client;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    Router router = Routers.create(vertx, new Health(vertx), 1024);
    router
        .get("/items")
        .handler(
            ctx -> {
              try {
                int limit = Params.of(ctx).integer("limit", 10, 1, 50);
                Responses.json(ctx, new JsonObject().put("limit", limit));
              } catch (Problem p) {
                ctx.fail(p);
              }
            });
    router
        .post("/items")
        .handler(
            ctx -> {
              try {
                Responses.json(ctx, 201, Bodies.json(ctx));
              } catch (Problem p) {
                ctx.fail(p);
              }
            });
    router
        .get("/boom")
        .handler(
            ctx -> {
              throw new IllegalStateException("secret internals");
            });
    router.get("/conflict").handler(ctx -> ctx.fail(Problem.conflict("already there")));
    // Domain outcomes, thrown by the handler (?thrown) or as a failed future (otherwise), through
    // Routers.async.
    router
        .get("/outcome/:kind")
        .handler(
            Routers.async(
                ctx -> {
                  DomainException e = outcome(ctx.pathParam("kind"));
                  if (ctx.queryParams().contains("thrown")) throw e;
                  return Future.failedFuture(e);
                }));
    router
        .get("/async/:id")
        .handler(
            Routers.async(
                ctx -> {
                  long id = Params.path(ctx).id("id");
                  return Responses.json(ctx, new JsonObject().put("id", id));
                }));
    router
        .get("/async-boom")
        .handler(
            Routers.async(
                ctx -> Future.failedFuture(new IllegalStateException("secret internals"))));
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
    assertThat(r.bodyAsJsonObject().getString("detail"))
        .isEqualTo("limit: must be between 1 and 50");
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
    var r =
        client.delete(server.actualPort(), "127.0.0.1", "/items").send().await(5, TimeUnit.SECONDS);
    assertProblem(r, 405);
  }

  @Test
  void unexpectedFailureIs500WithoutInternalsAndWithTheRequestId() throws Exception {
    var r =
        client
            .get(server.actualPort(), "127.0.0.1", "/boom")
            .putHeader("X-Request-Id", "req-42")
            .send()
            .await(5, TimeUnit.SECONDS);
    assertProblem(r, 500);
    assertThat(r.bodyAsString()).doesNotContain("secret internals");
    assertThat(r.bodyAsJsonObject().getString("requestId")).isEqualTo("req-42");
    assertThat(r.getHeader("X-Request-Id")).isEqualTo("req-42");
  }

  @Test
  void malformedJsonBodyIs400AndOversizedBodyIs413() throws Exception {
    var bad =
        client
            .post(server.actualPort(), "127.0.0.1", "/items")
            .putHeader("Content-Type", "application/json")
            .sendBuffer(Buffer.buffer("{not json"))
            .await(5, TimeUnit.SECONDS);
    assertProblem(bad, 400);
    assertThat(bad.bodyAsJsonObject().getString("parameter")).isEqualTo("body");
    var big =
        client
            .post(server.actualPort(), "127.0.0.1", "/items")
            .putHeader("Content-Type", "application/json")
            .sendBuffer(Buffer.buffer("{\"a\":\"" + "x".repeat(4096) + "\"}"))
            .await(5, TimeUnit.SECONDS);
    assertProblem(big, 413);
  }

  @Test
  void problemsKeepTheirStatus() throws Exception {
    var r = get("/conflict");
    assertProblem(r, 409);
    assertThat(r.bodyAsJsonObject().getString("detail")).isEqualTo("already there");
  }

  /**
   * Every kind of domain outcome, with the problem body it must become (the bodies existing clients
   * see).
   */
  private static final List<Map.Entry<DomainException, JsonObject>> OUTCOMES =
      List.of(
          Map.entry(
              new NotFound("no hotel 42"), problem(404, "not-found", "Not Found", "no hotel 42")),
          Map.entry(
              new Conflict("station FRA exists already"),
              problem(409, "conflict", "Conflict", "station FRA exists already")),
          Map.entry(
              new VersionMismatch("the resource has changed"),
              problem(
                  412, "precondition-failed", "Precondition Failed", "the resource has changed")),
          Map.entry(
              new VersionRequired("If-Match with the current ETag is required"),
              problem(
                  428,
                  "precondition-required",
                  "Precondition Required",
                  "If-Match with the current ETag is required")),
          Map.entry(
              new InvalidValue("cityKey", "unknown city atlantis"),
              problem(
                      400,
                      "invalid-parameter",
                      "Invalid parameter",
                      "cityKey: unknown city atlantis")
                  .put("parameter", "cityKey")),
          Map.entry(
              new Unauthenticated("invalid e-mail or password"),
              problem(401, "unauthorized", "Unauthorized", "invalid e-mail or password")),
          Map.entry(
              new Unavailable("cannot verify the subject"),
              problem(
                  503, "service-unavailable", "Service Unavailable", "cannot verify the subject")));

  private static JsonObject problem(int status, String type, String title, String detail) {
    return new JsonObject()
        .put("type", "https://tarifa.dev/problems/" + type)
        .put("title", title)
        .put("status", status)
        .put("detail", detail);
  }

  private static DomainException outcome(String kind) {
    return OUTCOMES.stream()
        .map(Map.Entry::getKey)
        .filter(e -> e.getClass().getSimpleName().equals(kind))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void everyKindOfDomainOutcomeIsCoveredHere() {
    assertThat(
            OUTCOMES.stream().<Class<?>>map(e -> e.getKey().getClass()).collect(Collectors.toSet()))
        .containsExactlyInAnyOrderElementsOf(
            Arrays.asList(DomainException.class.getPermittedSubclasses()));
  }

  @Test
  void domainOutcomesBecomeTheirProblemWhetherThrownOrFailed() throws Exception {
    for (Map.Entry<DomainException, JsonObject> outcome : OUTCOMES) {
      String kind = outcome.getKey().getClass().getSimpleName();
      for (String uri : List.of("/outcome/" + kind, "/outcome/" + kind + "?thrown")) {
        var r = get(uri);
        JsonObject expected = outcome.getValue().copy().put("instance", "/outcome/" + kind);
        assertProblem(r, expected.getInteger("status"));
        JsonObject body = r.bodyAsJsonObject();
        assertThat(body.remove("requestId")).isNotNull();
        assertThat(body).as(uri).isEqualTo(expected);
      }
    }
  }

  @Test
  void domainOutcomesHaveNoStackTrace() {
    for (Map.Entry<DomainException, JsonObject> outcome : OUTCOMES)
      assertThat(outcome.getKey().getStackTrace()).isEmpty();
  }

  @Test
  void asyncHandlersAnswerAndTheirUnexpectedFailuresAre500WithoutInternals() throws Exception {
    assertThat(get("/async/7").bodyAsJsonObject().getLong("id")).isEqualTo(7L);
    for (String bad : List.of("/async/0", "/async/-3", "/async/x", "/async/99999999999999999999")) {
      var r = get(bad);
      assertProblem(r, 400);
      assertThat(r.bodyAsJsonObject().getString("detail"))
          .as(bad)
          .isEqualTo("id: must be a positive integer");
      assertThat(r.bodyAsJsonObject().getString("parameter")).isEqualTo("id");
    }
    var boom = get("/async-boom");
    assertProblem(boom, 500);
    assertThat(boom.bodyAsString()).doesNotContain("secret internals");
  }

  @Test
  void requestIdsAreGeneratedWhenAbsentOrUnsafe() throws Exception {
    var r =
        client
            .get(server.actualPort(), "127.0.0.1", "/items")
            .putHeader("X-Request-Id", "bad id with spaces")
            .send()
            .await(5, TimeUnit.SECONDS);
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
