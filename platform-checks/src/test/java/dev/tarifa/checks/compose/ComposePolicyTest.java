package dev.tarifa.checks.compose;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The stack's rules over the rendered compose file, and a fixture per rule that breaks only that
 * rule (it passes {@code docker-compose config} and every other rule) to show each can fail.
 */
class ComposePolicyTest {

  private static Map<String, Object> rendered(ComposeCli.Result r) {
    assertThat(r.ok()).as("docker-compose config:%n%s", r.both()).isTrue();
    return ComposePolicy.parse(r.stdout());
  }

  @Test
  void theStackFollowsEveryRule() throws Exception {
    Map<String, Object> model = rendered(ComposeCli.configRepo());
    assertThat(ComposePolicy.config(model)).isEmpty();
    Map<String, Object> raw =
        ComposePolicy.parse(Files.readString(ComposeCli.repoCompose().resolve("compose.yaml")));
    assertThat(ComposePolicy.noSecretLiterals(raw)).isEmpty();
  }

  @Test
  void theValidFixtureFollowsEveryRule() throws Exception {
    assertThat(
            ComposePolicy.config(
                rendered(ComposeCli.config(ComposeCli.fixture("valid.yaml"), null))))
        .isEmpty();
    assertThat(
            ComposePolicy.noSecretLiterals(
                ComposePolicy.parse(Files.readString(ComposeCli.fixture("valid.yaml")))))
        .isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
    no-healthcheck.yaml       | cache: no healthcheck
    no-restart.yaml           | cache: no restart policy
    no-networks.yaml          | cache: no networks (the default network mixes every segment)
    depends-started.yaml      | web: depends_on cache with condition service_started, not service_healthy
    datastore-on-edge.yaml    | cache: datastore on the edge network
    unpinned-image.yaml       | cache: image redis:latest is :latest
    """)
  void eachBrokenFixtureFailsExactlyItsRule(String fixture, String violation) {
    List<String> found =
        ComposePolicy.config(rendered(ComposeCli.config(ComposeCli.fixture(fixture), null)));
    assertThat(found).containsExactly(violation);
  }

  @Test
  void missingLimitsFailTheLimitsRule() {
    List<String> found =
        ComposePolicy.config(
            rendered(ComposeCli.config(ComposeCli.fixture("no-limits.yaml"), null)));
    assertThat(found)
        .containsExactly(
            "cache: no memory limit (deploy.resources.limits.memory)",
            "cache: no CPU limit (deploy.resources.limits.cpus)");
  }

  @Test
  void secretLiteralsAreFoundInEnvironmentUrlsAndCommands() throws Exception {
    Map<String, Object> raw =
        ComposePolicy.parse(Files.readString(ComposeCli.fixture("secret-literal.yaml")));
    assertThat(ComposePolicy.noSecretLiterals(raw))
        .containsExactlyInAnyOrder(
            "cache: REDIS_PASSWORD is a literal, not a ${VARIABLE}",
            "cache CACHE_URL: URL with a literal password",
            "cache command: the argument of --requirepass is a literal, not a ${VARIABLE}");
    // and it breaks nothing else
    assertThat(
            ComposePolicy.config(
                rendered(ComposeCli.config(ComposeCli.fixture("secret-literal.yaml"), null))))
        .isEmpty();
  }

  @Test
  void unpinnedImagesIncludeAnImageWithoutATag() {
    Map<String, Object> model =
        Map.of(
            "services",
            Map.of(
                "a",
                Map.of("image", "nginx"),
                "b",
                Map.of("image", "ghcr.io/x/y:1.2@sha256:ab"),
                "c",
                Map.of("image", "registry:5000/z")));
    assertThat(ComposePolicy.imagesPinned(model))
        .containsExactlyInAnyOrder(
            "a: image nginx has no tag (means :latest)",
            "c: image registry:5000/z has no tag (means :latest)");
  }
}
