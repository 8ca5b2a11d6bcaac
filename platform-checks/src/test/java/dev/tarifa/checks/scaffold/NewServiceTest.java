package dev.tarifa.checks.scaffold;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tarifa.checks.compose.RepositoryComposeChecks;
import dev.tarifa.checks.k8s.RepositoryChecks;
import dev.tarifa.checks.support.Tools;
import dev.tarifa.checks.workflows.RepositoryWorkflowChecks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * tools/new-service, run in a scratch copy of the repository (its tracked files): {@code demo}
 * yields a module that builds and passes its own tests (its integration test against the local
 * PostgreSQL), deploys in both rendered overlays under the project's schema, policy and
 * configuration-key checks, appears in the compose stack, which still passes the compose policy and
 * key checks, and in every workflow service list; a second run, or a bad name, is refused with a
 * clear message and changes nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NewServiceTest {
  private static final String NAME = "demo";
  private static final List<String> KINDS =
      List.of(
          "Deployment",
          "Service",
          "ServiceAccount",
          "HorizontalPodAutoscaler",
          "PodDisruptionBudget",
          "NetworkPolicy");
  private static Path copy;
  private static Tools.Result scaffold;

  @BeforeAll
  static void scaffoldACopy() throws Exception {
    Path root = Tools.repoRoot();
    Tools.require("git");
    copy = Files.createTempDirectory("tarifa-new-service");
    // tracked files only (so no target/, node_modules/ or .env), as they are in the working tree
    Tools.Result files = Tools.run(root, 60, List.of("git", "ls-files", "-z", "--cached"));
    assertThat(files.ok()).as(files.output()).isTrue();
    for (String f : files.output().split("\0")) {
      if (f.isEmpty()
          || f.contains("node_modules/")
          || f.startsWith("target/")
          || f.contains("/target/")) continue;
      Path from = root.resolve(f);
      if (!Files.isRegularFile(from)) continue; // deleted in the working tree
      Path to = copy.resolve(f);
      Files.createDirectories(to.getParent());
      Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
    }
    scaffold = Tools.run(copy, 60, List.of("bash", "tools/new-service", NAME));
  }

  @AfterAll
  static void removeTheCopy() throws IOException {
    if (copy == null) return;
    try (Stream<Path> all = Files.walk(copy)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  @Order(1)
  void scaffoldsTheModuleInTheHouseLayout() throws IOException {
    assertThat(scaffold.ok()).as(scaffold.output()).isTrue();
    Path src = copy.resolve("verticles/demo/src/main/java/dev/tarifa/demo");
    for (String f :
        List.of(
            "DemoConfig.java",
            "DemoService.java",
            "DemoVerticle.java",
            "DemoMain.java",
            "api/DemoRouter.java",
            "domain/DemoItem.java",
            "store/DemoStore.java")) {
      assertThat(src.resolve(f)).as(f).isRegularFile();
    }
    assertThat(copy.resolve("verticles/demo/src/main/resources/db/demo/V1__demo.sql"))
        .isRegularFile();
    assertThat(Files.readString(src.resolve("DemoService.java")))
        .contains("implements TarifaService");
    assertThat(Files.readString(copy.resolve("pom.xml")))
        .contains("<module>verticles/demo</module>");
    assertThat(Files.readString(copy.resolve("verticles/demo/pom.xml")))
        .contains("<image.mainClass>dev.tarifa.demo.DemoMain</image.mainClass>");
    assertThat(Files.readString(copy.resolve("README.md")))
        .contains("| `TARIFA_DEMO_PORT` | 8086 |");
    assertThat(copy.resolve("k8s/base/demo")).isDirectory();
  }

  @Test
  @Order(2)
  void aSecondRunOrABadNameIsRefusedAndChangesNothing() throws Exception {
    Map<String, String> before = snapshot(copy);
    assertRefused(List.of(NAME), "service 'demo' already exists");
    assertRefused(List.of("users"), "service 'users' already exists");
    assertRefused(List.of("Demo"), "invalid name 'Demo'");
    assertRefused(List.of("my-service"), "invalid name 'my-service'");
    assertRefused(List.of("app"), "reserved");
    assertRefused(List.of(), "usage: tools/new-service <name>");
    assertThat(snapshot(copy)).as("files after the refused runs").isEqualTo(before);
  }

  private static void assertRefused(List<String> args, String message) {
    List<String> command = new ArrayList<>(List.of("bash", "tools/new-service"));
    command.addAll(args);
    Tools.Result r = Tools.run(copy, 30, command);
    assertThat(r.exitCode()).as(String.join(" ", command) + ": " + r.output()).isNotZero();
    assertThat(r.output()).as(String.join(" ", command)).contains(message);
  }

  @Test
  @Order(3)
  void theModuleBuildsAndPassesItsTestsOffline() throws IOException {
    assertThat(scaffold.ok()).as(scaffold.output()).isTrue();
    Path mvn = Tools.require("mvn");
    // -am builds shared (a reactor dependency) without running its tests again: only the new
    // module's run
    Tools.Result build =
        Tools.run(
            copy,
            900,
            List.of(
                mvn.toString(),
                "-B",
                "-q",
                "-o",
                "-pl",
                "verticles/demo",
                "-am",
                "-Dtest=dev.tarifa.demo.**",
                "-Dsurefire.failIfNoSpecifiedTests=false",
                "verify"));
    assertThat(build.ok()).as(build.output()).isTrue();
    Path reports = copy.resolve("verticles/demo/target/surefire-reports");
    String it = Files.readString(reports.resolve("TEST-dev.tarifa.demo.DemoApiIT.xml"));
    // the integration test ran against a database, none of it skipped
    assertThat(it)
        .containsPattern("tests=\"[1-9]")
        .contains("skipped=\"0\"")
        .contains("failures=\"0\"")
        .contains("errors=\"0\"");
    assertThat(reports.resolve("TEST-dev.tarifa.demo.domain.DemoItemTest.xml")).isRegularFile();
    assertThat(copy.resolve("verticles/demo/target/tarifa-demo-all.jar")).isRegularFile();
  }

  @Test
  @Order(4)
  void itDeploysInBothRenderedOverlaysUnderEveryCheck() throws Exception {
    assertThat(scaffold.ok()).as(scaffold.output()).isTrue();
    assertThat(RepositoryChecks.services(copy)).contains(NAME);
    Path classes = copy.resolve("verticles/demo/target/classes");
    if (!Files.isDirectory(classes.resolve("dev/tarifa/demo"))) {
      // the config-key check parses demo's keys with DemoConfig.fromEnv: compile it when the build
      // test has not run
      Tools.Result compile =
          Tools.run(
              copy,
              600,
              List.of(
                  Tools.require("mvn").toString(),
                  "-B",
                  "-q",
                  "-o",
                  "-pl",
                  "verticles/demo",
                  "-am",
                  "-DskipTests",
                  "compile"));
      assertThat(compile.ok()).as(compile.output()).isTrue();
    }
    ClassLoader previous = Thread.currentThread().getContextClassLoader();
    try (URLClassLoader demo =
        new URLClassLoader(
            new URL[] {classes.toUri().toURL()}, NewServiceTest.class.getClassLoader())) {
      Thread.currentThread().setContextClassLoader(demo);
      for (String stage : List.of("test", "prod")) {
        List<JsonNode> docs = RepositoryChecks.render(copy, stage);
        for (String kind : KINDS) {
          assertThat(docs)
              .as(stage + ": " + kind + "/demo")
              .anyMatch(
                  d ->
                      d.path("kind").asText().equals(kind)
                          && d.path("metadata").path("name").asText().equals(NAME));
        }
        assertThat(docs)
            .as(stage + ": the demo image from the overlay")
            .anyMatch(
                d ->
                    d.path("kind").asText().equals("Deployment")
                        && d.toString()
                            .contains("\"image\":\"ghcr.io/tarifa-dev/tarifa-demo:0.1.0\""));
        assertThat(docs)
            .as(stage + ": the PostgreSQL egress admits demo")
            .anyMatch(
                d ->
                    d.path("kind").asText().equals("NetworkPolicy")
                        && d.path("metadata")
                            .path("name")
                            .asText()
                            .matches("egress-(managed-)?postgres")
                        && d.toString().contains("\"demo\""));
        assertThat(RepositoryChecks.violations(docs, stage))
            .as(stage + " overlay checks")
            .isEmpty();
      }
      // its database: the in-cluster PostgreSQL creates it
      assertThat(
              Files.readString(
                  copy.resolve("k8s/components/in-cluster-datastores/init/10-tarifa-databases.sh")))
          .containsPattern("for s in .* demo; do");
    } finally {
      Thread.currentThread().setContextClassLoader(previous);
    }
  }

  @Test
  @Order(5)
  void itRunsInTheComposeStack() throws Exception {
    assertThat(scaffold.ok()).as(scaffold.output()).isTrue();
    Path dockerCompose = Tools.require("docker-compose");
    Path env = Files.createTempFile("tarifa-new-service", ".env");
    try {
      Files.writeString(env, throwawayEnv(copy.resolve("compose/.env.example")));
      // stdout only: docker-compose writes its warnings to stderr
      Path out = Files.createTempFile("tarifa-new-service", ".yaml");
      Process p =
          new ProcessBuilder(
                  dockerCompose.toString(),
                  "--env-file",
                  env.toString(),
                  "-f",
                  "compose.yaml",
                  "config")
              .directory(copy.resolve("compose").toFile())
              .redirectOutput(out.toFile())
              .redirectErrorStream(false)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS))
          .as("docker-compose config finishes")
          .isTrue();
      String config = Files.readString(out);
      Files.deleteIfExists(out);
      assertThat(p.exitValue()).as("docker-compose config exit status").isZero();
      assertThat(config)
          .containsPattern("(?m)^  demo:$")
          .contains("ghcr.io/tarifa-dev/tarifa-demo:0.1.0")
          .containsPattern(
              "TARIFA_DEMO_PG_URL: postgresql://tarifa_demo:generated[0-9a-f]+@postgres:5432/tarifa_demo")
          .containsPattern("PG_DEMO_PASSWORD: generated[0-9a-f]+");
      assertThat(
              RepositoryComposeChecks.violations(
                  config, Files.readString(copy.resolve("compose/compose.yaml"))))
          .as("compose policy")
          .isEmpty();
    } finally {
      Files.deleteIfExists(env);
    }
    ClassLoader previous = Thread.currentThread().getContextClassLoader();
    Path classes = copy.resolve("verticles/demo/target/classes");
    try (URLClassLoader demo =
        new URLClassLoader(
            new URL[] {classes.toUri().toURL()}, NewServiceTest.class.getClassLoader())) {
      Thread.currentThread().setContextClassLoader(demo);
      List<String> keys = RepositoryChecks.composeKeyViolations(copy);
      assertThat(keys).contains("compose service seen: demo");
      assertThat(keys.stream().filter(v -> !v.startsWith("compose service seen: ")))
          .as("compose configuration keys")
          .isEmpty();
    } finally {
      Thread.currentThread().setContextClassLoader(previous);
    }
    assertThat(Files.readString(copy.resolve("compose/postgres/init-databases.sh")))
        .containsPattern("for service in .* demo; do");
    assertThat(Files.readString(copy.resolve("compose/generate-env.sh")))
        .contains("echo \"PG_DEMO_PASSWORD=$(secret)\"");
    assertThat(Files.readString(copy.resolve("compose/prometheus/prometheus.yml")))
        .contains("targets: [\"demo:8086\"]");
    // the sizing table ComposeStackTest checks the limits against, the stand-in figures marked as
    // such
    assertThat(Files.readString(copy.resolve("compose/README.md")))
        .containsPattern("(?m)^\\| `demo` \\| \\d+ \\| \\d+ \\| 384M \\| not measured");
  }

  @Test
  @Order(6)
  void everyWorkflowServiceListNamesIt() {
    assertThat(scaffold.ok()).as(scaffold.output()).isTrue();
    assertThat(RepositoryWorkflowChecks.services(copy)).contains(NAME);
    assertThat(RepositoryWorkflowChecks.violations(copy)).isEmpty();
  }

  /**
   * .env.example with every secret replaced by random hex, as compose/generate-env.sh (and the
   * compose checks) do.
   */
  private static String throwawayEnv(Path example) throws IOException {
    Pattern secret = Pattern.compile("(?i).*(PASSWORD|PASS|SECRET|TOKEN|_KEY|REPLICA_KEY)$");
    SecureRandom random = new SecureRandom();
    StringBuilder out = new StringBuilder();
    for (String line : Files.readAllLines(example)) {
      if (line.isBlank() || line.startsWith("#")) continue;
      String name = line.substring(0, line.indexOf('='));
      if (secret.matcher(name).matches()) {
        byte[] b = new byte[16];
        random.nextBytes(b);
        line = name + "=generated" + HexFormat.of().formatHex(b);
      }
      out.append(line).append('\n');
    }
    return out.toString();
  }

  /**
   * Every file under {@code dir} (but build output) with the SHA-256 of its content and its
   * executable bit.
   */
  private static Map<String, String> snapshot(Path dir) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> all = Files.walk(dir)) {
      all.filter(Files::isRegularFile)
          .filter(p -> !dir.relativize(p).toString().contains("target/"))
          .forEach(
              p -> {
                try {
                  String hash =
                      HexFormat.of()
                          .formatHex(
                              MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
                  out.put(dir.relativize(p).toString(), hash + (Files.isExecutable(p) ? " x" : ""));
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                } catch (java.security.NoSuchAlgorithmException e) {
                  throw new IllegalStateException(e);
                }
              });
    }
    return out;
  }
}
