package dev.tarifa.checks.k8s;

import static dev.tarifa.checks.k8s.Manifests.kind;
import static dev.tarifa.checks.k8s.Manifests.name;
import static dev.tarifa.checks.k8s.Manifests.ofKind;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tarifa.checks.support.Tools;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both overlays and the cluster-wide part render with the project's render command and hold what a
 * stage needs.
 */
class OverlaysRenderTest {

  @ParameterizedTest
  @ValueSource(strings = {"test", "prod"})
  void overlayRendersEveryServiceWithItsPieces(String stage) {
    List<JsonNode> docs = Manifests.rendered(stage);
    for (String s : Manifests.SERVICES) {
      for (String k :
          List.of(
              "Deployment",
              "Service",
              "ServiceAccount",
              "PodDisruptionBudget",
              "HorizontalPodAutoscaler",
              "NetworkPolicy")) {
        assertThat(Manifests.find(docs, k, s)).as(stage + ": " + k + "/" + s).isPresent();
      }
      assertThat(ofKind(docs, "ConfigMap").map(Manifests::name))
          .as(stage + ": ConfigMap of " + s)
          .anyMatch(n -> n.startsWith(s + "-config-"));
    }
    assertThat(Manifests.find(docs, "Ingress", "gateway")).isPresent();
    assertThat(ofKind(docs, "ExternalSecret")).as(stage + ": ExternalSecrets").isNotEmpty();
  }

  @Test
  void testStageRunsItsDatastoresInCluster() {
    List<JsonNode> docs = Manifests.rendered("test");
    assertThat(ofKind(docs, "StatefulSet").map(Manifests::name))
        .containsExactlyInAnyOrder("postgres", "mongo", "redis", "rabbitmq");
    for (JsonNode sts : ofKind(docs, "StatefulSet").toList()) {
      assertThat(sts.path("spec").path("volumeClaimTemplates")).as(name(sts) + " PVC").isNotEmpty();
    }
  }

  @Test
  void prodStageReachesManagedDatastoresByAddressAndRunsMoreReplicas() {
    List<JsonNode> docs = Manifests.rendered("prod");
    assertThat(ofKind(docs, "StatefulSet")).isEmpty();
    assertThat(ofKind(docs, "NetworkPolicy").filter(p -> p.toString().contains("ipBlock")))
        .hasSize(4);
    for (String s : Manifests.SERVICES) {
      int prodMin =
          Manifests.find(docs, "HorizontalPodAutoscaler", s)
              .orElseThrow()
              .path("spec")
              .path("minReplicas")
              .asInt();
      int testMin =
          Manifests.find(Manifests.rendered("test"), "HorizontalPodAutoscaler", s)
              .orElseThrow()
              .path("spec")
              .path("minReplicas")
              .asInt();
      assertThat(prodMin)
          .as(s + " replicas prod vs test")
          .isGreaterThan(testMin)
          .isGreaterThanOrEqualTo(2);
      // stricter budgets: prod keeps pods available (minAvailable), test only bounds evictions
      assertThat(
              Manifests.find(docs, "PodDisruptionBudget", s)
                  .orElseThrow()
                  .path("spec")
                  .has("minAvailable"))
          .as(s + " PDB")
          .isTrue();
    }
  }

  @Test
  void coreRendersTheNamespaces() {
    var kubectl = Manifests.kubectl();
    var result =
        Tools.run(Tools.repoRoot(), 60, List.of(kubectl.toString(), "kustomize", "k8s/core"));
    assertThat(result.ok()).as(result.output()).isTrue();
    List<JsonNode> docs = Manifests.parse(result.output());
    assertThat(docs).allMatch(d -> kind(d).equals("Namespace"));
    assertThat(docs.stream().map(Manifests::name))
        .containsExactlyInAnyOrder("tarifa-test", "tarifa-prod", "monitoring");
    assertThat(SchemaValidator.validate(docs)).isEmpty();
  }
}
