package dev.tarifa.shared.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tarifa.shared.config.ConfigException;
import dev.tarifa.shared.config.Env;
import dev.tarifa.shared.health.Health;
import dev.tarifa.shared.http.Problem;
import dev.tarifa.shared.http.Routers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The JWT contract: issued tokens verify (also independently of vert.x), and every kind of bad
 * token is a 401. Bad tokens are crafted by hand (base64url header and payload plus a signature
 * made with the JDK).
 */
@ExtendWith(VertxExtension.class)
class JwtTest {
  private static JwtKeys.KeyPairPem keys;
  private static JwtKeys.KeyPairPem otherKeys;
  private static AuthConfig config;

  private JwtVerifier verifier;
  private HttpServer server;
  private WebClient client;

  @BeforeAll
  static void keys() {
    keys = JwtKeys.generateEs256();
    otherKeys = JwtKeys.generateEs256();
    config =
        new AuthConfig("tarifa", "tarifa-api", null, null, Duration.ofMinutes(15)).withKeys(keys);
  }

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    verifier = JwtVerifier.create(vertx, config);
    Router router = Routers.create(vertx, new Health(vertx));
    router
        .get("/me")
        .handler(verifier.requireUser())
        .handler(
            ctx -> {
              Principal p = Principal.of(ctx);
              ctx.json(
                  new JsonObject()
                      .put("sub", p.subject())
                      .put("email", p.email())
                      .put(
                          "roles",
                          new JsonArray(
                              p.roles().stream().sorted().map(Object.class::cast).toList())));
            });
    router.get("/admin").handler(verifier.requireRole("admin")).handler(ctx -> ctx.end("ok"));
    router.get("/open").handler(ctx -> ctx.end(String.valueOf(Principal.of(ctx))));
    server = vertx.createHttpServer().requestHandler(router).listen(0).await(5, TimeUnit.SECONDS);
    client = WebClient.create(vertx);
  }

  @AfterEach
  void tearDown() throws Exception {
    client.close();
    server.close().await(5, TimeUnit.SECONDS);
  }

  // ---- configuration and keys

  @Test
  void configDefaultsAndTtlLimit() {
    AuthConfig c = AuthConfig.fromEnv(Env.of(Map.of()));
    assertThat(c.issuer()).isEqualTo("tarifa");
    assertThat(c.audience()).isEqualTo("tarifa-api");
    assertThat(c.publicKeyPem()).isNull();
    assertThat(c.privateKeyPem()).isNull();
    assertThat(c.tokenTtl()).isEqualTo(Duration.ofMinutes(15));
    assertThat(AuthConfig.fromEnv(Env.of(Map.of("TARIFA_JWT_TTL", "5m"))).tokenTtl())
        .isEqualTo(Duration.ofMinutes(5));
    assertThatThrownBy(() -> AuthConfig.fromEnv(Env.of(Map.of("TARIFA_JWT_TTL", "16m"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("TARIFA_JWT_TTL");
    assertThatThrownBy(() -> AuthConfig.fromEnv(Env.of(Map.of("TARIFA_JWT_TTL", "soon"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("TARIFA_JWT_TTL");
    // Inline PEMs with escaped newlines (as in a .env file) are accepted.
    AuthConfig inline =
        AuthConfig.fromEnv(
            Env.of(Map.of("TARIFA_JWT_PUBLIC_KEY", keys.publicPem().replace("\n", "\\n"))));
    assertThat(inline.publicKeyPem()).isEqualTo(keys.publicPem());
    assertThat(c.withKeys(keys).toString()).doesNotContain(keys.privatePem().substring(30, 60));
  }

  @Test
  void generatedKeysAreStandardPem() throws Exception {
    assertThat(keys.privatePem())
        .startsWith("-----BEGIN PRIVATE KEY-----\n")
        .endsWith("-----END PRIVATE KEY-----\n");
    assertThat(keys.publicPem())
        .startsWith("-----BEGIN PUBLIC KEY-----\n")
        .endsWith("-----END PUBLIC KEY-----\n");
    PrivateKey priv = privateKey(keys);
    PublicKey pub = publicKey(keys);
    assertThat(priv.getAlgorithm()).isEqualTo("EC");
    assertThat(
            ((java.security.interfaces.ECPublicKey) pub)
                .getParams()
                .getCurve()
                .getField()
                .getFieldSize())
        .isEqualTo(256);
    assertThat(otherKeys.publicPem()).isNotEqualTo(keys.publicPem());
  }

  @Test
  void issuerNeedsThePrivateKey(Vertx vertx) {
    assertThatThrownBy(
            () ->
                JwtIssuer.create(
                    vertx, new AuthConfig("tarifa", "tarifa-api", keys.publicPem(), null, null)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("TARIFA_JWT_PRIVATE_KEY");
  }

  // ---- issue and verify

  @Test
  void issuedTokenHasTheClaimsAndVerifies(Vertx vertx) throws Exception {
    String token =
        JwtIssuer.create(vertx, config).issue("42", "ana@example.com", Set.of("user", "admin"));
    String[] parts = token.split("\\.");
    JsonObject header = json(parts[0]);
    JsonObject payload = json(parts[1]);
    assertThat(header.getString("alg")).isEqualTo("ES256");
    assertThat(payload.getString("sub")).isEqualTo("42");
    assertThat(payload.getString("email")).isEqualTo("ana@example.com");
    assertThat(payload.getJsonArray("roles")).containsExactlyInAnyOrder("user", "admin");
    assertThat(payload.getString("iss")).isEqualTo("tarifa");
    assertThat(payload.getValue("aud").toString()).contains("tarifa-api");
    long now = System.currentTimeMillis() / 1000;
    assertThat(payload.getLong("iat")).isBetween(now - 5, now + 1);
    assertThat(payload.getLong("exp") - payload.getLong("iat")).isEqualTo(15 * 60);

    // The signature is a standard JOSE ES256 signature (R||S), checked here without vert.x.
    Signature sig = Signature.getInstance("SHA256withECDSAinP1363Format");
    sig.initVerify(publicKey(keys));
    sig.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    assertThat(sig.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();

    Principal p = await(verifier.verify(token));
    assertThat(p.subject()).isEqualTo("42");
    assertThat(p.email()).isEqualTo("ana@example.com");
    assertThat(p.roles()).containsExactlyInAnyOrder("user", "admin");
    assertThat(p.hasRole("admin")).isTrue();
    assertThat(p.hasRole("root")).isFalse();
  }

  @Test
  void handCraftedValidTokenIsAccepted() throws Exception {
    // Guards the crafting helpers: the rejection tests below change exactly one thing from this
    // token.
    assertThat(await(verifier.verify(es256(header("ES256"), claims(), keys))).subject())
        .isEqualTo("7");
    assertThat(
            await(verifier.verify(es256(header("ES256"), claims().put("aud", "tarifa-api"), keys)))
                .subject())
        .isEqualTo("7");
  }

  // ---- every rejection

  @Test
  void rejectsMissingAndMalformedTokens() throws Exception {
    assertRejected(null);
    assertRejected("");
    assertRejected("not-a-jwt");
    assertRejected("a.b.c");
    assertRejected(b64("{\"alg\":\"ES256\"}") + "." + b64("not json") + "." + b64("sig"));
    assertRejected("x".repeat(JwtVerifier.MAX_TOKEN_LENGTH + 1));
  }

  @Test
  void rejectsExpired() throws Exception {
    long now = System.currentTimeMillis() / 1000;
    assertRejected(
        es256(header("ES256"), claims().put("iat", now - 3600).put("exp", now - 60), keys));
    assertRejected(es256(header("ES256"), claims().put("exp", (Object) null), keys));
    assertRejected(es256(header("ES256"), claims().put("nbf", now + 3600), keys));
  }

  @Test
  void rejectsTamperedSignatureOrPayload() throws Exception {
    String good = es256(header("ES256"), claims(), keys);
    String[] parts = good.split("\\.");
    byte[] sig = Base64.getUrlDecoder().decode(parts[2]);
    sig[10] ^= 0x01;
    assertRejected(
        parts[0]
            + "."
            + parts[1]
            + "."
            + Base64.getUrlEncoder().withoutPadding().encodeToString(sig));
    // Escalating privileges in the payload while keeping the original signature.
    String forged = b64(claims().put("roles", new JsonArray().add("user").add("admin")).encode());
    assertRejected(parts[0] + "." + forged + "." + parts[2]);
  }

  @Test
  void rejectsWrongIssuerAndAudience() throws Exception {
    assertRejected(es256(header("ES256"), claims().put("iss", "evil"), keys));
    JsonObject noIssuer = claims();
    noIssuer.remove("iss");
    assertRejected(es256(header("ES256"), noIssuer, keys));
    assertRejected(es256(header("ES256"), claims().put("aud", "other-api"), keys));
    assertRejected(
        es256(header("ES256"), claims().put("aud", new JsonArray().add("other-api")), keys));
    assertRejected(es256(header("ES256"), claims().put("aud", (Object) null), keys));
    assertRejected(es256(header("ES256"), claims().put("sub", (Object) null), keys));
  }

  @Test
  void rejectsAlgNoneAndOtherAlgorithms() throws Exception {
    String payload = b64(claims().encode());
    // alg none, with and without a trailing signature part.
    assertRejected(b64(header("none").encode()) + "." + payload + ".");
    assertRejected(b64(header("none").encode()) + "." + payload + "." + b64("x"));
    assertRejected(b64(header("NONE").encode()) + "." + payload + "." + b64("x"));
    // HS256 keyed with the public key (the classic key-confusion attack), with the PEM text and the
    // DER bytes.
    assertRejected(
        hs256(header("HS256"), claims(), keys.publicPem().getBytes(StandardCharsets.US_ASCII)));
    assertRejected(hs256(header("HS256"), claims(), publicKey(keys).getEncoded()));
    // RS256 with a fresh RSA key.
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    var rsaPair = rsa.generateKeyPair();
    String signingInput = b64(header("RS256").encode()) + "." + payload;
    Signature s = Signature.getInstance("SHA256withRSA");
    s.initSign(rsaPair.getPrivate());
    s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
    assertRejected(
        signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(s.sign()));
    // A valid ES256 signature under a header naming another EC algorithm.
    assertRejected(es256(header("ES384"), claims(), keys));
  }

  @Test
  void rejectsTokenSignedByAnotherKey(Vertx vertx) throws Exception {
    assertRejected(es256(header("ES256"), claims(), otherKeys));
    String foreign =
        JwtIssuer.create(vertx, config.withKeys(otherKeys)).issue("1", null, Set.of("admin"));
    assertRejected(foreign);
  }

  @Test
  void withoutPublicKeyEverythingIsRejected(Vertx vertx) throws Exception {
    JwtVerifier closed =
        JwtVerifier.create(vertx, new AuthConfig("tarifa", "tarifa-api", null, null, null));
    String token = JwtIssuer.create(vertx, config).issue("1", null, Set.of("user"));
    Throwable failure =
        closed
            .verify(token)
            .transform(ar -> Future.succeededFuture(ar.cause()))
            .await(5, TimeUnit.SECONDS);
    assertThat(failure).isInstanceOf(Problem.class);
    assertThat(((Problem) failure).status()).isEqualTo(401);
  }

  /**
   * vert.x-auth-jwt on its own (no explicit checks in front of it) also rejects a wrong issuer,
   * audience, expiry and algorithm; the explicit checks in {@link JwtVerifier} are defence in
   * depth, not the only line.
   */
  @Test
  void libraryAloneEnforcesIssuerAudienceExpiryAndAlgorithm(Vertx vertx) throws Exception {
    JWTAuth lib =
        JWTAuth.create(
            vertx,
            new JWTAuthOptions()
                .addPubSecKey(
                    new PubSecKeyOptions().setAlgorithm("ES256").setBuffer(keys.publicPem()))
                .setJWTOptions(new JWTOptions().setIssuer("tarifa").addAudience("tarifa-api")));
    long now = System.currentTimeMillis() / 1000;
    assertThat(libraryAccepts(lib, es256(header("ES256"), claims(), keys))).isTrue();
    assertThat(libraryAccepts(lib, es256(header("ES256"), claims().put("iss", "evil"), keys)))
        .isFalse();
    assertThat(libraryAccepts(lib, es256(header("ES256"), claims().put("aud", "other-api"), keys)))
        .isFalse();
    assertThat(libraryAccepts(lib, es256(header("ES256"), claims().put("exp", now - 600), keys)))
        .isFalse();
    assertThat(
            libraryAccepts(lib, b64(header("none").encode()) + "." + b64(claims().encode()) + "."))
        .isFalse();
    assertThat(
            libraryAccepts(
                lib,
                hs256(
                    header("HS256"),
                    claims(),
                    keys.publicPem().getBytes(StandardCharsets.US_ASCII))))
        .isFalse();
    assertThat(libraryAccepts(lib, es256(header("ES256"), claims(), otherKeys))).isFalse();
  }

  // ---- route guards

  @Test
  void requireUserAnswers401WithChallengeAndPassesThePrincipal(Vertx vertx) throws Exception {
    HttpResponse<Buffer> none = get("/me", null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(none.getHeader("WWW-Authenticate")).startsWith("Bearer");
    assertThat(none.bodyAsJsonObject().getInteger("status")).isEqualTo(401);

    HttpResponse<Buffer> basic =
        client
            .get(server.actualPort(), "localhost", "/me")
            .putHeader("Authorization", "Basic YTpi")
            .send()
            .await(5, TimeUnit.SECONDS);
    assertThat(basic.statusCode()).isEqualTo(401);

    HttpResponse<Buffer> bad = get("/me", es256(header("ES256"), claims(), otherKeys));
    assertThat(bad.statusCode()).isEqualTo(401);
    assertThat(bad.getHeader("WWW-Authenticate")).contains("invalid_token");

    String token = JwtIssuer.create(vertx, config).issue("42", "ana@example.com", Set.of("user"));
    HttpResponse<Buffer> ok = get("/me", token);
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.bodyAsJsonObject())
        .isEqualTo(
            new JsonObject()
                .put("sub", "42")
                .put("email", "ana@example.com")
                .put("roles", new JsonArray().add("user")));

    assertThat(get("/open", token).bodyAsString()).isEqualTo("null");
  }

  @Test
  void requireRoleAnswers403WithoutTheRole(Vertx vertx) throws Exception {
    JwtIssuer issuer = JwtIssuer.create(vertx, config);
    assertThat(get("/admin", null).statusCode()).isEqualTo(401);
    HttpResponse<Buffer> user = get("/admin", issuer.issue("1", null, Set.of("user")));
    assertThat(user.statusCode()).isEqualTo(403);
    assertThat(user.bodyAsJsonObject().getString("type")).endsWith("/forbidden");
    assertThat(get("/admin", issuer.issue("2", null, Set.of("user", "admin"))).statusCode())
        .isEqualTo(200);
  }

  // ---- helpers

  private HttpResponse<Buffer> get(String path, String token) throws Exception {
    var req = client.get(server.actualPort(), "localhost", path);
    if (token != null) req.putHeader("Authorization", "Bearer " + token);
    return req.send().await(5, TimeUnit.SECONDS);
  }

  private void assertRejected(String token) throws Exception {
    Throwable failure =
        verifier
            .verify(token)
            .transform(ar -> Future.<Throwable>succeededFuture(ar.failed() ? ar.cause() : null))
            .await(5, TimeUnit.SECONDS);
    assertThat(failure).as("token must be rejected: %s", token).isInstanceOf(Problem.class);
    assertThat(((Problem) failure).status()).isEqualTo(401);
    // Through the route guard too (over-long tokens are stopped earlier by the server's header
    // limit).
    if (token != null && token.length() < 4096)
      assertThat(get("/me", token).statusCode()).isEqualTo(401);
  }

  private static boolean libraryAccepts(JWTAuth lib, String token) throws Exception {
    return lib.authenticate(new TokenCredentials(token))
        .transform(ar -> Future.succeededFuture(ar.succeeded()))
        .await(5, TimeUnit.SECONDS);
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.await(5, TimeUnit.SECONDS);
  }

  private static JsonObject header(String alg) {
    return new JsonObject().put("alg", alg).put("typ", "JWT");
  }

  private static JsonObject claims() {
    long now = System.currentTimeMillis() / 1000;
    return new JsonObject()
        .put("sub", "7")
        .put("roles", new JsonArray().add("user"))
        .put("iss", "tarifa")
        .put("aud", new JsonArray().add("tarifa-api"))
        .put("iat", now)
        .put("exp", now + 600);
  }

  static String es256(JsonObject header, JsonObject claims, JwtKeys.KeyPairPem with)
      throws Exception {
    String input = b64(header.encode()) + "." + b64(claims.encode());
    Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
    s.initSign(privateKey(with));
    s.update(input.getBytes(StandardCharsets.US_ASCII));
    return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(s.sign());
  }

  private static String hs256(JsonObject header, JsonObject claims, byte[] secret)
      throws Exception {
    String input = b64(header.encode()) + "." + b64(claims.encode());
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret, "HmacSHA256"));
    return input
        + "."
        + Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
  }

  private static String b64(String s) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static JsonObject json(String part) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8));
  }

  private static PrivateKey privateKey(JwtKeys.KeyPairPem pem) throws Exception {
    return KeyFactory.getInstance("EC")
        .generatePrivate(new PKCS8EncodedKeySpec(der(pem.privatePem())));
  }

  private static PublicKey publicKey(JwtKeys.KeyPairPem pem) throws Exception {
    return KeyFactory.getInstance("EC")
        .generatePublic(new X509EncodedKeySpec(der(pem.publicPem())));
  }

  private static byte[] der(String pem) {
    return Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
  }
}
