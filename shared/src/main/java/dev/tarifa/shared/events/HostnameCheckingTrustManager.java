package dev.tarifa.shared.events;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import javax.security.auth.x500.X500Principal;

/**
 * Verifies a server's certificate chain with a delegate and then that the certificate names the
 * host we connect to: its DNS or IP subject alternative names (a {@code *.} wildcard covers exactly
 * one leftmost label), or, only when it has none, its common name. The RabbitMQ client receives a
 * bare SSL context from Vert.x and never checks the host name itself; without this, any certificate
 * that chains to a trusted authority would be accepted for the broker.
 */
final class HostnameCheckingTrustManager extends X509ExtendedTrustManager {
  private final X509TrustManager chain;
  private final String host;

  HostnameCheckingTrustManager(TrustManagerFactory anchors, String host) {
    this.chain = x509(anchors);
    this.host = host.toLowerCase(Locale.ROOT);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] certs, String authType)
      throws CertificateException {
    chain.checkServerTrusted(certs, authType);
    checkHost(certs[0]);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] certs, String authType, Socket socket)
      throws CertificateException {
    checkServerTrusted(certs, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] certs, String authType, SSLEngine engine)
      throws CertificateException {
    checkServerTrusted(certs, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] certs, String authType)
      throws CertificateException {
    throw new CertificateException("client certificates are not accepted");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] certs, String authType, Socket socket)
      throws CertificateException {
    checkClientTrusted(certs, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] certs, String authType, SSLEngine engine)
      throws CertificateException {
    checkClientTrusted(certs, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return chain.getAcceptedIssuers();
  }

  void checkHost(X509Certificate leaf) throws CertificateException {
    boolean ip = host.matches("[0-9.]+") || host.contains(":");
    List<String> names = new ArrayList<>();
    try {
      if (leaf.getSubjectAlternativeNames() != null) {
        for (List<?> san : leaf.getSubjectAlternativeNames()) {
          int type = (Integer) san.get(0);
          if ((ip && type == 7) || (!ip && type == 2))
            names.add(String.valueOf(san.get(1)).toLowerCase(Locale.ROOT));
        }
      }
    } catch (CertificateParsingException e) {
      throw new CertificateException("unreadable subject alternative names", e);
    }
    boolean hasSans = !names.isEmpty();
    if (!hasSans && !ip) names.add(commonName(leaf.getSubjectX500Principal()));
    for (String name : names) {
      if (ip ? name.equals(host) : matches(name, host)) return;
    }
    throw new CertificateException(
        "the certificate of " + host + " names " + names + ", not " + host);
  }

  static boolean matches(String pattern, String host) {
    if (!pattern.startsWith("*.")) return pattern.equals(host);
    int dot = host.indexOf('.');
    return dot > 0 && host.substring(dot).equals(pattern.substring(1));
  }

  private static String commonName(X500Principal subject) {
    for (String part : subject.getName(X500Principal.RFC2253).split(",")) {
      if (part.regionMatches(true, 0, "CN=", 0, 3))
        return part.substring(3).toLowerCase(Locale.ROOT);
    }
    return "";
  }

  private static X509TrustManager x509(TrustManagerFactory f) {
    for (TrustManager tm : f.getTrustManagers()) if (tm instanceof X509TrustManager x) return x;
    throw new IllegalStateException("no X.509 trust manager");
  }
}
