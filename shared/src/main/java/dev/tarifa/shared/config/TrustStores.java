package dev.tarifa.shared.config;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.TrustManagerFactory;

/** Trust material for the datastore clients' TLS connections. */
public final class TrustStores {
  private TrustStores() {}

  /**
   * The JVM's default trust store (the certificate authorities of {@code cacerts}, or of {@code
   * javax.net.ssl.trustStore} when set), initialised.
   *
   * @throws IllegalStateException if the trust store cannot be loaded
   */
  public static TrustManagerFactory jvmDefault() {
    try {
      TrustManagerFactory f =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      f.init((KeyStore) null);
      return f;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JVM's default trust store cannot be loaded", e);
    }
  }
}
