package dev.tarifa.loadtests.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The campaign's fault proxy against an echo server: pass, down (closed and refused), back, added
 * latency.
 */
class FaultProxyTest {
  private Vertx vertx;
  private FaultProxy proxy;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    NetServer echo = vertx.createNetServer().connectHandler(s -> s.handler(s::write));
    int echoPort =
        echo.listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS)
            .actualPort();
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    proxy = new FaultProxy(vertx, "echo", port, "127.0.0.1", echoPort);
    proxy.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void passesThenClosesAndRefusesWhenDownThenPassesAgain() throws Exception {
    try (Socket live = connect()) {
      assertThat(roundTrip(live, "one")).isEqualTo("one");
      proxy.down().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      // The live connection is closed by the proxy (end of stream, or a reset), as by a stopped
      // server.
      live.setSoTimeout(60_000);
      int read;
      try {
        read = live.getInputStream().read();
      } catch (IOException reset) {
        read = -1;
      }
      assertThat(read).isEqualTo(-1);
      assertRefusedWithin(10_000);
    }
    proxy.pass().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    try (Socket again = connect()) {
      assertThat(roundTrip(again, "two")).isEqualTo("two");
    }
    assertThat(proxy.accepted()).isEqualTo(2);
  }

  @Test
  void latencyHoldsBackTheAnswersInOrder() throws Exception {
    try (Socket s = connect()) {
      proxy.latency(300);
      long t = System.nanoTime();
      s.getOutputStream().write("abc".getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().write("def".getBytes(StandardCharsets.US_ASCII));
      assertThat(read(s, 6)).isEqualTo("abcdef");
      assertThat((System.nanoTime() - t) / 1_000_000).isGreaterThanOrEqualTo(300);
      proxy.latency(0);
      assertThat(roundTrip(s, "ghi")).isEqualTo("ghi");
    }
  }

  /**
   * New connections are refused once the listener is unbound. The close future can complete a
   * moment before the kernel stops accepting (seen once under load): a connection accepted in that
   * window must be closed by the proxy at once (end of stream, as a stopping server does), and
   * refusal must follow within the bound.
   */
  private void assertRefusedWithin(long boundMs) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(boundMs);
    while (true) {
      try (Socket late = connect()) {
        int read;
        try {
          read = late.getInputStream().read();
        } catch (IOException reset) {
          read = -1;
        }
        assertThat(read).as("a connection accepted while going down is closed").isEqualTo(-1);
      } catch (ConnectException refused) {
        return;
      }
      assertThat(System.nanoTime() - deadline).as("refused within %d ms", boundMs).isNegative();
      TimeUnit.MILLISECONDS.sleep(10); // poll interval
    }
  }

  private Socket connect() throws IOException {
    Socket s = new Socket("127.0.0.1", proxy.port());
    s.setSoTimeout(60_000); // generous: a cold JVM on a busy machine
    return s;
  }

  private static String roundTrip(Socket s, String text) throws IOException {
    s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
    return read(s, text.length());
  }

  private static String read(Socket s, int n) throws IOException {
    InputStream in = s.getInputStream();
    byte[] b = new byte[n];
    int off = 0;
    while (off < n) {
      int r = in.read(b, off, n - off);
      if (r < 0) throw new IOException("closed after " + off + " bytes");
      off += r;
    }
    return new String(b, StandardCharsets.US_ASCII);
  }
}
