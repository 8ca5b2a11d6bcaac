package dev.tarifa.checks.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tarifa.checks.support.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every TARIFA_* key set in the manifests and in the compose stack (compose/compose.yaml,
 * compose/.env.example: whichever of them exists) is read by its service, and its value parses with
 * the service's own parser.
 */
class ConfigKeysTest {

  @ParameterizedTest
  @ValueSource(strings = {"test", "prod"})
  void manifestKeysAreReadAndParse(String stage) {
    List<ConfigKeys.Settings> settings =
        ConfigKeys.fromManifests(Manifests.rendered(stage), "k8s/overlays/" + stage);
    assertThat(settings.stream().map(ConfigKeys.Settings::service))
        .containsExactlyInAnyOrderElementsOf(Manifests.SERVICES);
    List<String> violations = new ArrayList<>();
    settings.forEach(s -> violations.addAll(ConfigKeys.check(s)));
    assertThat(violations).isEmpty();
    // the check saw real settings: secrets opaque, the rest with values
    ConfigKeys.Settings gateway =
        settings.stream().filter(s -> s.service().equals("gateway")).findFirst().orElseThrow();
    assertThat(gateway.values())
        .containsKeys("TARIFA_USERS_URL", "TARIFA_UPSTREAM_TIMEOUT", "TARIFA_CORS_ORIGINS");
    assertThat(gateway.opaque()).contains("TARIFA_REDIS_URL", "TARIFA_JWT_PUBLIC_KEY");
  }

  /**
   * The compose file as docker-compose resolves it ({@code config}: anchors and merge keys
   * expanded, env_file read, variables interpolated from .env.example), so the check sees what the
   * containers get.
   */
  @Test
  void composeKeysAreReadAndParse() throws IOException {
    Path root = Tools.repoRoot();
    Path compose = root.resolve("compose/compose.yaml");
    Path dotEnv = root.resolve("compose/.env.example");
    Map<String, String> env =
        Files.exists(dotEnv) ? ConfigKeys.parseDotEnv(Files.readString(dotEnv)) : Map.of();
    List<String> violations = new ArrayList<>();
    if (Files.exists(dotEnv)) {
      String composeText = Files.exists(compose) ? Files.readString(compose) : "";
      violations.addAll(ConfigKeys.checkDotEnv(env, composeText, "compose/.env.example"));
    }
    if (Files.exists(compose)) {
      JsonNode doc = ConfigKeys.resolveCompose(compose, Files.exists(dotEnv) ? dotEnv : null);
      List<ConfigKeys.Settings> settings = ConfigKeys.fromCompose(doc, env, "compose/compose.yaml");
      assertThat(settings).as("Tarifa services in compose/compose.yaml").isNotEmpty();
      settings.forEach(s -> violations.addAll(ConfigKeys.check(s)));
    }
    assertThat(violations).isEmpty();
  }
}
