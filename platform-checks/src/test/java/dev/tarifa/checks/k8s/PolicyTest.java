package dev.tarifa.checks.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The policies of {@link Policies} hold for both rendered overlays. */
class PolicyTest {

  @ParameterizedTest
  @ValueSource(strings = {"test", "prod"})
  void containersAreProbedBoundedAndHardened(String stage) {
    List<JsonNode> docs = Manifests.rendered(stage);
    assertThat(Policies.probes(docs)).isEmpty();
    assertThat(Policies.resources(docs)).isEmpty();
    assertThat(Policies.securityContext(docs)).isEmpty();
    assertThat(Policies.serviceRollout(docs)).isEmpty();
    assertThat(Policies.imagesPinned(docs)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"test", "prod"})
  void workloadsHaveBudgetsPoliciesAndValidAutoscalers(String stage) {
    List<JsonNode> docs = Manifests.rendered(stage);
    assertThat(Policies.disruptionBudgets(docs)).isEmpty();
    assertThat(Policies.defaultDeny(docs)).isEmpty();
    assertThat(Policies.networkPolicies(docs)).isEmpty();
    assertThat(Policies.autoscalers(docs)).isEmpty();
    assertThat(Policies.services(docs)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"test", "prod"})
  void onlyThePublicSurfaceIsRoutable(String stage) {
    List<JsonNode> docs = Manifests.rendered(stage);
    assertThat(Policies.ingresses(docs)).isEmpty();
    JsonNode ingress = Manifests.find(docs, "Ingress", "gateway").orElseThrow();
    for (String p : Policies.PRIVATE_PATHS) assertThat(Policies.routes(ingress, p)).as(p).isFalse();
    for (String p :
        List.of(
            "/",
            "/app.js",
            "/style.css",
            "/openapi.yaml",
            "/api/v1/flights/search",
            "/admin/v1/cache")) {
      assertThat(Policies.routes(ingress, p)).as(p).isTrue();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"test", "prod"})
  void secretsComeFromTheStagesStoreAndNothingSecretIsInConfigMaps(String stage) {
    List<JsonNode> docs = Manifests.rendered(stage);
    assertThat(Policies.secretsAndConfig(docs)).isEmpty();
    assertThat(Policies.privateKeyOnlyOnUsers(docs)).isEmpty();
    assertThat(Policies.externalSecrets(docs, "tarifa-" + stage)).isEmpty();
    assertThat(Policies.namespaces(docs, "tarifa-" + stage)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"test", "prod"})
  void gatewayScalesOnSearchesPerSecondAndCpuUpFastDownSlowly(String stage) {
    JsonNode hpa =
        Manifests.find(Manifests.rendered(stage), "HorizontalPodAutoscaler", "gateway")
            .orElseThrow()
            .path("spec");
    assertThat(hpa.path("metrics").findValuesAsText("type")).contains("Pods", "Resource");
    JsonNode pods = hpa.path("metrics").findParent("pods").path("pods");
    assertThat(pods.path("metric").path("name").asText()).isEqualTo("tarifa_searches_per_second");
    assertThat(pods.path("target").path("type").asText()).isEqualTo("AverageValue");
    assertThat(hpa.path("metrics").findParent("resource").path("resource").path("name").asText())
        .isEqualTo("cpu");
    assertThat(hpa.path("behavior").path("scaleUp").path("stabilizationWindowSeconds").asInt(-1))
        .isZero();
    assertThat(hpa.path("behavior").path("scaleDown").path("stabilizationWindowSeconds").asInt())
        .isGreaterThanOrEqualTo(300);
  }

  @Test
  void domainServicesScaleOnCpu() {
    for (String s : List.of("users", "flights", "hotels", "cars", "reviews")) {
      JsonNode hpa =
          Manifests.find(Manifests.rendered("prod"), "HorizontalPodAutoscaler", s).orElseThrow();
      assertThat(hpa.path("spec").path("metrics").findValuesAsText("name")).as(s).contains("cpu");
    }
  }
}
