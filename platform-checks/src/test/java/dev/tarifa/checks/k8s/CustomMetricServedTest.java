package dev.tarifa.checks.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tarifa.checks.support.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The gateway HPA's custom metric is one the prometheus-adapter values (k8s/core) actually serve.
 */
class CustomMetricServedTest {

  @ParameterizedTest
  @ValueSource(strings = {"test", "prod"})
  void everyHpaCustomMetricIsServedByTheAdapter(String stage) throws IOException {
    Path values = Tools.repoRoot().resolve("k8s/core/prometheus-adapter-values.yaml");
    // The values are the monitoring work's (merged with it); on a branch without them there is
    // nothing to compare.
    Assumptions.assumeTrue(
        Files.exists(values), "k8s/core/prometheus-adapter-values.yaml is not on this branch");
    assertThat(
            Policies.customMetricsServed(
                Manifests.rendered(stage), Manifests.YAML.readTree(values.toFile())))
        .isEmpty();
  }

  @Test
  void aMetricNoAdapterRuleServesIsRejected() throws IOException {
    JsonNode broken =
        Manifests.YAML.readTree(Manifests.resource("k8s/broken/prometheus-adapter-values.yaml"));
    assertThat(Policies.customMetricsServed(Manifests.rendered("prod"), broken))
        .singleElement()
        .asString()
        .contains(
            "HorizontalPodAutoscaler/gateway: custom metric tarifa_searches_per_second is served by no prometheus-adapter rule");
  }
}
