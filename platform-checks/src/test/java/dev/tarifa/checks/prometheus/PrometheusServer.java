package dev.tarifa.checks.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tarifa.checks.support.Tools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Prometheus server, started on a free port with a generated configuration, and its HTTP
 * API.
 */
final class PrometheusServer implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Process process;
  private final int port;

  private PrometheusServer(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /**
   * Starts {@code prometheus} with {@code config} (YAML text) in {@code dir} and waits until it is
   * ready.
   */
  static PrometheusServer start(Path dir, String config) throws Exception {
    Path binary = Tools.require("prometheus");
    Files.createDirectories(dir);
    Path configFile = dir.resolve("prometheus.yml");
    Files.writeString(configFile, config);
    int port = Ports.free();
    Process p =
        new ProcessBuilder(
                binary.toString(),
                "--config.file=" + configFile,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--storage.tsdb.retention.time=2h",
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("prometheus.log").toFile())
            .start();
    PrometheusServer server = new PrometheusServer(p, port);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      if (!p.isAlive())
        throw new AssertionError(
            "prometheus exited ("
                + p.exitValue()
                + "): "
                + Files.readString(dir.resolve("prometheus.log")));
      try {
        HttpResponse<String> r =
            HTTP.send(
                HttpRequest.newBuilder(server.uri("/-/ready"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) return server;
      } catch (IOException ignored) {
        // not listening yet
      }
      if (System.nanoTime() > deadline) {
        server.close();
        throw new AssertionError(
            "prometheus not ready within 60 s: " + Files.readString(dir.resolve("prometheus.log")));
      }
      Thread.sleep(200);
    }
  }

  URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + port + pathAndQuery);
  }

  /**
   * The API's answer to a GET; status "error" answers (a query that does not parse) are returned,
   * not thrown.
   */
  JsonNode get(String path, String... params) {
    StringBuilder q = new StringBuilder(path);
    for (int i = 0; i < params.length; i += 2) {
      q.append(i == 0 ? '?' : '&')
          .append(params[i])
          .append('=')
          .append(URLEncoder.encode(params[i + 1], StandardCharsets.UTF_8));
    }
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(uri(q.toString())).timeout(Duration.ofSeconds(30)).build(),
              HttpResponse.BodyHandlers.ofString());
      return Dashboards.JSON.readTree(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** An instant query at the server's now. */
  JsonNode query(String promql) {
    return get("/api/v1/query", "query", promql);
  }

  /** The series matching a selector (what prometheus-adapter's seriesQuery asks). */
  JsonNode series(String match) {
    return get(
        "/api/v1/series",
        "match[]",
        match,
        "start",
        Long.toString(System.currentTimeMillis() / 1000 - 600));
  }

  /** The value of a query that returns one sample, or NaN when it returns none. */
  double scalar(String promql) {
    JsonNode result = query(promql).path("data").path("result");
    if (result.isEmpty()) return Double.NaN;
    return Double.parseDouble(result.get(0).path("value").get(1).asText());
  }

  /**
   * Waits until {@code promql} returns a sample above {@code min}, or fails naming what it waited
   * for.
   */
  void awaitAbove(String promql, double min, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    double v = Double.NaN;
    while (System.nanoTime() < deadline) {
      v = scalar(promql);
      if (v > min) return;
      Thread.sleep(250);
    }
    throw new AssertionError(
        "within "
            + timeout.toSeconds()
            + " s, "
            + promql
            + " never exceeded "
            + min
            + " (last "
            + v
            + ")");
  }

  @Override
  public void close() {
    Processes.stop(List.of(process));
  }
}
