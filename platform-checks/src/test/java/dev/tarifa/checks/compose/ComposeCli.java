package dev.tarifa.checks.compose;

import dev.tarifa.checks.support.Tools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Runs {@code docker-compose config} (Debian's docker-compose 1.29: validates against the Compose
 * Specification without a Docker engine) in a clean environment, with a throwaway env file made
 * from compose/.env.example in which every secret is a fresh random value, as
 * compose/generate-env.sh would write.
 */
final class ComposeCli {
  /** The variables of .env.example that hold secrets (generate-env.sh replaces them). */
  static final Pattern SECRET_NAME =
      Pattern.compile("(?i).*(PASSWORD|PASS|SECRET|TOKEN|_KEY|REPLICA_KEY)$");

  private ComposeCli() {}

  /** What {@code config} printed on stdout and stderr, and its exit status. */
  record Result(int exitCode, String stdout, String stderr) {
    boolean ok() {
      return exitCode == 0;
    }

    String both() {
      return stdout + "\n" + stderr;
    }
  }

  static Path repoCompose() {
    return Tools.repoRoot().resolve("compose");
  }

  static Path fixture(String name) {
    Path p = Tools.repoRoot().resolve("platform-checks/src/test/resources/compose").resolve(name);
    if (!Files.exists(p)) throw new IllegalStateException("missing fixture " + p);
    return p;
  }

  /** The variables of .env.example in order, secrets replaced by random hex (safe in URLs). */
  static Map<String, String> throwawayEnv() throws IOException {
    Map<String, String> env = new LinkedHashMap<>();
    SecureRandom random = new SecureRandom();
    for (String line : Files.readAllLines(repoCompose().resolve(".env.example"))) {
      if (line.isBlank() || line.startsWith("#")) continue;
      int eq = line.indexOf('=');
      String name = line.substring(0, eq);
      String value = line.substring(eq + 1);
      if (SECRET_NAME.matcher(name).matches()) {
        byte[] b = new byte[16];
        random.nextBytes(b);
        value = "generated" + HexFormat.of().formatHex(b);
      }
      env.put(name, value);
    }
    return env;
  }

  static Path writeEnv(Map<String, String> env) throws IOException {
    Path f = Files.createTempFile("tarifa-compose", ".env");
    f.toFile().deleteOnExit();
    StringBuilder sb = new StringBuilder();
    env.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
    Files.writeString(f, sb.toString());
    return f;
  }

  /**
   * {@code docker-compose --env-file <env> -f <file> config}, with only PATH and HOME from this
   * environment.
   */
  static Result config(Path composeFile, Path envFile) {
    Path dockerCompose = Tools.require("docker-compose");
    List<String> command = new ArrayList<>(List.of(dockerCompose.toString()));
    if (envFile != null) command.addAll(List.of("--env-file", envFile.toString()));
    command.addAll(List.of("-f", composeFile.toString(), "config"));
    try {
      Path out = Files.createTempFile("tarifa-compose", ".out");
      Path err = Files.createTempFile("tarifa-compose", ".err");
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .directory(composeFile.getParent().toFile())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile());
      Map<String, String> env = pb.environment();
      env.keySet().retainAll(Set.of("PATH", "HOME", "LANG", "LC_ALL"));
      Process p = pb.start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not finish within 120 s");
      }
      Result r =
          new Result(
              p.exitValue(),
              Files.readString(out, StandardCharsets.UTF_8),
              Files.readString(err, StandardCharsets.UTF_8));
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
      return r;
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted running " + command, e);
    }
  }

  private static Result repoResult;

  /**
   * The repository's compose file, configured with a throwaway env (rendered once per test JVM).
   */
  static synchronized Result configRepo() throws IOException {
    if (repoResult == null)
      repoResult = config(repoCompose().resolve("compose.yaml"), writeEnv(throwawayEnv()));
    return repoResult;
  }
}
