package dev.tarifa.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tarifa.shared.testing.TestServers;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The all-in-one launcher as a user runs it, in its own JVM: embedded PostgreSQL and MongoDB-wire
 * server, every service up and ready, health and metrics everywhere, and a SIGTERM that stops it
 * cleanly within 15 s.
 */
class AllInOneIT {
  private static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static Process app;
  private static Path log;
  private static final Map<String, Integer> ports = new LinkedHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    for (String s : List.of("GATEWAY", "USERS", "FLIGHTS", "HOTELS", "CARS", "REVIEWS"))
      ports.put(s, freePort());
    log = Files.createTempFile("tarifa-app", ".log");
    Map<String, String> env = new LinkedHashMap<>();
    ports.forEach((s, p) -> env.put("TARIFA_" + s + "_PORT", String.valueOf(p)));
    ports.forEach(
        (s, p) -> {
          if (!s.equals("GATEWAY")) env.put("TARIFA_" + s + "_URL", "http://127.0.0.1:" + p);
        });
    env.put("TARIFA_CATALOGUE_SIZE", "small");
    env.put("TARIFA_PASSWORD_ITERATIONS", "1000");
    app = launch(env, log);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    int status = -1;
    while (System.nanoTime() < deadline && app.isAlive()) {
      status = statusOf(ports.get("GATEWAY"), "/health/ready");
      if (status == 200) break;
      Thread.sleep(500);
    }
    assertThat(status).as("gateway readiness; log:%n%s", Files.readString(log)).isEqualTo(200);
  }

  @AfterAll
  static void stop() {
    if (app != null && app.isAlive()) app.destroyForcibly();
  }

  @Test
  void everyServiceAnswersHealthAndMetricsThenStopsGracefully() throws Exception {
    for (var e : ports.entrySet()) {
      assertThat(statusOf(e.getValue(), "/health/live")).as(e.getKey() + " live").isEqualTo(200);
      assertThat(statusOf(e.getValue(), "/health/ready")).as(e.getKey() + " ready").isEqualTo(200);
      HttpResponse<String> metrics = get(e.getValue(), "/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      // one registry for the whole JVM: the server label keeps each service's series apart
      assertThat(metrics.body())
          .contains(
              "tarifa_http_server_requests_seconds_count{method=\"GET\",route=\"/health/ready\",server=\""
                  + e.getKey().toLowerCase()
                  + "\",status=\"200\"}");
    }
    assertThat(Files.readString(log)).contains("generated admin password");

    // the HPA's signal: the gateway's search series are told apart from the flights service's own
    // (same template)
    String date = java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(30).toString();
    assertThat(
            get(ports.get("GATEWAY"), "/api/v1/flights/search?from=FRA&to=JFK&date=" + date)
                .statusCode())
        .isEqualTo(200);
    String all = get(ports.get("GATEWAY"), "/metrics").body();
    assertThat(all)
        .contains(
            "tarifa_http_server_requests_seconds_count{method=\"GET\",route=\"/api/v1/flights/search\",server=\"gateway\",status=\"200\"} 1\n")
        .contains(
            "tarifa_http_server_requests_seconds_count{method=\"GET\",route=\"/api/v1/flights/search\",server=\"flights\",status=\"200\"}");

    long t0 = System.nanoTime();
    app.destroy(); // SIGTERM
    boolean exited = app.waitFor(15, TimeUnit.SECONDS);
    assertThat(exited).as("exited within 15 s").isTrue();
    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0)).isLessThan(15);
    assertThat(Files.readString(log)).contains("shutting down").contains("stopped in");
    assertThat(statusOf(ports.get("GATEWAY"), "/health/live")).isEqualTo(-1);
  }

  @Test
  void anInvalidValueStopsStartUpWithOneLineNamingTheKey() throws Exception {
    Path out = Files.createTempFile("tarifa-bad", ".log");
    Process bad = launch(Map.of("TARIFA_GATEWAY_PORT", "abc"), out);
    assertThat(bad.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(bad.exitValue()).isEqualTo(2);
    List<String> lines = Files.readAllLines(out).stream().filter(l -> !l.isBlank()).toList();
    assertThat(lines)
        .containsExactly(
            "tarifa: invalid configuration: TARIFA_GATEWAY_PORT: expected an integer, got 'abc'");

    Process badUrl = launch(Map.of("TARIFA_REDIS_URL", "http://nope"), out);
    assertThat(badUrl.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(badUrl.exitValue()).isEqualTo(2);
    assertThat(Files.readString(out))
        .startsWith("tarifa: invalid configuration: TARIFA_REDIS_URL:");
  }

  @Test
  void aTakenPortEndsStartUpAtOnceWithOneLineNamingTheCause() throws Exception {
    Path out = Files.createTempFile("tarifa-taken", ".log");
    try (ServerSocket taken = new ServerSocket(0)) {
      Map<String, String> env = new LinkedHashMap<>();
      for (String s : List.of("GATEWAY", "FLIGHTS", "HOTELS", "CARS", "REVIEWS"))
        env.put("TARIFA_" + s + "_PORT", String.valueOf(freePort()));
      env.put("TARIFA_USERS_PORT", String.valueOf(taken.getLocalPort()));
      env.put("TARIFA_CATALOGUE_SIZE", "small");
      // The test PostgreSQL rather than the embedded one: stopping an embedded server (and deleting
      // its data) is work
      // of its own, which the bound below is not about. Users prepares (its database), then fails
      // to listen.
      env.put("TARIFA_PG_URL", TestServers.postgres().toString());
      env.put(
          "TARIFA_USERS_PG_URL",
          TestServers.freshPostgresDatabase("allinone_taken_port_users").toString());
      env.put("TARIFA_PASSWORD_ITERATIONS", "1000");
      Process p = launch(env, out);
      try {
        // The embedded servers start first (their time varies with the machine's load); the bound
        // is on what follows.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (p.isAlive()
            && System.nanoTime() < deadline
            && !Files.readString(out).contains("tarifa: start-up failed")) Thread.sleep(20);
        assertThat(Files.readString(out)).as("failure line").contains("tarifa: start-up failed");
        long failedAt = System.nanoTime();
        assertThat(p.waitFor(3, TimeUnit.SECONDS))
            .as("exited within 3 s of the failure; log:%n%s", Files.readString(out))
            .isTrue();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - failedAt)).isLessThan(3000);
        assertThat(p.exitValue()).isEqualTo(1);
        List<String> failures =
            Files.readAllLines(out).stream().filter(l -> l.startsWith("tarifa: ")).toList();
        assertThat(failures)
            .containsExactly(
                "tarifa: start-up failed: users: Address already in use (port "
                    + taken.getLocalPort()
                    + ")");
        assertThat(Files.readString(out)).doesNotContain("did not close in time");
      } finally {
        p.destroyForcibly();
      }
    }
  }

  private static Process launch(Map<String, String> env, Path output) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd =
        new ArrayList<>(
            List.of(java, "-cp", System.getProperty("java.class.path"), TarifaApp.class.getName()));
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile());
    // A clean environment: only what this test sets (plus PATH/HOME), so no developer setting leaks
    // in.
    Map<String, String> e = pb.environment();
    e.keySet().removeIf(k -> k.startsWith("TARIFA_"));
    e.putAll(env);
    pb.directory(new File(System.getProperty("java.io.tmpdir")));
    return pb.start();
  }

  private static int statusOf(int port, String path) {
    try {
      return get(port, path).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(5))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() {
    return dev.tarifa.shared.testing.TestPorts.free();
  }
}
