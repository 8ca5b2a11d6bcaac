package dev.tarifa.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tarifa.shared.auth.AuthConfig;
import dev.tarifa.shared.auth.JwtIssuer;
import dev.tarifa.shared.auth.JwtKeys;
import dev.tarifa.shared.config.ConfigException;
import dev.tarifa.shared.config.Env;
import dev.tarifa.shared.db.Postgres;
import dev.tarifa.shared.testing.TestServers;
import dev.tarifa.users.domain.PasswordHash;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The users service against a real PostgreSQL database, deployed on port 0. */
@ExtendWith(VertxExtension.class)
class UsersIT {
  private static final String ADMIN_EMAIL = "Root@Tarifa.Test";
  private static final String ADMIN_PASSWORD = "admin password 123";
  private static final AtomicInteger SEQ = new AtomicInteger();

  private static URI db;
  private static Map<String, String> settings;
  private static UsersConfig config;
  private static WebClient client;
  private static Pool pool;
  private static int port;
  private static JwtKeys.KeyPairPem keys;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    db = TestServers.freshPostgresDatabase("tarifa_users_it");
    keys = JwtKeys.generateEs256();
    settings =
        new HashMap<>(
            Map.of(
                "TARIFA_USERS_PG_URL",
                db.toString(),
                "TARIFA_USERS_PORT",
                "0",
                "TARIFA_ADMIN_EMAIL",
                ADMIN_EMAIL,
                "TARIFA_ADMIN_PASSWORD",
                ADMIN_PASSWORD,
                "TARIFA_PASSWORD_ITERATIONS",
                "2000",
                "TARIFA_JWT_PRIVATE_KEY",
                keys.privatePem(),
                "TARIFA_JWT_PUBLIC_KEY",
                keys.publicPem()));
    config = UsersConfig.fromEnv(Env.of(settings));
    UsersService service = new UsersService(config);
    service.prepare(vertx).await(30, TimeUnit.SECONDS);
    UsersVerticle verticle = (UsersVerticle) service.verticle().get();
    vertx.deployVerticle(verticle).await(10, TimeUnit.SECONDS);
    port = verticle.actualPort();
    client = WebClient.create(vertx);
    pool = Postgres.pool(vertx, db, 2);
  }

  @AfterAll
  static void stop() throws Exception {
    if (client != null) client.close();
    if (pool != null) pool.close().await(5, TimeUnit.SECONDS);
  }

  // ---- register

  @Test
  void registerCreatesAUserWithoutExposingTheHash() throws Exception {
    String email = "Ana." + SEQ.incrementAndGet() + "@Example.COM";
    HttpResponse<Buffer> r =
        post(
            "/api/v1/auth/register",
            null,
            new JsonObject()
                .put("email", email)
                .put("password", "a long password")
                .put("name", "Ana"));
    assertThat(r.statusCode()).isEqualTo(201);
    JsonObject user = r.bodyAsJsonObject();
    assertThat(user.getString("email")).isEqualTo(email.toLowerCase());
    assertThat(user.getString("name")).isEqualTo("Ana");
    assertThat(user.getJsonArray("roles")).containsExactly("user");
    assertThat(user.getBoolean("disabled")).isFalse();
    assertThat(user.getInteger("version")).isEqualTo(1);
    assertThat(r.bodyAsString())
        .doesNotContain("pbkdf2")
        .doesNotContain("a long password")
        .doesNotContainIgnoringCase("hash");

    Row row =
        pool.preparedQuery("SELECT email, password_hash FROM users WHERE id = $1")
            .execute(Tuple.of(Long.parseLong(user.getString("id"))))
            .await(5, TimeUnit.SECONDS)
            .iterator()
            .next();
    assertThat(row.getString("email")).isEqualTo(email.toLowerCase());
    assertThat(row.getString("password_hash"))
        .matches("pbkdf2-sha256\\$2000\\$[A-Za-z0-9+/=]{24}\\$[A-Za-z0-9+/=]{44}");
  }

  @Test
  void duplicateEmailIsA409WhateverTheCase() throws Exception {
    String email = "dup" + SEQ.incrementAndGet() + "@example.com";
    assertThat(register(email, "a long password").statusCode()).isEqualTo(201);
    HttpResponse<Buffer> again = register(email.toUpperCase(), "another long password");
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(again.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(again.bodyAsJsonObject().getString("type")).endsWith("/conflict");
  }

  @Test
  void invalidRegistrationsAre400sNamingTheParameter() throws Exception {
    assertBadRequest(new JsonObject().put("password", "a long password"), "email");
    assertBadRequest(
        new JsonObject().put("email", "not-an-email").put("password", "a long password"), "email");
    assertBadRequest(
        new JsonObject().put("email", "a@b").put("password", "a long password"), "email");
    assertBadRequest(
        new JsonObject()
            .put("email", "x".repeat(250) + "@example.com")
            .put("password", "a long password"),
        "email");
    assertBadRequest(new JsonObject().put("email", 42).put("password", "a long password"), "email");
    assertBadRequest(new JsonObject().put("email", "ok@example.com"), "password");
    assertBadRequest(
        new JsonObject().put("email", "ok@example.com").put("password", "short pass1"), "password");
    assertBadRequest(
        new JsonObject().put("email", "ok@example.com").put("password", "p".repeat(129)),
        "password");
    assertBadRequest(
        new JsonObject().put("email", "ok@example.com").put("password", 123456789012345L),
        "password");
    assertBadRequest(
        new JsonObject()
            .put("email", "ok@example.com")
            .put("password", "a long password")
            .put("name", "n".repeat(101)),
        "name");
    HttpResponse<Buffer> notJson =
        client
            .post(port, "localhost", "/api/v1/auth/register")
            .putHeader("Content-Type", "application/json")
            .sendBuffer(Buffer.buffer("{nope"))
            .await(5, TimeUnit.SECONDS);
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(notJson.bodyAsJsonObject().getString("parameter")).isEqualTo("body");
    // Twelve characters is enough, and a 254-character address is accepted.
    assertThat(
            register("edge" + SEQ.incrementAndGet() + "@example.com", "twelve chars").statusCode())
        .isEqualTo(201);
    String longest =
        "l".repeat(64)
            + "@"
            + "d".repeat(63)
            + "."
            + "e".repeat(63)
            + "."
            + "f".repeat(57)
            + ".com";
    assertThat(longest).hasSize(254);
    assertThat(register(longest, "a long password").statusCode()).isEqualTo(201);
  }

  // ---- login and me

  @Test
  void loginIssuesAShortLivedTokenThatMeAccepts() throws Exception {
    String email = "login" + SEQ.incrementAndGet() + "@example.com";
    String id = register(email, "a long password").bodyAsJsonObject().getString("id");
    HttpResponse<Buffer> r = login(email.toUpperCase(), "a long password");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.getHeader("Cache-Control")).isEqualTo("no-store");
    JsonObject body = r.bodyAsJsonObject();
    assertThat(body.getString("tokenType")).isEqualTo("Bearer");
    assertThat(body.getLong("expiresIn")).isEqualTo(900);

    JsonObject claims = claims(body.getString("token"));
    assertThat(claims.getString("sub")).isEqualTo(id);
    assertThat(claims.getString("email")).isEqualTo(email);
    assertThat(claims.getJsonArray("roles")).containsExactly("user");
    assertThat(claims.getString("iss")).isEqualTo("tarifa");
    assertThat(claims.getValue("aud").toString()).contains("tarifa-api");
    long now = System.currentTimeMillis() / 1000;
    assertThat(claims.getLong("exp")).isGreaterThan(now).isLessThanOrEqualTo(now + 15 * 60);
    assertThat(claims.getLong("exp") - claims.getLong("iat")).isLessThanOrEqualTo(15 * 60);

    HttpResponse<Buffer> me = get("/api/v1/me", body.getString("token"));
    assertThat(me.statusCode()).isEqualTo(200);
    assertThat(me.bodyAsJsonObject().getString("id")).isEqualTo(id);
    assertThat(me.bodyAsJsonObject().getString("email")).isEqualTo(email);
    assertThat(me.bodyAsString()).doesNotContain("pbkdf2");
  }

  @Test
  void loginUpgradesAWeakerStoredHash() throws Exception {
    String email = "legacy" + SEQ.incrementAndGet() + "@example.com";
    String weak = PasswordHash.hash("a long password", 1000);
    pool.preparedQuery("INSERT INTO users (email, password_hash) VALUES ($1, $2)")
        .execute(Tuple.of(email, weak))
        .await(5, TimeUnit.SECONDS);
    assertThat(login(email, "wrong password!!").statusCode()).isEqualTo(401);
    assertThat(storedHash(email)).isEqualTo(weak);

    assertThat(login(email, "a long password").statusCode()).isEqualTo(200);
    String upgraded = storedHash(email);
    assertThat(PasswordHash.iterations(upgraded)).isEqualTo(2000);
    assertThat(PasswordHash.verify("a long password", upgraded)).isTrue();
    assertThat(login(email, "a long password").statusCode()).isEqualTo(200);
    assertThat(storedHash(email)).isEqualTo(upgraded);
  }

  private static String storedHash(String email) throws Exception {
    return pool.preparedQuery("SELECT password_hash FROM users WHERE email = $1")
        .execute(Tuple.of(email))
        .await(5, TimeUnit.SECONDS)
        .iterator()
        .next()
        .getString("password_hash");
  }

  @Test
  void meNeedsAValidToken(Vertx vertx) throws Exception {
    HttpResponse<Buffer> none = get("/api/v1/me", null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.getHeader("WWW-Authenticate")).startsWith("Bearer");
    assertThat(get("/api/v1/me", "garbage").statusCode()).isEqualTo(401);
    // Signed by another key pair: rejected.
    String foreign =
        JwtIssuer.create(vertx, config.auth().withKeys(JwtKeys.generateEs256()))
            .issue("1", "x@example.com", Set.of("admin"));
    assertThat(get("/api/v1/me", foreign).statusCode()).isEqualTo(401);
  }

  @Test
  void wrongPasswordUnknownEmailAndDisabledAccountGetTheSame401() throws Exception {
    String email = "same" + SEQ.incrementAndGet() + "@example.com";
    String id = register(email, "a long password").bodyAsJsonObject().getString("id");
    HttpResponse<Buffer> wrong = login(email, "not the password");
    HttpResponse<Buffer> unknown =
        login("nobody" + SEQ.incrementAndGet() + "@example.com", "a long password");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(unknown.statusCode()).isEqualTo(401);
    assertThat(withoutRequestId(wrong)).isEqualTo(withoutRequestId(unknown));
    assertThat(Set.copyOf(wrong.headers().names()))
        .isEqualTo(Set.copyOf(unknown.headers().names()));

    String admin = adminToken();
    patch(id, admin, "\"1\"", new JsonObject().put("disabled", true));
    HttpResponse<Buffer> disabled = login(email, "a long password");
    assertThat(disabled.statusCode()).isEqualTo(401);
    assertThat(withoutRequestId(disabled)).isEqualTo(withoutRequestId(unknown));
  }

  // ---- admin

  @Test
  void adminListsGetsAndPatchesWithIfMatch() throws Exception {
    String admin = adminToken();
    String email = "managed" + SEQ.incrementAndGet() + "@example.com";
    String id = register(email, "a long password").bodyAsJsonObject().getString("id");

    HttpResponse<Buffer> list =
        get("/admin/v1/users?q=" + email.substring(0, email.indexOf('@')) + "&limit=5", admin);
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(list.bodyAsJsonObject().getLong("total")).isEqualTo(1);
    assertThat(list.bodyAsJsonObject().getJsonArray("results").getJsonObject(0).getString("email"))
        .isEqualTo(email);
    assertThat(list.bodyAsString()).doesNotContain("pbkdf2");
    HttpResponse<Buffer> all = get("/admin/v1/users?limit=1&offset=0", admin);
    assertThat(all.bodyAsJsonObject().getJsonArray("results")).hasSize(1);
    assertThat(all.bodyAsJsonObject().getLong("total")).isGreaterThanOrEqualTo(2);
    assertThat(get("/admin/v1/users?limit=0", admin).bodyAsJsonObject().getString("parameter"))
        .isEqualTo("limit");
    // LIKE wildcards in q are literal.
    assertThat(get("/admin/v1/users?q=%25", admin).bodyAsJsonObject().getLong("total")).isZero();

    HttpResponse<Buffer> one = get("/admin/v1/users/" + id, admin);
    assertThat(one.statusCode()).isEqualTo(200);
    assertThat(one.getHeader("ETag")).isEqualTo("\"1\"");
    assertThat(get("/admin/v1/users/999999999", admin).statusCode()).isEqualTo(404);
    assertThat(get("/admin/v1/users/abc", admin).bodyAsJsonObject().getString("parameter"))
        .isEqualTo("id");

    JsonObject change = new JsonObject().put("roles", new JsonArray().add("user").add("editor"));
    HttpResponse<Buffer> missing = patch(id, admin, null, change);
    assertThat(missing.statusCode()).isEqualTo(428);
    assertThat(missing.bodyAsJsonObject().getString("type")).endsWith("/precondition-required");

    HttpResponse<Buffer> ok = patch(id, admin, "\"1\"", change);
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.getHeader("ETag")).isEqualTo("\"2\"");
    assertThat(ok.bodyAsJsonObject().getJsonArray("roles")).containsExactly("user", "editor");
    assertThat(ok.bodyAsJsonObject().getBoolean("disabled")).isFalse();

    HttpResponse<Buffer> stale = patch(id, admin, "\"1\"", new JsonObject().put("disabled", true));
    assertThat(stale.statusCode()).isEqualTo(412);
    assertThat(get("/admin/v1/users/" + id, admin).bodyAsJsonObject().getBoolean("disabled"))
        .isFalse();

    assertThat(
            patch(id, admin, "\"2\"", new JsonObject().put("password", "x"))
                .bodyAsJsonObject()
                .getString("parameter"))
        .isEqualTo("password");
    assertThat(
            patch(id, admin, "\"2\"", new JsonObject().put("roles", new JsonArray().add("Admin!")))
                .statusCode())
        .isEqualTo(400);
    assertThat(patch(id, admin, "W/\"2\"", change).bodyAsJsonObject().getString("parameter"))
        .isEqualTo("If-Match");
    assertThat(patch("999999999", admin, "\"1\"", change).statusCode()).isEqualTo(404);

    // A fresh login reflects the new roles.
    assertThat(
            claims(login(email, "a long password").bodyAsJsonObject().getString("token"))
                .getJsonArray("roles"))
        .containsExactlyInAnyOrder("user", "editor");
  }

  @Test
  void adminDeletes() throws Exception {
    String admin = adminToken();
    String email = "gone" + SEQ.incrementAndGet() + "@example.com";
    String id = register(email, "a long password").bodyAsJsonObject().getString("id");
    String token = login(email, "a long password").bodyAsJsonObject().getString("token");

    assertThat(delete(id, admin).statusCode()).isEqualTo(204);
    assertThat(delete(id, admin).statusCode()).isEqualTo(404);
    assertThat(get("/admin/v1/users/" + id, admin).statusCode()).isEqualTo(404);
    // The still-unexpired token of a deleted account no longer opens /me.
    assertThat(get("/api/v1/me", token).statusCode()).isEqualTo(401);
    assertThat(login(email, "a long password").statusCode()).isEqualTo(401);
  }

  @Test
  void adminRoutesNeedTheAdminRole() throws Exception {
    String email = "plain" + SEQ.incrementAndGet() + "@example.com";
    String id = register(email, "a long password").bodyAsJsonObject().getString("id");
    String user = login(email, "a long password").bodyAsJsonObject().getString("token");
    assertThat(get("/admin/v1/users", null).statusCode()).isEqualTo(401);
    HttpResponse<Buffer> forbidden = get("/admin/v1/users", user);
    assertThat(forbidden.statusCode()).isEqualTo(403);
    assertThat(forbidden.bodyAsJsonObject().getString("type")).endsWith("/forbidden");
    assertThat(get("/admin/v1/users/" + id, user).statusCode()).isEqualTo(403);
    assertThat(
            patch(id, user, "\"1\"", new JsonObject().put("roles", new JsonArray().add("admin")))
                .statusCode())
        .isEqualTo(403);
    assertThat(delete(id, user).statusCode()).isEqualTo(403);
    assertThat(get("/admin/v1/users/" + id, adminToken()).bodyAsJsonObject().getJsonArray("roles"))
        .containsExactly("user");
  }

  @Test
  void adminCannotLockThemselvesOut() throws Exception {
    String admin = adminToken();
    String self = claims(admin).getString("sub");
    assertThat(delete(self, admin).statusCode()).isEqualTo(409);
    String etag = get("/admin/v1/users/" + self, admin).getHeader("ETag");
    assertThat(patch(self, admin, etag, new JsonObject().put("disabled", true)).statusCode())
        .isEqualTo(409);
    assertThat(
            patch(self, admin, etag, new JsonObject().put("roles", new JsonArray().add("user")))
                .statusCode())
        .isEqualTo(409);
  }

  // ---- start-up

  @Test
  void adminBootstrapIsIdempotentAndKeepsThePassword(Vertx vertx) throws Exception {
    Map<String, String> changed = new HashMap<>(settings);
    changed.put("TARIFA_ADMIN_PASSWORD", "a different admin password");
    new UsersService(UsersConfig.fromEnv(Env.of(changed)))
        .prepare(vertx)
        .await(30, TimeUnit.SECONDS);
    new UsersService(config).prepare(vertx).await(30, TimeUnit.SECONDS);

    long admins =
        pool.preparedQuery(
                "SELECT count(*) AS n FROM users WHERE email = $1 AND roles @> ARRAY['admin']::text[]")
            .execute(Tuple.of(ADMIN_EMAIL.toLowerCase()))
            .await(5, TimeUnit.SECONDS)
            .iterator()
            .next()
            .getLong("n");
    assertThat(admins).isEqualTo(1);
    assertThat(login(ADMIN_EMAIL, ADMIN_PASSWORD).statusCode()).isEqualTo(200);
    assertThat(login(ADMIN_EMAIL, "a different admin password").statusCode()).isEqualTo(401);
    assertThat(claims(adminToken()).getJsonArray("roles"))
        .containsExactlyInAnyOrder("user", "admin");
  }

  @Test
  void tokensNameTheSigningKeyAndARotatedServiceSignsWithTheNewKey(Vertx vertx) throws Exception {
    String token = adminToken();
    JsonObject header =
        new JsonObject(
            new String(
                java.util.Base64.getUrlDecoder().decode(token.split("\\.")[0]),
                java.nio.charset.StandardCharsets.UTF_8));
    assertThat(header.getString("kid")).isEqualTo(keys.kid());

    // Rotation step 3: the users service signs with B while still accepting A (tokens in use stay
    // valid).
    JwtKeys.KeyPairPem next = JwtKeys.generateEs256();
    Map<String, String> rotated = new HashMap<>(settings);
    rotated.put("TARIFA_JWT_PRIVATE_KEY", next.privatePem());
    rotated.put("TARIFA_JWT_PUBLIC_KEY", keys.publicPem() + next.publicPem());
    UsersService service = new UsersService(UsersConfig.fromEnv(Env.of(rotated)));
    service.prepare(vertx).await(30, TimeUnit.SECONDS);
    UsersVerticle verticle = (UsersVerticle) service.verticle().get();
    String id = vertx.deployVerticle(verticle).await(10, TimeUnit.SECONDS);
    try {
      HttpResponse<Buffer> login =
          client
              .post(verticle.actualPort(), "localhost", "/api/v1/auth/login")
              .sendJsonObject(
                  new JsonObject().put("email", ADMIN_EMAIL).put("password", ADMIN_PASSWORD))
              .await(10, TimeUnit.SECONDS);
      assertThat(login.statusCode()).isEqualTo(200);
      String newToken = login.bodyAsJsonObject().getString("token");
      JsonObject newHeader =
          new JsonObject(
              new String(
                  java.util.Base64.getUrlDecoder().decode(newToken.split("\\.")[0]),
                  java.nio.charset.StandardCharsets.UTF_8));
      assertThat(newHeader.getString("kid")).isEqualTo(next.kid());
      // The rotated service accepts the old token and its own.
      for (String t : List.of(token, newToken)) {
        assertThat(
                client
                    .get(verticle.actualPort(), "localhost", "/api/v1/me")
                    .putHeader("Authorization", "Bearer " + t)
                    .send()
                    .await(10, TimeUnit.SECONDS)
                    .statusCode())
            .as(t)
            .isEqualTo(200);
      }
    } finally {
      vertx.undeploy(id).await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void startFailsWithoutThePrivateKey(Vertx vertx) {
    Map<String, String> noKey = new HashMap<>(settings);
    noKey.remove("TARIFA_JWT_PRIVATE_KEY");
    // The config itself still loads (the all-in-one launcher validates config before generating
    // keys).
    UsersConfig c = UsersConfig.fromEnv(Env.of(noKey));
    assertThatThrownBy(() -> new UsersService(c).prepare(vertx).await(10, TimeUnit.SECONDS))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("TARIFA_JWT_PRIVATE_KEY");

    Map<String, String> mismatched = new HashMap<>(settings);
    mismatched.put("TARIFA_JWT_PUBLIC_KEY", JwtKeys.generateEs256().publicPem());
    assertThatThrownBy(
            () ->
                new UsersService(UsersConfig.fromEnv(Env.of(mismatched)))
                    .prepare(vertx)
                    .await(10, TimeUnit.SECONDS))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("TARIFA_JWT_PUBLIC_KEY");
    assertThat(AuthConfig.fromEnv(Env.of(noKey)).privateKeyPem()).isNull();
  }

  // ---- helpers

  private static String adminToken() throws Exception {
    HttpResponse<Buffer> r = login(ADMIN_EMAIL, ADMIN_PASSWORD);
    assertThat(r.statusCode()).isEqualTo(200);
    return r.bodyAsJsonObject().getString("token");
  }

  private static void assertBadRequest(JsonObject body, String parameter) throws Exception {
    HttpResponse<Buffer> r = post("/api/v1/auth/register", null, body);
    assertThat(r.statusCode()).as("%s", body).isEqualTo(400);
    assertThat(r.bodyAsJsonObject().getString("parameter")).as("%s", body).isEqualTo(parameter);
  }

  private static JsonObject withoutRequestId(HttpResponse<Buffer> r) {
    JsonObject json = r.bodyAsJsonObject().copy();
    json.remove("requestId");
    json.remove("instance");
    return json;
  }

  private static JsonObject claims(String token) {
    return new JsonObject(
        new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
  }

  private static HttpResponse<Buffer> register(String email, String password) throws Exception {
    return post(
        "/api/v1/auth/register",
        null,
        new JsonObject().put("email", email).put("password", password));
  }

  private static HttpResponse<Buffer> login(String email, String password) throws Exception {
    return post(
        "/api/v1/auth/login", null, new JsonObject().put("email", email).put("password", password));
  }

  private static HttpResponse<Buffer> post(String path, String token, JsonObject body)
      throws Exception {
    return auth(client.post(port, "localhost", path), token)
        .sendJsonObject(body)
        .await(10, TimeUnit.SECONDS);
  }

  private static HttpResponse<Buffer> get(String path, String token) throws Exception {
    return auth(client.get(port, "localhost", path), token).send().await(10, TimeUnit.SECONDS);
  }

  private static HttpResponse<Buffer> patch(
      String id, String token, String ifMatch, JsonObject body) throws Exception {
    HttpRequest<Buffer> req = auth(client.patch(port, "localhost", "/admin/v1/users/" + id), token);
    if (ifMatch != null) req.putHeader("If-Match", ifMatch);
    return req.sendJsonObject(body).await(10, TimeUnit.SECONDS);
  }

  private static HttpResponse<Buffer> delete(String id, String token) throws Exception {
    return auth(client.delete(port, "localhost", "/admin/v1/users/" + id), token)
        .send()
        .await(10, TimeUnit.SECONDS);
  }

  private static HttpRequest<Buffer> auth(HttpRequest<Buffer> req, String token) {
    if (token != null) req.putHeader("Authorization", "Bearer " + token);
    return req;
  }
}
