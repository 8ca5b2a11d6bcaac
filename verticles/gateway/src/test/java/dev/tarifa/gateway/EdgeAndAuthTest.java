package dev.tarifa.gateway;

import static dev.tarifa.gateway.GatewayHarness.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tarifa.shared.auth.AuthConfig;
import dev.tarifa.shared.auth.JwtIssuer;
import dev.tarifa.shared.auth.JwtVerifier;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EdgeAndAuthTest {
  static Vertx vertx;
  static GatewayHarness gw;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    gw =
        new GatewayHarness(vertx)
            .start(Map.of("TARIFA_CORS_ORIGINS", "http://localhost:8080,https://tarifa.example"));
  }

  @AfterAll
  static void stop() {
    await(vertx.close());
  }

  static HttpResponse<Buffer> call(HttpMethod method, String uri, String bearer) {
    var req = gw.client.request(method, uri);
    if (bearer != null) req.putHeader("Authorization", "Bearer " + bearer);
    return await(req.send());
  }

  static String b64(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  static String signed(JsonObject claims, AuthConfig config) {
    JWTAuth jwt =
        JWTAuth.create(
            vertx,
            new JWTAuthOptions()
                .addPubSecKey(
                    new PubSecKeyOptions()
                        .setAlgorithm("ES256")
                        .setBuffer(config.privateKeyPem())));
    return jwt.generateToken(claims, new JWTOptions().setAlgorithm("ES256"));
  }

  @Test
  void badTokensAre401OnUserAndAdminRoutes() {
    AuthConfig cfg = GatewayHarness.authConfig();
    long now = System.currentTimeMillis() / 1000;
    String valid = gw.token("u1", Set.of("user"));
    String[] parts = valid.split("\\.");
    JsonObject payload =
        new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    String tampered =
        parts[0]
            + "."
            + b64(payload.copy().put("roles", new JsonArray().add("admin")).encode())
            + "."
            + parts[2];
    String expired =
        signed(
            new JsonObject()
                .put("sub", "u1")
                .put("iss", cfg.issuer())
                .put("aud", cfg.audience())
                .put("roles", new JsonArray().add("admin"))
                .put("exp", now - 3600)
                .put("iat", now - 4000),
            cfg);
    String wrongIssuer =
        JwtIssuer.create(
                vertx,
                new AuthConfig(
                    "evil",
                    cfg.audience(),
                    cfg.publicKeyPem(),
                    cfg.privateKeyPem(),
                    Duration.ofMinutes(5)))
            .issue("u1", null, Set.of("admin"));
    String algNone =
        b64("{\"alg\":\"none\",\"typ\":\"JWT\"}")
            + "."
            + b64(payload.copy().put("roles", new JsonArray().add("admin")).encode())
            + ".";
    String algNoneSig = algNone + "x";
    FakeService users = gw.service("users");
    int before = users.calls.get();
    for (String token :
        new String[] {null, "garbage", tampered, expired, wrongIssuer, algNone, algNoneSig}) {
      for (String uri :
          new String[] {
            "/api/v1/me", "/admin/v1/users", "/admin/v1/flights/airports/FRA", "/admin/v1/cache"
          }) {
        HttpResponse<Buffer> r = call(HttpMethod.GET, uri, token);
        assertThat(r.statusCode()).as(uri + " with " + token).isEqualTo(401);
        assertThat(r.getHeader("WWW-Authenticate")).startsWith("Bearer");
      }
    }
    assertThat(users.calls.get()).isEqualTo(before);
    // the valid token passes /me through, Authorization included
    HttpResponse<Buffer> me = call(HttpMethod.GET, "/api/v1/me", valid);
    assertThat(me.statusCode()).isEqualTo(200);
    assertThat(users.headers.get(users.headers.size() - 1).get("Authorization"))
        .isEqualTo("Bearer " + valid);
  }

  @Test
  void userTokenIsForbiddenOnAdminRoutesAdminTokenPassesThrough() {
    String user = gw.token("u2", Set.of("user"));
    for (String uri :
        new String[] {
          "/admin/v1/users",
          "/admin/v1/hotels/7",
          "/admin/v1/cars",
          "/admin/v1/reviews/1",
          "/admin/v1/cache"
        }) {
      assertThat(call(HttpMethod.GET, uri, user).statusCode()).as(uri).isEqualTo(403);
    }
    String admin = gw.token("root", Set.of("admin", "user"));
    FakeService hotels = gw.service("hotels");
    HttpResponse<Buffer> r =
        await(
            gw.client
                .put("/admin/v1/hotels/7?x=1")
                .putHeader("Authorization", "Bearer " + admin)
                .putHeader("If-Match", "\"3\"")
                .sendJsonObject(new JsonObject().put("name", "Grand")));
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject echo = r.bodyAsJsonObject();
    assertThat(echo.getString("service")).isEqualTo("hotels");
    assertThat(echo.getString("method")).isEqualTo("PUT");
    assertThat(echo.getString("uri")).isEqualTo("/admin/v1/hotels/7?x=1");
    assertThat(new JsonObject(echo.getString("body")).getString("name")).isEqualTo("Grand");
    var seen = hotels.headers.get(hotels.headers.size() - 1);
    assertThat(seen.get("Authorization")).isEqualTo("Bearer " + admin);
    assertThat(seen.get("If-Match")).isEqualTo("\"3\"");
    assertThat(seen.get("X-Request-Id")).isNotBlank();
  }

  @Test
  void publicPassThroughRoutesReachTheirOwners() {
    Map<String, String> routes =
        Map.of(
            "/api/v1/airports?q=fra",
            "flights",
            "/api/v1/airports/FRA",
            "flights",
            "/api/v1/airlines/LH",
            "flights",
            "/api/v1/hotels/42",
            "hotels",
            "/api/v1/reviews?subject=hotel:42",
            "reviews",
            "/api/v1/reviews/summary?subject=hotel:42",
            "reviews",
            "/api/v1/cars/suppliers/HZ",
            "cars");
    routes.forEach(
        (uri, owner) -> {
          HttpResponse<Buffer> r = call(HttpMethod.GET, uri, null);
          assertThat(r.statusCode()).as(uri).isEqualTo(200);
          assertThat(r.bodyAsJsonObject().getString("service")).as(uri).isEqualTo(owner);
          assertThat(r.bodyAsJsonObject().getString("uri")).as(uri).isEqualTo(uri);
        });
    assertThat(call(HttpMethod.POST, "/api/v1/reviews", null).statusCode()).isEqualTo(401);
    HttpResponse<Buffer> login =
        await(
            gw.client
                .post("/api/v1/auth/login")
                .sendJsonObject(new JsonObject().put("email", "a@b.c")));
    assertThat(login.statusCode()).isEqualTo(201);
    assertThat(login.bodyAsJsonObject().getString("service")).isEqualTo("users");
  }

  @Test
  void upstreamDownIsA503Problem() {
    FakeService reviews = gw.service("reviews");
    await(reviews.stop());
    try {
      HttpResponse<Buffer> r = call(HttpMethod.GET, "/api/v1/reviews?subject=hotel:1", null);
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.getHeader("Content-Type")).isEqualTo("application/problem+json");
    } finally {
      await(reviews.start());
    }
  }

  @Test
  void oversizedBodyIs413AndOverlongUriIs414() {
    HttpResponse<Buffer> big =
        await(
            gw.client
                .post("/api/v1/auth/register")
                .putHeader("Content-Type", "application/json")
                .sendBuffer(Buffer.buffer("{\"x\":\"" + "a".repeat(20_000) + "\"}")));
    assertThat(big.statusCode()).isEqualTo(413);
    assertThat(big.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(big.getHeader("X-Content-Type-Options"))
        .as("the edge runs before the body is read")
        .isEqualTo("nosniff");
    assertThat(big.getHeader("Content-Security-Policy"))
        .isEqualTo("default-src 'none'; frame-ancestors 'none'");

    HttpResponse<Buffer> longUri =
        call(HttpMethod.GET, "/api/v1/airports?q=" + "a".repeat(4500), null);
    assertThat(longUri.statusCode()).isEqualTo(414);
    assertThat(longUri.getHeader("Content-Type")).isEqualTo("application/problem+json");
    // beyond the server's own request-line limit vert.x itself answers 414
    HttpResponse<Buffer> huge =
        call(HttpMethod.GET, "/api/v1/airports?q=" + "a".repeat(6000), null);
    assertThat(huge.statusCode()).isEqualTo(414);

    HttpResponse<Buffer> longParam =
        call(
            HttpMethod.GET,
            "/api/v1/flights/search?from=" + "A".repeat(300) + "&to=JFK&date=2030-01-01",
            null);
    assertThat(longParam.statusCode()).isEqualTo(400);
    assertThat(longParam.bodyAsJsonObject().getString("parameter")).isEqualTo("from");
  }

  @Test
  void securityHeadersAndCors() {
    HttpResponse<Buffer> notFound = call(HttpMethod.GET, "/nope", null);
    assertThat(notFound.statusCode()).isEqualTo(404);
    assertThat(notFound.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(notFound.getHeader("X-Frame-Options")).isEqualTo("DENY");
    assertThat(notFound.getHeader("Referrer-Policy")).isEqualTo("no-referrer");
    assertThat(notFound.getHeader("Content-Security-Policy")).contains("default-src 'self'");
    assertThat(notFound.getHeader("Strict-Transport-Security")).isNull();
    HttpResponse<Buffer> apiProblem = call(HttpMethod.GET, "/api/v1/flights/search", null);
    assertThat(apiProblem.statusCode()).isEqualTo(400);
    assertThat(apiProblem.getHeader("Content-Security-Policy"))
        .isEqualTo("default-src 'none'; frame-ancestors 'none'");
    assertThat(apiProblem.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");

    HttpResponse<Buffer> preflight =
        await(
            gw.client
                .request(HttpMethod.OPTIONS, "/api/v1/reviews")
                .putHeader("Origin", "https://tarifa.example")
                .putHeader("Access-Control-Request-Method", "POST")
                .putHeader("Access-Control-Request-Headers", "authorization,content-type")
                .send());
    assertThat(preflight.statusCode()).isEqualTo(204);
    assertThat(preflight.getHeader("Access-Control-Allow-Origin"))
        .isEqualTo("https://tarifa.example");
    HttpResponse<Buffer> foreign =
        await(
            gw.client
                .get("/api/v1/airports?q=fr")
                .putHeader("Origin", "https://evil.example")
                .send());
    assertThat(foreign.getHeader("Access-Control-Allow-Origin")).isNull();
  }

  @Test
  void rateLimitGives429WithRetryAfterPerClient() {
    Vertx other = Vertx.vertx();
    try {
      GatewayHarness limited =
          new GatewayHarness(other)
              .start(Map.of("TARIFA_RATE_LIMIT_RPS", "1", "TARIFA_RATE_LIMIT_BURST", "3"));
      for (int i = 0; i < 3; i++) {
        assertThat(await(limited.client.get("/api/v1/airports?q=fr").send()).statusCode())
            .isEqualTo(200);
      }
      HttpResponse<Buffer> limitedAnswer =
          await(limited.client.get("/api/v1/airports?q=fr").send());
      assertThat(limitedAnswer.statusCode()).isEqualTo(429);
      assertThat(Integer.parseInt(limitedAnswer.getHeader("Retry-After"))).isBetween(1, 2);
      assertThat(limitedAnswer.getHeader("Content-Type")).isEqualTo("application/problem+json");
      // a token holder has a bucket of its own (keyed by subject, not address)
      String token = limited.token("heavy-user", Set.of("user"));
      for (int i = 0; i < 3; i++) {
        assertThat(
                await(
                        limited
                            .client
                            .get("/api/v1/airports?q=fr")
                            .putHeader("Authorization", "Bearer " + token)
                            .send())
                    .statusCode())
            .isEqualTo(200);
      }
      assertThat(
              await(
                      limited
                          .client
                          .get("/api/v1/airports?q=fr")
                          .putHeader("Authorization", "Bearer " + token)
                          .send())
                  .statusCode())
          .isEqualTo(429);
      // health stays reachable for probes
      assertThat(await(limited.client.get("/health/live").send()).statusCode()).isEqualTo(200);
    } finally {
      await(other.close());
    }
  }

  @Test
  void behindATrustedProxyEachForwardedClientHasItsOwnBucket() {
    Vertx other = Vertx.vertx();
    try {
      // the test client connects from 127.0.0.1, here the trusted load balancer
      GatewayHarness limited =
          new GatewayHarness(other)
              .start(
                  Map.of(
                      "TARIFA_RATE_LIMIT_RPS",
                      "1",
                      "TARIFA_RATE_LIMIT_BURST",
                      "2",
                      "TARIFA_TRUSTED_PROXIES",
                      "127.0.0.1"));
      for (int i = 0; i < 2; i++) assertThat(status(limited, "203.0.113.1")).isEqualTo(200);
      assertThat(status(limited, "203.0.113.1")).isEqualTo(429);
      assertThat(status(limited, "203.0.113.2"))
          .as("another client behind the same proxy")
          .isEqualTo(200);
      assertThat(status(limited, "6.6.6.6, 203.0.113.1"))
          .as("a spoofed left-most entry changes nothing")
          .isEqualTo(429);
    } finally {
      await(other.close());
    }
  }

  private static int status(GatewayHarness gateway, String forwardedFor) {
    return await(
            gateway
                .client
                .get("/api/v1/airports?q=fr")
                .putHeader("X-Forwarded-For", forwardedFor)
                .send())
        .statusCode();
  }

  @Test
  void verifierRejectsTokensTheGatewayRejects() {
    // sanity: the verifier used at the edge is the shared one, configured with the harness key
    JwtVerifier v = JwtVerifier.create(vertx, GatewayHarness.authConfig());
    assertThat(await(v.verify(gw.token("x", Set.of()))).subject()).isEqualTo("x");
  }
}
