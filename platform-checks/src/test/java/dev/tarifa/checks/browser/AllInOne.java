package dev.tarifa.checks.browser;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The all-in-one platform ({@code dev.tarifa.app.TarifaApp}) in a child JVM on the test classpath:
 * small catalogue, free ports, embedded PostgreSQL and MongoDB (every {@code TARIFA_*} variable of
 * this JVM is dropped, so nothing points at the machine's shared servers), the cache in memory,
 * events on the Vert.x event bus, a known admin password. {@link #start} returns once the gateway's
 * {@code /health/ready} answers 200; {@link #close} stops it.
 */
public final class AllInOne implements AutoCloseable {
  public static final String ADMIN_EMAIL = "admin@tarifa.local";
  private static final Duration READY_WITHIN = Duration.ofMinutes(3);
  private static final List<String> SERVICES =
      List.of("users", "flights", "hotels", "cars", "reviews");

  private final Process process;
  private final Path log;
  private final int gatewayPort;
  private final String adminPassword;

  private AllInOne(Process process, Path log, int gatewayPort, String adminPassword) {
    this.process = process;
    this.log = log;
    this.gatewayPort = gatewayPort;
    this.adminPassword = adminPassword;
  }

  /**
   * Starts the platform with {@code overrides} on top of the settings above; its output goes to
   * {@code log}.
   */
  public static AllInOne start(Path log, Map<String, String> overrides)
      throws IOException, InterruptedException {
    Files.createDirectories(log.getParent());
    String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
    Map<String, Integer> ports = new HashMap<>();
    ports.put("gateway", freePort());
    for (String s : SERVICES) ports.put(s, freePort());

    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        new ArrayList<>(
            List.of(
                javaBin,
                "-Xmx768m",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.tarifa.app.TarifaApp"));
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("TARIFA_"));
    env.put("TARIFA_CATALOGUE_SIZE", "small");
    env.put("TARIFA_ADMIN_PASSWORD", password);
    env.put("TARIFA_GATEWAY_PORT", Integer.toString(ports.get("gateway")));
    for (String s : SERVICES) {
      String upper = s.toUpperCase(Locale.ROOT);
      env.put("TARIFA_" + upper + "_PORT", Integer.toString(ports.get(s)));
      env.put("TARIFA_" + upper + "_URL", "http://127.0.0.1:" + ports.get(s));
    }
    env.putAll(overrides);
    AllInOne app = new AllInOne(pb.start(), log, ports.get("gateway"), password);
    try {
      app.awaitReady();
    } catch (RuntimeException | InterruptedException e) {
      app.close();
      throw e;
    }
    return app;
  }

  private void awaitReady() throws InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + READY_WITHIN.toNanos();
    HttpRequest ready =
        HttpRequest.newBuilder(URI.create(baseUrl() + "/health/ready"))
            .timeout(Duration.ofSeconds(5))
            .build();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive())
        throw new IllegalStateException(
            "the all-in-one exited (" + process.exitValue() + "):\n" + logTail());
      try {
        if (client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) return;
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException(
        "the all-in-one was not ready within " + READY_WITHIN + ":\n" + logTail());
  }

  /** The gateway, e.g. {@code http://127.0.0.1:41234}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + gatewayPort;
  }

  public String adminPassword() {
    return adminPassword;
  }

  /** The last lines the platform printed (for failure messages). */
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static int freePort() {
    return dev.tarifa.shared.testing.TestPorts.free();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy(); // SIGTERM: the shutdown hook stops Vert.x and the embedded datastores
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
