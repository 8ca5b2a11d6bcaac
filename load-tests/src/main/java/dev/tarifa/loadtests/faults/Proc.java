package dev.tarifa.loadtests.faults;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** One JVM of the campaign's platform: started, killed (SIGKILL) and restarted by the runner. */
final class Proc {
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(1))
          .build();

  final String name;
  final String baseUrl;
  private final List<String> command;
  private final Map<String, String> env;
  private final Path log;
  private Process process;

  Proc(String name, String baseUrl, List<String> command, Map<String, String> env, Path log) {
    this.name = name;
    this.baseUrl = baseUrl;
    this.command = command;
    this.env = env;
    this.log = log;
  }

  synchronized void start() throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command);
    // Only the campaign's settings: no TARIFA_* of the shell leaks in.
    pb.environment().keySet().removeIf(k -> k.startsWith("TARIFA_"));
    pb.environment().putAll(env);
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    process = pb.start();
  }

  synchronized long pid() {
    return process == null ? -1 : process.pid();
  }

  synchronized boolean alive() {
    return process != null && process.isAlive();
  }

  /** SIGKILL (Process.destroyForcibly on Linux), then waits for the exit. */
  synchronized void kill() throws InterruptedException {
    if (process == null) return;
    process.destroyForcibly();
    process.waitFor();
  }

  /** SIGTERM, then SIGKILL after 20 s. */
  synchronized void stop() throws InterruptedException {
    if (process == null || !process.isAlive()) return;
    process.destroy();
    if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS))
      process.destroyForcibly().waitFor();
  }

  /** Waits until /health/ready answers 200; fails when the process exits or the bound passes. */
  void awaitReady(Duration bound) throws Exception {
    long deadline = System.nanoTime() + bound.toNanos();
    while (true) {
      if (!alive())
        throw new IllegalStateException(
            name + " exited (status " + process.exitValue() + ") before it was ready; log " + log);
      try {
        HttpResponse<Void> r =
            HTTP.send(
                HttpRequest.newBuilder(URI.create(baseUrl + "/health/ready"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) return;
      } catch (Exception ignored) {
        // not listening yet
      }
      if (System.nanoTime() > deadline)
        throw new IllegalStateException(name + " not ready within " + bound + "; log " + log);
      Thread.sleep(250);
    }
  }

  static List<String> javaJar(String heap, Path jar) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // Serial GC: seven JVMs share two cores, parallel GC threads would only contend.
    return List.of(java, "-Xmx" + heap, "-XX:+UseSerialGC", "-jar", jar.toString());
  }
}
