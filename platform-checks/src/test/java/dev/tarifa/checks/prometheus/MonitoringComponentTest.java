package dev.tarifa.checks.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import dev.tarifa.checks.support.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The kustomize Component k8s/monitoring, rendered into a namespace the way the overlays use it
 * (with {@code --load-restrictor LoadRestrictionsNone}): the fields the Prometheus Operator, the
 * Grafana sidecar and External Secrets rely on (their schemas do not ship with the Kubernetes
 * model, so they are checked here).
 */
class MonitoringComponentTest {
  private static List<JsonNode> objects;

  @BeforeAll
  static void render() throws IOException {
    Path kubectl = Tools.require("kubectl");
    Path dir = Path.of("target/prometheus/render").toAbsolutePath();
    Files.createDirectories(dir);
    Path component = dir.relativize(Tools.repoRoot().resolve("k8s/monitoring"));
    Files.writeString(
        dir.resolve("kustomization.yaml"),
        """
      apiVersion: kustomize.config.k8s.io/v1beta1
      kind: Kustomization
      namespace: tarifa-test
      components:
        - %s
      """
            .formatted(component));
    Tools.Result r =
        Tools.run(
            dir,
            120,
            List.of(
                kubectl.toString(),
                "kustomize",
                "--load-restrictor",
                "LoadRestrictionsNone",
                dir.toString()));
    assertThat(r.ok()).as(r.output()).isTrue();
    objects = new ArrayList<>();
    try (MappingIterator<JsonNode> it =
        RuleFiles.YAML.readerFor(JsonNode.class).readValues(r.output())) {
      while (it.hasNext()) {
        JsonNode n = it.next();
        if (n != null && !n.isEmpty()) objects.add(n);
      }
    }
  }

  private static List<JsonNode> kind(String kind) {
    return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
  }

  @Test
  void everyObjectLandsInTheStageNamespaceAndBelongsToTarifa() {
    assertThat(objects)
        .extracting(o -> o.path("kind").asText())
        .containsExactlyInAnyOrder(
            "PodMonitor",
            "PrometheusRule",
            "AlertmanagerConfig",
            "ExternalSecret",
            "ConfigMap",
            "ConfigMap",
            "ConfigMap",
            "ConfigMap",
            "ConfigMap");
    assertThat(objects)
        .allSatisfy(
            o -> {
              assertThat(o.path("metadata").path("namespace").asText()).isEqualTo("tarifa-test");
              assertThat(
                      o.path("metadata").path("labels").path("app.kubernetes.io/part-of").asText())
                  .isEqualTo("tarifa");
            });
  }

  @Test
  void thePodMonitorScrapesEveryServicePodOnItsHttpPortWithTheServiceAsJob() {
    JsonNode pm = kind("PodMonitor").get(0);
    assertThat(pm.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
    JsonNode spec = pm.path("spec");
    assertThat(spec.path("jobLabel").asText()).isEqualTo("app.kubernetes.io/name");
    assertThat(spec.path("selector").path("matchLabels").path("app.kubernetes.io/part-of").asText())
        .isEqualTo("tarifa");
    assertThat(
            spec.path("selector").path("matchLabels").path("app.kubernetes.io/component").asText())
        .isEqualTo("service");
    assertThat(spec.path("podMetricsEndpoints"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.path("port").asText()).isEqualTo("http");
              assertThat(e.path("path").asText()).isEqualTo("/metrics");
            });
  }

  @Test
  void eachDashboardShipsAsASidecarConfigMapWithTheFileAsItIs() throws IOException {
    List<JsonNode> maps = kind("ConfigMap");
    List<Path> files = Dashboards.files(Tools.repoRoot().resolve("grafana/dashboards"));
    assertThat(maps)
        .hasSameSizeAs(files)
        .allSatisfy(
            cm -> {
              assertThat(cm.path("metadata").path("labels").path("grafana_dashboard").asText())
                  .isEqualTo("1");
              assertThat(cm.path("metadata").path("annotations").path("grafana_folder").asText())
                  .isEqualTo("Tarifa");
              assertThat(cm.path("data").size()).isEqualTo(1);
            });
    for (Path f : files) {
      String key = f.getFileName().toString();
      JsonNode cm =
          maps.stream()
              .filter(m -> m.path("data").has(key))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no ConfigMap holds " + key));
      assertThat(cm.path("data").path(key).asText()).as(key).isEqualTo(Files.readString(f));
      assertThat(cm.path("metadata").path("name").asText())
          .startsWith("tarifa-dashboard-" + key.replace(".json", ""));
    }
  }

  @Test
  void thePrometheusRuleAndAlertmanagerConfigAreThoseOfTheRepository() {
    assertThat(kind("PrometheusRule").get(0).path("spec").path("groups"))
        .hasSize(RuleFiles.groups(RuleFiles.dir()).size());
    JsonNode amc = kind("AlertmanagerConfig").get(0);
    assertThat(amc.path("spec").path("receivers")).isNotEmpty();
    JsonNode es = kind("ExternalSecret").get(0);
    assertThat(es.path("spec").path("target").path("name").asText())
        .isEqualTo("tarifa-alertmanager");
    List<String> keys = new ArrayList<>();
    es.path("spec").path("data").forEach(d -> keys.add(d.path("secretKey").asText()));
    assertThat(keys).containsExactlyInAnyOrder("slack-webhook-url", "smtp-password");
  }
}
