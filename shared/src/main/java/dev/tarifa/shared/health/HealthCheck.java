package dev.tarifa.shared.health;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.time.Duration;

/**
 * A container health probe for images without a shell or an HTTP tool (the distroless JRE images):
 * the container runtime runs {@code java -cp @/app/jib-classpath-file
 * dev.tarifa.shared.health.HealthCheck <url>} inside the service's container and reads the exit
 * status.
 *
 * <p>Exit status 0 when {@code GET <url>} answers 2xx within {@link #TIMEOUT}; 1 otherwise
 * (connection refused, timeout, any other status, or a malformed argument), after one line on
 * standard output saying why. Status 2 is never used: Docker reserves it. Blocking {@link
 * HttpURLConnection} rather than Vert.x or {@code java.net.http}: no thread pools or event loops to
 * start, so the probe costs one short JVM start.
 */
public final class HealthCheck {
  /**
   * Bound on connecting and on reading the answer, each; well under the healthcheck's own timeout.
   */
  public static final Duration TIMEOUT = Duration.ofSeconds(3);

  private HealthCheck() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, TIMEOUT));
  }

  /**
   * Probes {@code args[0]} (an {@code http://} URL) and returns the process exit status, 0 or 1.
   *
   * @param args exactly one argument, the URL to probe
   * @param out where the one-line verdict goes
   * @param timeout connect and read bound, each
   */
  public static int run(String[] args, PrintStream out, Duration timeout) {
    if (args.length != 1) {
      out.println("usage: HealthCheck http://127.0.0.1:<port>/health/ready");
      return 1;
    }
    URL url;
    try {
      URI uri = new URI(args[0]);
      if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null)
        throw new IllegalArgumentException("not an http:// URL");
      url = uri.toURL();
    } catch (Exception e) {
      out.println("unhealthy: bad URL '" + args[0] + "': " + e.getMessage());
      return 1;
    }
    HttpURLConnection c = null;
    try {
      c = (HttpURLConnection) url.openConnection();
      c.setConnectTimeout((int) timeout.toMillis());
      c.setReadTimeout((int) timeout.toMillis());
      c.setUseCaches(false);
      c.setInstanceFollowRedirects(false);
      int status = c.getResponseCode();
      drain(status < 400 ? c.getInputStream() : c.getErrorStream());
      boolean ok = status >= 200 && status < 300;
      out.println((ok ? "healthy: " : "unhealthy: ") + url + " answered " + status);
      return ok ? 0 : 1;
    } catch (IOException e) {
      out.println("unhealthy: " + url + ": " + e);
      return 1;
    } finally {
      if (c != null) c.disconnect();
    }
  }

  private static void drain(InputStream in) throws IOException {
    if (in == null) return;
    try (in) {
      in.transferTo(OutputSink.INSTANCE);
    }
  }

  /**
   * Discards the body: only the status matters, but reading it lets the connection finish cleanly.
   */
  private static final class OutputSink extends java.io.OutputStream {
    static final OutputSink INSTANCE = new OutputSink();

    @Override
    public void write(int b) {}

    @Override
    public void write(byte[] b, int off, int len) {}
  }
}
