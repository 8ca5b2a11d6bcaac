package dev.tarifa.checks.prometheus;

import dev.tarifa.shared.auth.JwtKeys;
import dev.tarifa.shared.testing.TestServers;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The platform the live checks scrape: the all-in-one (every service in one JVM, {@code
 * dev.tarifa.app.TarifaApp}) plus a second gateway process ({@code dev.tarifa.gateway.GatewayMain})
 * in front of the same services, so that the adapter's per-pod query has two gateway "pods". Both
 * run from the test classpath (platform-checks depends on tarifa-app) as child JVMs, on free ports,
 * with the small catalogue, their own PostgreSQL databases ({@code tarifa_obscheck_<service>}),
 * Redis (a key prefix of their own) and the embedded event bus.
 *
 * <p>The second gateway reaches the cars service at a closed port: its circuit to cars opens and
 * car searches there fail or are answered degraded, so that the error, circuit and degraded panels
 * have something to show.
 */
final class Platform implements AutoCloseable {
  static final List<String> SERVICES =
      List.of("users", "flights", "hotels", "cars", "reviews", "gateway");
  private static final List<String> DATABASES = List.of("users", "flights", "hotels", "cars");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  final Map<String, Integer> ports = new LinkedHashMap<>();
  final int gateway2Port;
  private final int deadCarsPort;
  final String adminPassword = "obscheck-" + UUID.randomUUID();
  private final List<Process> processes = new ArrayList<>();
  private final Path dir;

  private Platform(Path dir) {
    this.dir = dir;
    // one draw for every port of the platform: distinct by construction (see Ports.free(int))
    List<Integer> free = Ports.free(SERVICES.size() + 2);
    for (int i = 0; i < SERVICES.size(); i++) ports.put(SERVICES.get(i), free.get(i));
    this.gateway2Port = free.get(SERVICES.size());
    this.deadCarsPort = free.get(SERVICES.size() + 1);
  }

  static Platform start(Path dir) throws Exception {
    Files.createDirectories(dir);
    Platform p = new Platform(dir);
    try {
      p.launch();
      return p;
    } catch (Throwable t) {
      p.close();
      throw t;
    }
  }

  String gateway() {
    return "http://127.0.0.1:" + ports.get("gateway");
  }

  String gateway2() {
    return "http://127.0.0.1:" + gateway2Port;
  }

  private void launch() throws Exception {
    URI pg = TestServers.postgres();
    URI redis = TestServers.redis();
    URI mongo = TestServers.mongo();
    JwtKeys.KeyPairPem keys = JwtKeys.generateEs256();
    String prefix = "tarifa-obscheck-" + UUID.randomUUID().toString().substring(0, 8) + ":";

    Map<String, String> common = new HashMap<>();
    common.put("TARIFA_CATALOGUE_SIZE", "small");
    common.put("TARIFA_LOG_FORMAT", "json");
    common.put("TARIFA_REDIS_URL", redis.toString());
    common.put("TARIFA_CACHE_PREFIX", prefix);
    // car answers go stale after 1 s and past their SWR window after 2 s: the second gateway then
    // serves degraded
    common.put("TARIFA_CACHE_CARS_TTL", "1s");
    common.put("TARIFA_CACHE_CARS_SWR", "1s");
    common.put("TARIFA_CACHE_JITTER", "0");
    // generous bounds: the check asserts what the panels show, not latency, and CI machines are
    // shared
    common.put("TARIFA_CACHE_L2_TIMEOUT", "1s");
    common.put("TARIFA_UPSTREAM_TIMEOUT", "5s");
    common.put("TARIFA_JWT_PUBLIC_KEY", keys.publicPem());
    for (String s : SERVICES)
      common.put("TARIFA_" + s.toUpperCase() + "_URL", "http://127.0.0.1:" + ports.get(s));

    Map<String, String> app = new HashMap<>(common);
    for (String s : SERVICES)
      app.put("TARIFA_" + s.toUpperCase() + "_PORT", Integer.toString(ports.get(s)));
    app.put("TARIFA_PG_URL", pg.toString());
    for (String db : DATABASES) {
      app.put(
          "TARIFA_" + db.toUpperCase() + "_PG_URL",
          TestServers.freshPostgresDatabase("tarifa_obscheck_" + db).toString());
    }
    app.put("TARIFA_MONGO_URL", mongo.toString());
    app.put(
        "TARIFA_MONGO_DATABASE",
        "tarifa_obscheck_reviews_" + UUID.randomUUID().toString().substring(0, 8));
    app.put("TARIFA_ADMIN_PASSWORD", adminPassword);
    app.put("TARIFA_JWT_PRIVATE_KEY", keys.privatePem());
    app.put("TARIFA_PASSWORD_ITERATIONS", "10000");

    Map<String, String> gw2 = new HashMap<>(common);
    gw2.put("TARIFA_GATEWAY_PORT", Integer.toString(gateway2Port));
    gw2.put("TARIFA_CARS_URL", "http://127.0.0.1:" + deadCarsPort); // nothing listens there

    Process all = java("dev.tarifa.app.TarifaApp", app, dir.resolve("all-in-one.log"));
    processes.add(all);
    Process second = java("dev.tarifa.gateway.GatewayMain", gw2, dir.resolve("gateway-2.log"));
    processes.add(second);
    for (String s : SERVICES)
      awaitLive(all, "http://127.0.0.1:" + ports.get(s), dir.resolve("all-in-one.log"));
    awaitLive(second, gateway2(), dir.resolve("gateway-2.log"));
  }

