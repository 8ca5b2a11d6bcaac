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

/** Signs access tokens (ES256). Only the users service holds the private key. Thread-safe. */
public final class JwtIssuer {
  private final JWTAuth jwt;
  private final JWTOptions options;

  private JwtIssuer(JWTAuth jwt, JWTOptions options) {
    this.jwt = jwt;
    this.options = options;
  }

  /**
   * @throws ConfigException naming {@code TARIFA_JWT_PRIVATE_KEY} when the private key is missing or unusable
   */
  public static JwtIssuer create(Vertx vertx, AuthConfig config) {
    if (config.privateKeyPem() == null) {
      throw new ConfigException(AuthConfig.PRIVATE_KEY, "required to sign tokens (an EC P-256 PKCS#8 PEM)");
    }
    JWTOptions options = new JWTOptions()
      .setAlgorithm(JwtVerifier.ALGORITHM)
      .setIssuer(config.issuer())
      .addAudience(config.audience())
      .setExpiresInSeconds((int) Math.min(config.tokenTtl().getSeconds(), AuthConfig.MAX_TTL.getSeconds()));
    JWTAuth jwt;
    try {
      jwt = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm(JwtVerifier.ALGORITHM).setBuffer(config.privateKeyPem())));
    } catch (RuntimeException e) {
      throw new ConfigException(AuthConfig.PRIVATE_KEY, "not a usable EC P-256 private key (" + e.getMessage() + ")");
    }
    return new JwtIssuer(jwt, options);
  }

  /** A signed token with {@code sub}, {@code email}, {@code roles}, {@code iss}, {@code aud}, {@code iat}, {@code exp}. */
  public String issue(String subject, String email, Set<String> roles) {
    JsonObject claims = new JsonObject()
      .put("sub", subject)
      .put("roles", new JsonArray(new TreeSet<>(roles).stream().map(Object.class::cast).toList()));
    if (email != null) claims.put("email", email);
    return jwt.generateToken(claims, options);
  }

  /** Lifetime of issued tokens in seconds. */
  public long expiresInSeconds() {
    return options.getExpiresInSeconds();
  }
}
