package dev.tarifa.shared.auth;

import dev.tarifa.shared.config.ConfigException;
import dev.tarifa.shared.config.Env;
import java.time.Duration;

/**
 * JWT settings shared by the issuer (users service) and every verifier.
 *
 * @param issuer the {@code iss} claim issued and required ({@code TARIFA_JWT_ISSUER}, default
 *     {@code tarifa})
 * @param audience the {@code aud} claim issued and required ({@code TARIFA_JWT_AUDIENCE}, default
 *     {@code tarifa-api})
 * @param publicKeyPem one or more EC P-256 public keys, X.509 SubjectPublicKeyInfo PEM blocks one
 *     after the other ({@code TARIFA_JWT_PUBLIC_KEY}, inline or a file path): every key a valid
 *     token may be signed with, old and new during a rotation ({@link JwtVerifier}); null means
 *     every token is rejected (fail closed)
 * @param privateKeyPem the one EC P-256 private key tokens are signed with, PKCS#8 PEM ({@code
 *     TARIFA_JWT_PRIVATE_KEY}); null except where tokens are signed (the users service), where its
 *     public half must be among the public keys ({@link JwtIssuer})
 * @param tokenTtl lifetime of issued tokens ({@code TARIFA_JWT_TTL}, default 15m, at most 15m)
 */
public record AuthConfig(
    String issuer, String audience, String publicKeyPem, String privateKeyPem, Duration tokenTtl) {
  public static final Duration MAX_TTL = Duration.ofMinutes(15);
  public static final String ISSUER = "TARIFA_JWT_ISSUER";
  public static final String AUDIENCE = "TARIFA_JWT_AUDIENCE";
  public static final String PUBLIC_KEY = "TARIFA_JWT_PUBLIC_KEY";
  public static final String PRIVATE_KEY = "TARIFA_JWT_PRIVATE_KEY";
  public static final String TTL = "TARIFA_JWT_TTL";

  public AuthConfig {
    if (tokenTtl == null) tokenTtl = MAX_TTL;
    if (tokenTtl.isNegative() || tokenTtl.isZero() || tokenTtl.getSeconds() < 1) {
      throw new ConfigException(TTL, "must be at least 1s, got " + tokenTtl);
    }
    if (tokenTtl.compareTo(MAX_TTL) > 0)
      throw new ConfigException(TTL, "must be at most 15m, got " + tokenTtl);
  }

  /**
   * Reads the keys listed on the record. Missing keys are not an error here (the verifier fails
   * closed, the users service checks for its private key when it starts); a malformed TTL or one
   * above 15m is a {@link ConfigException} naming {@code TARIFA_JWT_TTL}.
   */
  public static AuthConfig fromEnv(Env env) {
    return new AuthConfig(
        env.string(ISSUER, "tarifa"),
        env.string(AUDIENCE, "tarifa-api"),
        env.pem(PUBLIC_KEY).orElse(null),
        env.pem(PRIVATE_KEY).orElse(null),
        env.duration(TTL, MAX_TTL));
  }

  /** This configuration with both keys replaced. */
  public AuthConfig withKeys(JwtKeys.KeyPairPem keys) {
    return new AuthConfig(issuer, audience, keys.publicPem(), keys.privatePem(), tokenTtl);
  }

  /**
   * This configuration with the public keys replaced by {@code publicPems} (PEM blocks,
   * concatenated).
   */
  public AuthConfig withPublicKeys(String publicPems) {
    return new AuthConfig(issuer, audience, publicPems, privateKeyPem, tokenTtl);
  }

  /** Never prints the private key. */
  @Override
  public String toString() {
    return "AuthConfig[issuer="
        + issuer
        + ", audience="
        + audience
        + ", publicKey="
        + (publicKeyPem != null)
        + ", privateKey="
        + (privateKeyPem != null ? "***" : "none")
        + ", tokenTtl="
        + tokenTtl
        + "]";
  }
}
