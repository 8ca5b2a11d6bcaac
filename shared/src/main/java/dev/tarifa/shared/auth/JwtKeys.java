package dev.tarifa.shared.auth;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/** ES256 key material in the PEM forms {@link AuthConfig} expects. */
public final class JwtKeys {
  private JwtKeys() {}

  /** A private key as PKCS#8 PEM and its public key as X.509 SubjectPublicKeyInfo PEM. */
  public record KeyPairPem(String privatePem, String publicPem) {
    @Override
    public String toString() {
      return "KeyPairPem[privatePem=***, publicPem=" + publicPem.length() + " chars]";
    }
  }

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

  static String pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }
}
