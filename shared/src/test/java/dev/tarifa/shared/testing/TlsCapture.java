package dev.tarifa.shared.testing;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SelfSignedCertificate;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TLS server on {@code 127.0.0.1} with a self-signed certificate for {@code localhost} that
 * records what its clients send once the handshake is done (decrypted) and never answers. It proves
 * that a client built from a datastore URL really speaks TLS and verifies the server (only a client
 * given {@link #trust()} completes the handshake), and shows the first bytes of its protocol (for
 * example the credentials a Redis client sends first).
 */
public final class TlsCapture implements AutoCloseable {
  private final SelfSignedCertificate certificate;
  private final NetServer server;
  private final StringBuffer received = new StringBuffer();
  private final AtomicInteger handshakes = new AtomicInteger();

  private TlsCapture(Vertx vertx) throws Exception {
    certificate = SelfSignedCertificate.create("localhost");
    server =
        vertx.createNetServer(
            new NetServerOptions()
                .setHost("127.0.0.1")
                .setSsl(true)
                .setKeyCertOptions(certificate.keyCertOptions()));
    // the connect handler runs after a completed handshake; a client that does not trust us never
    // gets here
    server.connectHandler(
        socket -> {
          handshakes.incrementAndGet();
          socket.handler(b -> received.append(b.toString(StandardCharsets.ISO_8859_1)));
        });
    server.listen(0).await(10, TimeUnit.SECONDS);
  }

  public static TlsCapture start(Vertx vertx) {
    try {
      return new TlsCapture(vertx);
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the TLS capture server: " + e.getMessage(), e);
    }
  }

  public int port() {
    return server.actualPort();
  }

  /** Trust in this server's certificate, for the client under test. */
  public PemTrustOptions trust() {
    return certificate.trustOptions();
  }

  /** The path of this server's certificate (PEM). */
  public String certificatePath() {
    return certificate.certificatePath();
  }

  /** Forgets what was received so far (between tests sharing one capture server). */
  public void reset() {
    received.setLength(0);
    handshakes.set(0);
  }

  /** Handshakes completed so far. */
  public int handshakes() {
    return handshakes.get();
  }

  /**
   * Waits (bounded) until the decrypted bytes received contain {@code needle}, ignoring case; what
   * was received so far.
   */
  public String awaitReceived(String needle, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String lower = needle.toLowerCase(java.util.Locale.ROOT);
    while (System.nanoTime() < deadline
        && !received.toString().toLowerCase(java.util.Locale.ROOT).contains(lower))
      Thread.sleep(20);
    return received.toString();
  }

  /** Waits (bounded) for a completed handshake; whether one came. */
  public boolean awaitHandshake(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline && handshakes.get() == 0) Thread.sleep(20);
    return handshakes.get() > 0;
  }

  @Override
  public void close() {
    server.close();
    certificate.delete();
  }
}
