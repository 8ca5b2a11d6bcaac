package dev.tarifa.checks.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Every check can fail: the compliant fixture (k8s/good/service.yaml) passes all of them, and each
 * fixture under k8s/broken/ (the same objects with one defect) is rejected by the check
 * responsible, with a message naming it.
 */
class BrokenFixturesTest {
  private static final Map<String, Function<List<JsonNode>, List<String>>> CHECKS =
      Map.ofEntries(
          Map.entry("schema", SchemaValidator::validate),
          Map.entry("probes", Policies::probes),
          Map.entry("resources", Policies::resources),
          Map.entry("securityContext", Policies::securityContext),
          Map.entry("serviceRollout", Policies::serviceRollout),
          Map.entry("imagesPinned", Policies::imagesPinned),
          Map.entry("disruptionBudgets", Policies::disruptionBudgets),
          Map.entry("autoscalers", Policies::autoscalers),
          Map.entry("services", Policies::services),
          Map.entry("defaultDeny", Policies::defaultDeny),
          Map.entry("networkPolicies", Policies::networkPolicies),
          Map.entry("ingresses", Policies::ingresses),
          Map.entry("secretsAndConfig", Policies::secretsAndConfig),
          Map.entry("privateKeyOnlyOnUsers", Policies::privateKeyOnlyOnUsers),
          Map.entry("externalSecrets", docs -> Policies.externalSecrets(docs, "tarifa-test")),
          Map.entry("namespaces", docs -> Policies.namespaces(docs, "tarifa-test")),
          Map.entry("configKeys", BrokenFixturesTest::configKeys));

  private static List<String> configKeys(List<JsonNode> docs) {
    List<String> out = new ArrayList<>();
    ConfigKeys.fromManifests(docs, "fixture").forEach(s -> out.addAll(ConfigKeys.check(s)));
    return out;
  }

  private static List<String> run(String check, String fixture) {
    return CHECKS.get(check).apply(Manifests.fixture(fixture));
  }

  @Test
  void theCompliantFixturePassesEveryCheck() {
    CHECKS.forEach(
        (name, check) ->
            assertThat(check.apply(Manifests.fixture("good/service.yaml"))).as(name).isEmpty());
  }

  @Test
  void schemaRejectsUnknownFields() {
    assertThat(run("schema", "broken/unknown-field.yaml"))
        .anyMatch(v -> v.contains("Deployment/gateway") && v.contains("[livenessprobe]"))
        .anyMatch(v -> v.contains("Deployment/gateway") && v.contains("[replica]"));
  }

  @Test
  void schemaRejectsRemovedApiVersionsAndUnknownKinds() {
    assertThat(run("schema", "broken/removed-api-version.yaml"))
        .anyMatch(v -> v.contains("PodDisruptionBudget/gateway") && v.contains("policy/v1beta1"))
        .anyMatch(v -> v.contains("Servise/gateway") && v.contains("not a known Kubernetes kind"));
  }

  @Test
  void probesCheckRejectsAContainerWithoutProbes() {
    assertThat(run("probes", "broken/container-without-probes.yaml"))
        .contains(
            "Deployment/gateway container gateway: no livenessProbe",
            "Deployment/gateway container gateway: no readinessProbe",
            "Deployment/gateway container gateway: no startupProbe");
  }

  @Test
  void securityCheckRejectsAnInsecureContainer() {
    assertThat(run("securityContext", "broken/insecure-container.yaml"))
        .contains(
            "Deployment/gateway container gateway: readOnlyRootFilesystem is not true",
            "Deployment/gateway container gateway: allowPrivilegeEscalation is not false",
            "Deployment/gateway container gateway: capabilities.drop does not contain ALL");
  }

  @Test
  void budgetCheckRejectsADeploymentWithoutPdb() {
    assertThat(run("disruptionBudgets", "broken/deployment-without-pdb.yaml"))
        .contains(
            "Deployment/gateway: no PodDisruptionBudget selects its pods",
            "PodDisruptionBudget/gateway: selects no workload's pods");
  }

  @Test
  void networkChecksRejectMissingPolicies() {
    assertThat(run("defaultDeny", "broken/no-network-policy.yaml"))
        .singleElement()
        .asString()
        .contains("namespace 'tarifa-test': no default-deny");
    assertThat(run("networkPolicies", "broken/no-network-policy.yaml"))
        .contains(
            "Deployment/gateway: no NetworkPolicy of its own selects its pods and admits its clients");
  }

  @Test
  void autoscalerCheckRejectsAMissingTarget() {
    assertThat(run("autoscalers", "broken/hpa-missing-target.yaml"))
        .containsExactly(
            "HorizontalPodAutoscaler/gateway: scaleTargetRef apps/v1 Deployment/gateway-v2 does not exist");
  }

  @Test
  void serviceCheckRejectsAServiceSelectingNothing() {
    assertThat(run("services", "broken/service-selects-nothing.yaml"))
        .containsExactly("Service/gateway: selects no workload's pods");
  }

