package dev.tarifa.checks.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * External programs the checks drive (kubectl, docker-compose, prometheus, promtool, node tools). A
 * missing program skips the check on a developer's machine and fails it when {@code CI} is set: CI
 * must never skip. {@code .ci/install-tools} installs every one of them.
 */
public final class Tools {
  private Tools() {}

  /** The repository root (the folder holding the parent pom and README.md). */
  public static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null
        && !(Files.exists(p.resolve("README.md")) && Files.exists(p.resolve("platform-checks"))))
      p = p.getParent();
    if (p == null)
      throw new IllegalStateException(
          "repository root not found above " + Path.of("").toAbsolutePath());
    return p;
  }

  /**
   * The absolute path of {@code name} on the PATH (or the given absolute path); skips or fails when
   * missing.
   */
  public static Path require(String name) {
    Path found = null;
    if (name.startsWith("/")) {
      if (Files.isExecutable(Path.of(name))) found = Path.of(name);
    } else {
      for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
        Path c = Path.of(dir, name);
        if (Files.isExecutable(c)) {
          found = c;
          break;
        }
      }
    }
    if (found != null) return found;
    String msg = name + " is not installed (run .ci/install-tools)";
    if (System.getenv("CI") != null) Assertions.fail(msg);
    Assumptions.abort(msg);
    return null;
  }

  /** What a finished program printed, and how it exited. */
  public record Result(int exitCode, String output) {
    public boolean ok() {
      return exitCode == 0;
    }
  }

  /**
   * Runs a program (stdout and stderr merged) in {@code dir}, bounded by {@code timeoutSeconds}.
   */
  public static Result run(Path dir, int timeoutSeconds, List<String> command) {
    try {
      Path out = Files.createTempFile("tarifa-check", ".out");
      Process p =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(
            String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
      }
      String text = Files.readString(out);
      Files.deleteIfExists(out);
      return new Result(p.exitValue(), text);
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted running " + command, e);
    }
  }
}
