package dev.tarifa.checks.compose;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tarifa.checks.support.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * compose/compose.yaml validates with {@code docker-compose config} (Compose Specification,
 * Debian's 1.29), with exactly the variables compose/.env.example lists, and refuses to render
 * without the generated secrets.
 */
class ComposeConfigTest {
  private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)");

  @Test
  void theComposeFileValidates() throws Exception {
    ComposeCli.Result r = ComposeCli.configRepo();
    assertThat(r.ok()).as("docker-compose config:%n%s", r.both()).isTrue();
    assertThat(ComposePolicy.services(ComposePolicy.parse(r.stdout())))
        .containsKeys(
            "edge",
            "gateway-1",
            "gateway-2",
            "users",
            "flights",
            "hotels",
            "cars",
            "reviews",
            "postgres",
            "mongo",
            "redis",
            "rabbitmq",
            "prometheus",
            "grafana",
            "jaeger",
            "loki",
            "alloy");
  }

  @Test
  void anUnknownKeyFailsValidation() throws Exception {
    ComposeCli.Result r = ComposeCli.config(ComposeCli.fixture("unknown-key.yaml"), null);
    assertThat(r.ok()).as("docker-compose config accepted a typo:%n%s", r.both()).isFalse();
    assertThat(r.both()).contains("helthcheck");
    // the same file without the typo is valid: the failure is the key, not the fixture
    assertThat(ComposeCli.config(ComposeCli.fixture("valid.yaml"), null).ok()).isTrue();
  }

  @Test
  void everyVariableIsListedInEnvExampleAndEveryListedOneIsUsed() throws Exception {
    Path compose = ComposeCli.repoCompose();
    Set<String> used = new TreeSet<>();
    Matcher m = REFERENCE.matcher(Files.readString(compose.resolve("compose.yaml")));
    while (m.find()) used.add(m.group(1));
    Set<String> listed = new TreeSet<>(ComposeCli.throwawayEnv().keySet());
    // read by docker compose itself, not by the file
    Set<String> usedOrImplicit = new TreeSet<>(used);
    usedOrImplicit.add("COMPOSE_PROJECT_NAME");
    assertThat(listed).as("variables of compose.yaml missing from .env.example").containsAll(used);
    assertThat(usedOrImplicit)
        .as(".env.example variables compose.yaml never reads")
        .containsAll(listed);
  }

  @Test
  void withoutTheGeneratedSecretsConfigRefusesAndSaysWhatToRun() throws Exception {
    Map<String, String> env = new LinkedHashMap<>(ComposeCli.throwawayEnv());
    env.keySet().removeIf(k -> ComposeCli.SECRET_NAME.matcher(k).matches());
    ComposeCli.Result r =
        ComposeCli.config(
            ComposeCli.repoCompose().resolve("compose.yaml"), ComposeCli.writeEnv(env));
    assertThat(r.ok()).as("config rendered without secrets:%n%s", r.both()).isFalse();
    assertThat(r.both()).contains("generate-env.sh");
  }

  @Test
  void generateEnvWritesAnOwnerOnlyFileThatConfigAccepts() throws Exception {
    Tools.require("openssl");
    Path out = Files.createTempDirectory("tarifa-env").resolve(".env");
    Tools.Result gen =
        Tools.run(
            ComposeCli.repoCompose(),
            60,
            List.of("bash", "generate-env.sh", "--output", out.toString()));
    assertThat(gen.ok()).as(gen.output()).isTrue();
    String text = Files.readString(out);
    assertThat(text)
        .doesNotContain("change-me")
        .contains("TARIFA_JWT_PRIVATE_KEY='-----BEGIN PRIVATE KEY-----\\n");
    assertThat(Files.getPosixFilePermissions(out))
        .extracting(Object::toString)
        .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
    ComposeCli.Result r = ComposeCli.config(ComposeCli.repoCompose().resolve("compose.yaml"), out);
    assertThat(r.ok()).as(r.both()).isTrue();
    // a second run keeps the file (its passwords already live in the data volumes)
    String before = Files.readString(out);
    assertThat(
            Tools.run(
                    ComposeCli.repoCompose(),
                    60,
                    List.of("bash", "generate-env.sh", "--output", out.toString()))
                .ok())
        .isTrue();
    assertThat(Files.readString(out)).isEqualTo(before);
  }

  @Test
  void theRealEnvFileIsIgnoredByGit() throws Exception {
    Path root = Tools.repoRoot();
    if (!Files.exists(root.resolve(".git"))) {
      // a source export without git: the ignore rule itself must be there
      assertThat(Files.readAllLines(root.resolve(".gitignore"))).contains("compose/.env");
      return;
    }
    String git = Tools.require("git").toString();
    assertThat(Tools.run(root, 30, List.of(git, "check-ignore", "-q", "compose/.env")).exitCode())
        .as("compose/.env must be ignored by git")
        .isZero();
    assertThat(
            Tools.run(root, 30, List.of(git, "check-ignore", "-q", "compose/.env.example"))
                .exitCode())
        .as("compose/.env.example must be committed")
        .isEqualTo(1);
  }
}