  @Test
  void imageCheckRejectsLatest() {
    assertThat(run("imagesPinned", "broken/unpinned-image.yaml"))
        .singleElement()
        .asString()
        .contains("uses latest");
  }

  @Test
  void ingressCheckRejectsMetricsAndHealthRoutes() {
    List<String> v = run("ingresses", "broken/ingress-exposes-metrics.yaml");
    assertThat(v)
        .contains(
            "Ingress/gateway: routes /metrics",
            "Ingress/gateway: routes /health/live",
            "Ingress/gateway: routes /health/ready")
        .anyMatch(s -> s.contains("path /metrics (Exact) is not part of the public surface"));
  }

  @Test
  void secretCheckRejectsAMissingSecretAndAPasswordInAConfigMap() {
    assertThat(run("secretsAndConfig", "broken/missing-secret.yaml"))
        .anyMatch(v -> v.contains("Secret tarifa-jwt-keys is not in the manifests"))
        .anyMatch(v -> v.contains("key TARIFA_ADMIN_PASSWORD looks secret"));
  }

  @Test
  void privateKeyCheckRejectsTheKeyOutsideUsers() {
    assertThat(run("privateKeyOnlyOnUsers", "broken/private-key-on-gateway.yaml"))
        .containsExactly(
            "Deployment/gateway container gateway: gets the JWT private key (only users signs tokens)");
  }

  @Test
  void keyCheckRejectsAKeyTheServiceNeverReads() {
    assertThat(run("configKeys", "broken/bad-tarifa-key.yaml"))
        .singleElement()
        .asString()
        .contains("TARIFA_UPSTREAM_TIMOUT is set but the gateway service never reads it");
  }

  @Test
  void keyCheckRejectsABadDuration() {
    assertThat(run("configKeys", "broken/bad-duration.yaml"))
        .singleElement()
        .asString()
        .contains("TARIFA_UPSTREAM_TIMEOUT")
        .contains("2 seconds");
  }

  @Test
  void keyCheckCoversComposeFilesAndTheirDotEnv() throws IOException {
    Map<String, String> env = ConfigKeys.parseDotEnv(Manifests.resource("k8s/broken/compose.env"));
    List<String> v = new ArrayList<>();
    ConfigKeys.fromCompose(
            Manifests.YAML.readTree(Manifests.resource("k8s/broken/compose.yaml")), env, "compose")
        .forEach(s -> v.addAll(ConfigKeys.check(s)));
    assertThat(v)
        .anyMatch(
            s ->
                s.contains("service users")
                    && s.contains("TARIFA_USERS_PG_POOL")
                    && s.contains("1000"))
        .anyMatch(s -> s.contains("service gateway-1") && s.contains("TARIFA_CACHE_JITTER"))
        .anyMatch(s -> s.contains("service gateway-1") && s.contains("TARIFA_LOG_FORMAT"));
    // with a valid pool size the unread key is reported too (a failed parse stops at the first bad
    // value)
    List<String> v2 = new ArrayList<>();
    ConfigKeys.fromCompose(
            Manifests.YAML.readTree(Manifests.resource("k8s/broken/compose.yaml")),
            Map.of("USERS_POOL", "8"),
            "compose")
        .forEach(s -> v2.addAll(ConfigKeys.check(s)));
    assertThat(v2).anyMatch(s -> s.contains("TARIFA_USER_PORT is set but no service reads it"));
    // the same findings through docker-compose's own resolution (as ConfigKeysTest reads
    // compose/compose.yaml)
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("tarifa-compose-fixture");
    java.nio.file.Path file =
        java.nio.file.Files.writeString(
            dir.resolve("compose.yaml"), Manifests.resource("k8s/broken/compose.yaml"));
    java.nio.file.Path dotEnv =
        java.nio.file.Files.writeString(
            dir.resolve(".env.example"), Manifests.resource("k8s/broken/compose.env"));
    List<String> v3 = new ArrayList<>();
    ConfigKeys.fromCompose(ConfigKeys.resolveCompose(file, dotEnv), Map.of(), "compose")
        .forEach(s -> v3.addAll(ConfigKeys.check(s)));
    assertThat(v3)
        .anyMatch(
            s ->
                s.contains("service users")
                    && s.contains("TARIFA_USERS_PG_POOL")
                    && s.contains("1000"))
        .anyMatch(s -> s.contains("service gateway-1") && s.contains("TARIFA_CACHE_JITTER"));
    assertThat(
            ConfigKeys.checkDotEnv(
                env, Manifests.resource("k8s/broken/compose.yaml"), "compose.env"))
        .anyMatch(
            s ->
                s.contains(
                    "TARIFA_CATALOG_SIZE is read by no service and used by no compose variable"))
        .anyMatch(s -> s.contains("TARIFA_OUTBOX_POLL") && s.contains("fast"))
        .noneMatch(s -> s.contains("TARIFA_TAG") || s.contains("TARIFA_ADMIN_PASSWORD"));
    assertThat(v).noneMatch(s -> s.contains("TARIFA_ADMIN_PASSWORD"));
  }
}
