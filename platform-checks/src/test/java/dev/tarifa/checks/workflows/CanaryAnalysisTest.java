package dev.tarifa.checks.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tarifa.checks.support.Tools;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production canary's judgement ({@code .github/scripts/stage.sh canary-check}) against a real
 * Prometheus holding fifteen minutes of the gateway's request histogram for two stable pods and one
 * canary pod, backfilled with promtool: a canary like the stable pods is accepted, one with 10 %
 * server errors or a 600 ms p99 is rejected, and a canary that saw no search traffic proves nothing
 * and is rejected too. The queries are the script's own, so a PromQL mistake or a wrong pod regex
 * fails here.
 */
class CanaryAnalysisTest {
  private static final Path ROOT = Tools.repoRoot();
  private static final String[] LES = {
    "0.001", "0.002", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0",
    "+Inf"
  };
  private static Process prometheus;
  private static String url;

  @BeforeAll
  static void prometheusWithHistory(@TempDir Path dir) throws Exception {
    Path promtool = Tools.require("promtool");
    Path server = Tools.require("prometheus");
    Path metrics = dir.resolve("metrics.om");
    Files.writeString(metrics, openMetrics(System.currentTimeMillis() / 1000));
    Tools.Result backfill =
        Tools.run(
            dir,
            120,
            List.of(
                promtool.toString(),
                "tsdb",
                "create-blocks-from",
                "openmetrics",
                metrics.toString(),
                dir.resolve("data").toString()));
    assertThat(backfill.ok()).as("promtool backfill:\n" + backfill.output()).isTrue();
    Files.writeString(dir.resolve("prometheus.yml"), "global:\n  scrape_interval: 15s\n");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    url = "http://127.0.0.1:" + port;
    prometheus =
        new ProcessBuilder(
                server.toString(),
                "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("prometheus.log").toFile())
            .start();
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create(url + "/-/ready"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) break;
      } catch (IOException notYet) {
        // not listening yet
      }
      assertThat(prometheus.isAlive())
          .as("prometheus exited: " + Files.readString(dir.resolve("prometheus.log")))
          .isTrue();
      assertThat(System.nanoTime()).as("prometheus ready within 30 s").isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (prometheus != null) {
      prometheus.destroy();
      if (!prometheus.waitFor(10, TimeUnit.SECONDS)) prometheus.destroyForcibly();
    }
  }

  @Test
  void aCanaryLikeTheStablePodsIsAccepted() {
    Tools.Result r = canaryCheck("healthy");
    assertThat(r.ok()).as(r.output()).isTrue();
    assertThat(r.output()).contains("canary accepted after 2 judged round(s)");
  }

  @Test
  void aCanaryWithServerErrorsIsRejected() {
    Tools.Result r = canaryCheck("erroring");
    assertThat(r.ok()).as(r.output()).isFalse();
    assertThat(r.output())
        .contains("canary error ratio 0.1000 > limit 0.0100", "canary rejected: error ratio");
  }

  @Test
  void aSlowCanaryIsRejected() {
    Tools.Result r = canaryCheck("slow");
    assertThat(r.ok()).as(r.output()).isFalse();
    assertThat(r.output()).contains("canary rejected: p99 latency");
  }

  @Test
  void aCanaryWithoutSearchTrafficIsRejected() {
    Tools.Result r = canaryCheck("idle");
    assertThat(r.ok()).as(r.output()).isFalse();
    assertThat(r.output()).contains("canary never received search traffic");
  }

  private static Tools.Result canaryCheck(String namespace) {
    List<String> command =
        List.of(
            "env",
            "PROMETHEUS_URL=" + url,
            "CANARY_INTERVAL=0",
            ROOT.resolve(".github/scripts/stage.sh").toString(),
            "canary-check",
            namespace,
            "2");
    return Tools.run(ROOT, 60, command);
  }

  /**
   * Counters of {@code tarifa_http_server_requests_seconds} (count and buckets) every 15 s for the
   * last 15 minutes, one namespace per scenario: two stable pods at 10 requests/s, 0.1 % errors, 20
   * ms; the canary pod as the scenario says. The idle scenario's canary only answers health checks
   * (route /health/ready), which must not count.
   */
  static String openMetrics(long now) {
    record Pod(String name, double rate, double errors, double latency, String route) {}
    record Scenario(String namespace, Pod canary) {}
    String search = "/api/v1/flights/search";
    List<Scenario> scenarios =
        List.of(
            new Scenario("healthy", new Pod("gateway-canary-5f6d7c8b9-klmno", 10, 0, 0.02, search)),
            new Scenario(
                "erroring", new Pod("gateway-canary-5f6d7c8b9-klmno", 10, 0.10, 0.02, search)),
            new Scenario("slow", new Pod("gateway-canary-5f6d7c8b9-klmno", 10, 0, 0.6, search)),
            new Scenario(
                "idle", new Pod("gateway-canary-5f6d7c8b9-klmno", 1, 0, 0.001, "/health/ready")));
    StringBuilder count =
        new StringBuilder("# TYPE tarifa_http_server_requests_seconds_count gauge\n");
    StringBuilder bucket =
        new StringBuilder("# TYPE tarifa_http_server_requests_seconds_bucket gauge\n");
    long start = now - 900;
    for (Scenario s : scenarios) {
      List<Pod> pods =
          List.of(
              new Pod("gateway-7d9f8c6b5-abcde", 10, 0.001, 0.02, search),
              new Pod("gateway-7d9f8c6b5-fghij", 10, 0.001, 0.02, search),
              s.canary());
      for (Pod p : pods) {
        for (String status : List.of("200", "500")) {
          double share = status.equals("200") ? 1 - p.errors() : p.errors();
          String labels =
              "namespace=\"%s\",pod=\"%s\",route=\"%s\",method=\"GET\",status=\"%s\""
                  .formatted(s.namespace(), p.name(), p.route(), status);
          for (long t = start; t <= now; t += 15) {
            double value = p.rate() * share * (t - start);
            count.append(sample("tarifa_http_server_requests_seconds_count", labels, value, t));
          }
          for (String le : LES) {
            boolean within = le.equals("+Inf") || Double.parseDouble(le) >= p.latency();
            for (long t = start; t <= now; t += 15) {
              double value = within ? p.rate() * share * (t - start) : 0;
              bucket.append(
                  sample(
                      "tarifa_http_server_requests_seconds_bucket",
                      labels + ",le=\"" + le + "\"",
                      value,
                      t));
            }
          }
        }
      }
    }
    return count.append(bucket).append("# EOF\n").toString();
  }

  private static String sample(String name, String labels, double value, long t) {
    return String.format(Locale.ROOT, "%s{%s} %.3f %d%n", name, labels, value, t);
  }
}
