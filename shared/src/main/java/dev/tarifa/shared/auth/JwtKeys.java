package dev.tarifa.shared.auth;

import dev.tarifa.shared.config.ConfigException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ES256 key material in the PEM forms {@link AuthConfig} expects, and the key ids ({@code kid})
 * derived from it.
 */
public final class JwtKeys {
  private static final Pattern PUBLIC_BLOCK =
      Pattern.compile("-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\\s]+?)-----END PUBLIC KEY-----");
  private static final Pattern ANY_BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----");

  private JwtKeys() {}

  /** A private key as PKCS#8 PEM and its public key as X.509 SubjectPublicKeyInfo PEM. */
  public record KeyPairPem(String privatePem, String publicPem) {
    @Override
    public String toString() {
      return "KeyPairPem[privatePem=***, publicPem=" + publicPem.length() + " chars]";
    }

    /** The {@code kid} of this pair ({@link #kid(PublicKey)} of its public key). */
    public String kid() {
      return publicKeys(publicPem).get(0).kid();
    }
  }

  /**
   * One verification key.
   *
   * @param kid the RFC 7638 JWK thumbprint of the key (what the users service puts in the token
   *     header)
   * @param key the EC P-256 public key
   * @param pem the key as a single X.509 SubjectPublicKeyInfo PEM block
   */
  public record PublicJwk(String kid, ECPublicKey key, String pem) {}

  /** A fresh EC P-256 (secp256r1) key pair from the platform's strong random source. */
  public static KeyPairPem generateEs256() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair pair = generator.generateKeyPair();
      return new KeyPairPem(
          pem("PRIVATE KEY", pair.getPrivate().getEncoded()),
          pem("PUBLIC KEY", pair.getPublic().getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("EC P-256 is not available in this JVM", e);
    }
  }

  /**
   * Every {@code PUBLIC KEY} PEM block of {@code pems} (blocks are simply concatenated, in any
   * order; anything between blocks is ignored), each with its {@code kid}; a key given twice is
   * listed once.
   *
   * @throws ConfigException naming {@code TARIFA_JWT_PUBLIC_KEY} when there is no block, when
   *     another kind of block is present (a private key pasted by mistake), or when a block is not
   *     an EC P-256 public key
   */
  public static List<PublicJwk> publicKeys(String pems) {
    Matcher other = ANY_BLOCK.matcher(pems);
    while (other.find()) {
      if (!other.group(1).equals("PUBLIC KEY")) {
        throw new ConfigException(
            AuthConfig.PUBLIC_KEY,
            "holds a " + other.group(1) + " block; only PUBLIC KEY blocks belong here");
      }
    }
    Map<String, PublicJwk> keys = new LinkedHashMap<>();
    Matcher m = PUBLIC_BLOCK.matcher(pems);
    while (m.find()) {
      byte[] der;
      ECPublicKey key;
      try {
        der = Base64.getMimeDecoder().decode(m.group(1).replaceAll("\\s", ""));
        PublicKey k = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
        if (!(k instanceof ECPublicKey ec)
            || ec.getParams().getCurve().getField().getFieldSize() != 256) {
          throw new ConfigException(
              AuthConfig.PUBLIC_KEY, "key " + (keys.size() + 1) + " is not an EC P-256 public key");
        }
        key = ec;
      } catch (GeneralSecurityException | IllegalArgumentException e) {
        throw new ConfigException(
            AuthConfig.PUBLIC_KEY,
            "key " + (keys.size() + 1) + " is not an EC P-256 public key (" + e.getMessage() + ")");
      }
      String kid = kid(key);
      keys.putIfAbsent(kid, new PublicJwk(kid, key, pem("PUBLIC KEY", der)));
    }
    if (keys.isEmpty())
      throw new ConfigException(AuthConfig.PUBLIC_KEY, "holds no PUBLIC KEY PEM block");
    return List.copyOf(keys.values());
  }

  /**
   * The RFC 7638 JWK thumbprint of an EC P-256 key: base64url (no padding) of SHA-256 over {@code
   * {"crv":"P-256","kty":"EC","x":"…","y":"…"}} with the coordinates as 32-byte big-endian
   * base64url. Anyone can recompute it from the public key (for instance {@code jose jwk thp}), so
   * it needs no registry.
   */
  public static String kid(ECPublicKey key) {
    String json =
        "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\""
            + coordinate(key.getW().getAffineX())
            + "\",\"y\":\""
            + coordinate(key.getW().getAffineY())
            + "\"}";
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }

  /**
   * The key among {@code candidates} that is the public half of {@code privatePem} (found by
   * signing a probe with the private key and verifying it with each candidate: Java cannot derive
   * the public point from a PKCS#8 key that omits it); null when none is.
   *
   * @throws ConfigException naming {@code TARIFA_JWT_PRIVATE_KEY} when it is not an EC private key
   */
  static PublicJwk publicHalf(String privatePem, List<PublicJwk> candidates) {
    PrivateKey priv;
    try {
      List<String> blocks = new ArrayList<>();
      Matcher m =
          Pattern.compile(
                  "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+?)-----END PRIVATE KEY-----")
              .matcher(privatePem);
      while (m.find()) blocks.add(m.group(1));
      if (blocks.size() != 1)
        throw new ConfigException(
            AuthConfig.PRIVATE_KEY,
            "must hold exactly one PKCS#8 PRIVATE KEY PEM block, found " + blocks.size());
      priv =
          KeyFactory.getInstance("EC")
              .generatePrivate(
                  new PKCS8EncodedKeySpec(
                      Base64.getMimeDecoder().decode(blocks.get(0).replaceAll("\\s", ""))));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new ConfigException(
          AuthConfig.PRIVATE_KEY, "not a usable EC P-256 private key (" + e.getMessage() + ")");
    }
    byte[] probe = "tarifa kid probe".getBytes(StandardCharsets.US_ASCII);
    try {
      Signature signer = Signature.getInstance("SHA256withECDSA");
      signer.initSign(priv);
      signer.update(probe);
      byte[] sig = signer.sign();
      for (PublicJwk c : candidates) {
        Signature v = Signature.getInstance("SHA256withECDSA");
        v.initVerify(c.key());
        v.update(probe);
        try {
          if (v.verify(sig)) return c;
        } catch (GeneralSecurityException wrongCurveOrKey) {
          // not this key
        }
      }
      return null;
    } catch (GeneralSecurityException e) {
      throw new ConfigException(
          AuthConfig.PRIVATE_KEY, "not a usable EC P-256 private key (" + e.getMessage() + ")");
    }
  }

  private static String coordinate(BigInteger v) {
    byte[] raw = v.toByteArray();
    byte[] fixed = new byte[32];
    // toByteArray is minimal two's complement: strip a sign byte, left-pad short values
    int len = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - len, fixed, 32 - len, len);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(fixed);
  }

  static String pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }
}
