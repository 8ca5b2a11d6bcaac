package dev.tarifa.shared.auth;

import dev.tarifa.shared.config.ConfigException;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.util.Set;
import java.util.TreeSet;

/**
 * Signs access tokens (ES256) with the one private key configured; only the users service holds it.
 * Every token's header carries {@code kid}, the RFC 7638 thumbprint of the signing key's public
 * half ({@link JwtKeys#kid}), so verifiers holding several keys during a rotation pick the right
 * one. Thread-safe.
 */
public final class JwtIssuer {
  private final JWTAuth jwt;
  private final JWTOptions options;
  private final String kid;

  private JwtIssuer(JWTAuth jwt, JWTOptions options, String kid) {
    this.jwt = jwt;
    this.options = options;
    this.kid = kid;
  }

  /**
   * An issuer signing with {@code config}'s private key. Its public half must be one of the
   * configured public keys ({@code TARIFA_JWT_PUBLIC_KEY}): that is where its {@code kid} comes
   * from, and a users service whose tokens its own verifier would refuse is a configuration error
   * better found at start-up.
   *
   * @throws ConfigException naming {@code TARIFA_JWT_PRIVATE_KEY} when the private key is missing
   *     or unusable, or naming {@code TARIFA_JWT_PUBLIC_KEY} when no public key is configured or
   *     none matches
   */
  public static JwtIssuer create(Vertx vertx, AuthConfig config) {
    if (config.privateKeyPem() == null) {
      throw new ConfigException(
          AuthConfig.PRIVATE_KEY, "required to sign tokens (an EC P-256 PKCS#8 PEM)");
    }
    if (config.publicKeyPem() == null) {
      throw new ConfigException(
          AuthConfig.PUBLIC_KEY,
          "required to sign tokens (it must hold the public key of TARIFA_JWT_PRIVATE_KEY)");
    }
    JwtKeys.PublicJwk own =
        JwtKeys.publicHalf(config.privateKeyPem(), JwtKeys.publicKeys(config.publicKeyPem()));
    if (own == null)
      throw new ConfigException(
          AuthConfig.PUBLIC_KEY, "does not hold the public key of TARIFA_JWT_PRIVATE_KEY");
    JWTOptions options =
        new JWTOptions()
            .setAlgorithm(JwtVerifier.ALGORITHM)
            .setIssuer(config.issuer())
            .addAudience(config.audience())
            .setExpiresInSeconds(
                (int) Math.min(config.tokenTtl().getSeconds(), AuthConfig.MAX_TTL.getSeconds()));
    JWTAuth jwt;
    try {
      jwt =
          JWTAuth.create(
              vertx,
              new JWTAuthOptions()
                  .addPubSecKey(
                      new PubSecKeyOptions()
                          .setAlgorithm(JwtVerifier.ALGORITHM)
                          .setId(own.kid())
                          .setBuffer(config.privateKeyPem())));
    } catch (RuntimeException e) {
      throw new ConfigException(
          AuthConfig.PRIVATE_KEY, "not a usable EC P-256 private key (" + e.getMessage() + ")");
    }
    return new JwtIssuer(jwt, options, own.kid());
  }

  /**
   * The {@code kid} put in every token's header: the thumbprint of the signing key's public half.
   */
  public String kid() {
    return kid;
  }

  /**
   * A signed token with {@code sub}, {@code email}, {@code roles}, {@code iss}, {@code aud}, {@code
   * iat}, {@code exp}.
   */
  public String issue(String subject, String email, Set<String> roles) {
    JsonObject claims =
        new JsonObject()
            .put("sub", subject)
            .put(
                "roles",
                new JsonArray(new TreeSet<>(roles).stream().map(Object.class::cast).toList()));
    if (email != null) claims.put("email", email);
    return jwt.generateToken(claims, options);
  }

  /** Lifetime of issued tokens in seconds. */
  public long expiresInSeconds() {
    return options.getExpiresInSeconds();
  }
}
