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
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signing-key rotation: verifiers hold several public keys chosen by the token's {@code kid}; the
 * issuer names its key in every token; old tokens keep working until their key is retired, then get
 * a 401.
 */
@ExtendWith(VertxExtension.class)
class JwtRotationTest {
  private static final AuthConfig BASE =
      new AuthConfig("tarifa", "tarifa-api", null, null, Duration.ofMinutes(15));
  private final JwtKeys.KeyPairPem a = JwtKeys.generateEs256();
  private final JwtKeys.KeyPairPem b = JwtKeys.generateEs256();

  @Test
  void kidIsTheRfc7638ThumbprintOfThePublicKey() throws Exception {
    // Key and thumbprint made by Node's crypto (publicKey.export({format:"jwk"}), SHA-256 of the
    // canonical JSON).
    String pem =
        """
      -----BEGIN PUBLIC KEY-----
      MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEwRRE+R5KYSrCFQRFiIuoKKIt6/Qk
      spdIOqDmv4n5aibyJnGIzW4YMeLQm51kIP2wd9WtG8krYvQJf4c9rW2qRA==
      -----END PUBLIC KEY-----
      """;
    assertThat(JwtKeys.publicKeys(pem))
        .singleElement()
        .extracting(JwtKeys.PublicJwk::kid)
        .isEqualTo("QSqN3O5Nnhs_GfgLHpXQU_O-iZgLOWi0aQo7_YJ5V0E");
    // And for fresh keys, from the raw point at the end of the DER (0x04 || X || Y), not via
    // BigInteger.
    for (int i = 0; i < 20; i++) {
      JwtKeys.KeyPairPem k = JwtKeys.generateEs256();
      byte[] der =
          Base64.getMimeDecoder().decode(k.publicPem().replaceAll("-----[A-Z ]+-----", ""));
      byte[] x = java.util.Arrays.copyOfRange(der, der.length - 64, der.length - 32);
      byte[] y = java.util.Arrays.copyOfRange(der, der.length - 32, der.length);
      String json =
          "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + b64(x) + "\",\"y\":\"" + b64(y) + "\"}";
      String expected =
          b64(
              MessageDigest.getInstance("SHA-256")
                  .digest(json.getBytes(StandardCharsets.US_ASCII)));
      assertThat(k.kid()).isEqualTo(expected);
      ECPublicKey key =
          (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
      assertThat(JwtKeys.kid(key)).isEqualTo(expected);
    }
  }

  @Test
  void issuedTokensNameTheirKey(Vertx vertx) {
    JwtIssuer issuer =
        JwtIssuer.create(vertx, BASE.withKeys(a).withPublicKeys(b.publicPem() + a.publicPem()));
    assertThat(issuer.kid()).isEqualTo(a.kid()).isNotEqualTo(b.kid());
    String token = issuer.issue("1", null, Set.of("user"));
    assertThat(header(token).getString("kid")).isEqualTo(a.kid());
    assertThat(header(token).getString("alg")).isEqualTo("ES256");
  }

  @Test
  void rotationKeepsBothGenerationsValidUntilTheOldKeyIsRetired(Vertx vertx) throws Exception {
    // Step 1: every verifier holds A and B; users still signs with A.
    String both = a.publicPem() + b.publicPem();
    JwtVerifier verifierAB = JwtVerifier.create(vertx, BASE.withPublicKeys(both));
    assertThat(verifierAB.keyIds()).containsExactlyInAnyOrder(a.kid(), b.kid());
    String tokenA =
        JwtIssuer.create(vertx, BASE.withKeys(a).withPublicKeys(both))
            .issue("old", null, Set.of("user"));
    // Step 2: users signs with B; tokens of A are still in use.
    String tokenB =
        JwtIssuer.create(vertx, BASE.withKeys(b).withPublicKeys(both))
            .issue("new", null, Set.of("user"));
    // A token from before key ids existed (no kid), signed with A.
    String legacyA =
        JwtTest.es256(new JsonObject().put("alg", "ES256").put("typ", "JWT"), claims("legacy"), a);

    int port = serve(vertx, verifierAB);
    assertThat(status(vertx, port, tokenA)).isEqualTo(200);
    assertThat(status(vertx, port, tokenB)).isEqualTo(200);
    assertThat(status(vertx, port, legacyA)).isEqualTo(200);
    assertThat(verifierAB.verify(tokenA).await(5, TimeUnit.SECONDS).subject()).isEqualTo("old");
    assertThat(verifierAB.verify(tokenB).await(5, TimeUnit.SECONDS).subject()).isEqualTo("new");

    // Step 3: after the token lifetime, A is retired everywhere.
    JwtVerifier verifierB = JwtVerifier.create(vertx, BASE.withPublicKeys(b.publicPem()));
    int portB = serve(vertx, verifierB);
    assertThat(status(vertx, portB, tokenA)).isEqualTo(401);
    assertThat(status(vertx, portB, legacyA)).isEqualTo(401);
    assertThat(status(vertx, portB, tokenB)).isEqualTo(200);
    assertRejected(verifierB, tokenA);
  }

  @Test
  void unknownOrMismatchedKidIsRefused(Vertx vertx) throws Exception {
    JwtVerifier verifier =
        JwtVerifier.create(vertx, BASE.withPublicKeys(a.publicPem() + b.publicPem()));
    int port = serve(vertx, verifier);
    JwtKeys.KeyPairPem stranger = JwtKeys.generateEs256();
    // Signed with A but naming a key nobody has.
    assertThat(status(vertx, port, signed(a, "no-such-key"))).isEqualTo(401);
    // A stranger's key, named honestly.
    assertThat(status(vertx, port, signed(stranger, stranger.kid()))).isEqualTo(401);
    // Signed with a stranger's key but naming A: the signature is checked against A and fails.
    assertThat(status(vertx, port, signed(stranger, a.kid()))).isEqualTo(401);
    // Signed with A but naming B: only B is tried.
    assertThat(status(vertx, port, signed(a, b.kid()))).isEqualTo(401);
    // kid of the wrong JSON type.
    JsonObject numericKid = new JsonObject().put("alg", "ES256").put("kid", 42);
    assertRejected(verifier, JwtTest.es256(numericKid, claims("x"), a));
    // Control: the same construction with the right kid is accepted, so the refusals above are
    // about the kid.
    assertThat(status(vertx, port, signed(a, a.kid()))).isEqualTo(200);
    assertThat(status(vertx, port, signed(b, b.kid()))).isEqualTo(200);
  }

  @Test
  void publicKeysComeInlineOrFromAFileWithSeveralBlocks(Vertx vertx, @TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("jwt-public.pem");
    Files.writeString(
        file,
        "# key A (retiring)\n" + a.publicPem() + "\n# key B\n" + b.publicPem() + a.publicPem());
    AuthConfig fromFile =
        AuthConfig.fromEnv(Env.of(Map.of("TARIFA_JWT_PUBLIC_KEY", file.toString())));
    assertThat(JwtVerifier.create(vertx, fromFile).keyIds())
        .containsExactlyInAnyOrder(a.kid(), b.kid());
    String inline = (a.publicPem() + b.publicPem()).replace("\n", "\\n");
    AuthConfig fromEnv = AuthConfig.fromEnv(Env.of(Map.of("TARIFA_JWT_PUBLIC_KEY", inline)));
    assertThat(JwtVerifier.create(vertx, fromEnv).keyIds()).hasSize(2);
    // Today's single-key configuration is unchanged.
    assertThat(JwtVerifier.create(vertx, BASE.withPublicKeys(a.publicPem())).keyIds())
        .containsExactly(a.kid());
  }

  @Test
  void badKeyConfigurationNamesTheKey(Vertx vertx) {
    assertThatThrownBy(
            () -> JwtVerifier.create(vertx, BASE.withPublicKeys(a.publicPem() + a.privatePem())))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("TARIFA_JWT_PUBLIC_KEY")
        .hasMessageContaining("PRIVATE KEY");
    assertThatThrownBy(
            () ->
                JwtVerifier.create(
                    vertx,
                    BASE.withPublicKeys(
                        "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("TARIFA_JWT_PUBLIC_KEY");
    assertThatThrownBy(() -> JwtVerifier.create(vertx, BASE.withPublicKeys("not a key")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("TARIFA_JWT_PUBLIC_KEY");
    // The signing key's public half must be configured, or the service would issue tokens nobody
    // accepts.
    assertThatThrownBy(
            () -> JwtIssuer.create(vertx, BASE.withKeys(a).withPublicKeys(b.publicPem())))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("TARIFA_JWT_PUBLIC_KEY");
    assertThatThrownBy(
            () ->
                JwtIssuer.create(
                    vertx,
                    new AuthConfig(
                        "tarifa",
                        "tarifa-api",
                        a.publicPem(),
                        a.privatePem() + b.privatePem(),
                        null)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("TARIFA_JWT_PRIVATE_KEY");
  }

  // ---- helpers

  private static String signed(JwtKeys.KeyPairPem with, String kid) throws Exception {
    return JwtTest.es256(
        new JsonObject().put("alg", "ES256").put("typ", "JWT").put("kid", kid), claims("7"), with);
  }

  private static JsonObject claims(String sub) {
    long now = System.currentTimeMillis() / 1000;
    return new JsonObject()
        .put("sub", sub)
        .put("roles", new JsonArray().add("user"))
        .put("iss", "tarifa")
        .put("aud", new JsonArray().add("tarifa-api"))
        .put("iat", now)
        .put("exp", now + 600);
  }

  private static int serve(Vertx vertx, JwtVerifier verifier) throws Exception {
    Router router = Routers.create(vertx, new Health(vertx));
    router
        .get("/me")
        .handler(verifier.requireUser())
        .handler(ctx -> ctx.end(Principal.of(ctx).subject()));
    HttpServer server =
        vertx.createHttpServer().requestHandler(router).listen(0).await(5, TimeUnit.SECONDS);
    return server.actualPort();
  }

  private static int status(Vertx vertx, int port, String token) throws Exception {
    WebClient client = WebClient.create(vertx);
    try {
      return client
          .get(port, "localhost", "/me")
          .putHeader("Authorization", "Bearer " + token)
          .send()
          .await(5, TimeUnit.SECONDS)
          .statusCode();
    } finally {
      client.close();
    }
  }

  private static void assertRejected(JwtVerifier verifier, String token) throws Exception {
    Throwable failure =
        verifier
            .verify(token)
            .transform(ar -> Future.<Throwable>succeededFuture(ar.failed() ? ar.cause() : null))
            .await(5, TimeUnit.SECONDS);
    assertThat(failure).isInstanceOf(Problem.class);
    assertThat(((Problem) failure).status()).isEqualTo(401);
  }

  private static JsonObject header(String token) {
    return new JsonObject(
        new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]), StandardCharsets.UTF_8));
  }

  private static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