  private Process java(String mainClass, Map<String, String> env, Path log) throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> cmd =
        List.of(
            java.toString(),
            "-Xmx384m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            classpath(),
            mainClass);
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    // only what we set: no TARIFA_* of the developer's shell leaks in
    pb.environment().keySet().removeIf(k -> k.startsWith("TARIFA_") || k.startsWith("OTEL_"));
    pb.environment().putAll(env);
    return pb.start();
  }

  /** The test classpath, expanded when surefire passes it as a manifest-only jar. */
  static String classpath() throws IOException {
    String cp = System.getProperty("java.class.path");
    String[] entries = cp.split(java.io.File.pathSeparator);
    if (entries.length == 1 && entries[0].endsWith(".jar")) {
      try (JarFile jar = new JarFile(entries[0])) {
        Manifest m = jar.getManifest();
        String classPath = m == null ? null : m.getMainAttributes().getValue("Class-Path");
        if (classPath != null) {
          List<String> paths = new ArrayList<>();
          for (String url : classPath.trim().split("\\s+"))
            paths.add(Path.of(URI.create(url)).toString());
          return String.join(java.io.File.pathSeparator, paths);
        }
      }
    }
    return cp;
  }

  private static void awaitLive(Process p, String base, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (true) {
      if (!p.isAlive())
        throw new AssertionError(
            base + ": process exited " + p.exitValue() + "; log:\n" + tail(log));
      try {
        HttpResponse<Void> r =
            HTTP.send(
                HttpRequest.newBuilder(URI.create(base + "/health/live"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) return;
      } catch (IOException ignored) {
        // not listening yet
      }
      if (System.nanoTime() > deadline)
        throw new AssertionError(base + " not live within 180 s; log:\n" + tail(log));
      Thread.sleep(250);
    }
  }

  static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }

  @Override
  public void close() {
    Processes.stop(processes);
    // the check's databases are not needed afterwards
    URI pg = TestServers.postgres();
    String user = pg.getUserInfo() == null ? "postgres" : pg.getUserInfo().split(":")[0];
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:postgresql://" + pg.getHost() + ":" + pg.getPort() + "/postgres",
                user,
                null);
        Statement s = c.createStatement()) {
      for (String db : DATABASES)
        s.execute("DROP DATABASE IF EXISTS tarifa_obscheck_" + db + " WITH (FORCE)");
    } catch (Exception e) {
      System.err.println("could not drop the check's databases: " + e.getMessage());
    }
  }
}
