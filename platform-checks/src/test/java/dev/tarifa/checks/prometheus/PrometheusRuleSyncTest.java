package dev.tarifa.checks.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tarifa.checks.support.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * k8s/monitoring/prometheusrule.yaml (for the Prometheus Operator) holds exactly the groups of
 * k8s/monitoring/rules/*.yml (for compose and promtool), in file-name order. On a difference the
 * expected file is written to target/prometheus/prometheusrule.yaml: copy it over the committed
 * one.
 */
class PrometheusRuleSyncTest {
  private static final Path RULE = Tools.repoRoot().resolve("k8s/monitoring/prometheusrule.yaml");

  @Test
  void thePrometheusRuleHoldsExactlyTheRuleFilesGroups() throws IOException {
    String problem = difference(RULE, RuleFiles.dir());
    if (problem != null) {
      Path expected = Path.of("target/prometheus/prometheusrule.yaml");
      Files.createDirectories(expected.getParent());
      Files.writeString(expected, regenerate(RULE, RuleFiles.dir()));
      throw new AssertionError(problem + "; the expected file is " + expected.toAbsolutePath());
    }
    JsonNode rule = RuleFiles.read(RULE);
    assertThat(rule.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(rule.path("kind").asText()).isEqualTo("PrometheusRule");
    assertThat(rule.path("metadata").path("labels").path("app.kubernetes.io/part-of").asText())
        .isEqualTo("tarifa");
  }

  @Test
  void anOutOfSyncPrometheusRuleFailsTheCheck() {
    Path stale = Path.of("src/test/resources/prometheus/broken-prometheusrule/prometheusrule.yaml");
    assertThat(difference(stale, RuleFiles.dir())).isNotNull().contains("differs");
  }

  @Test
  void regeneratingGivesTheCommittedFile() throws IOException {
    assertThat(regenerate(RULE, RuleFiles.dir())).isEqualTo(Files.readString(RULE));
  }

  /**
   * Null when {@code prometheusRule}'s spec.groups equal the rule files' groups, else what differs.
   */
  static String difference(Path prometheusRule, Path rulesDir) {
    JsonNode actual = RuleFiles.read(prometheusRule).path("spec").path("groups");
    List<JsonNode> expected = RuleFiles.groups(rulesDir);
    if (actual.size() != expected.size())
      return prometheusRule
          + " differs: "
          + actual.size()
          + " groups, the rule files have "
          + expected.size();
    for (int i = 0; i < expected.size(); i++) {
      if (!expected.get(i).equals(actual.get(i))) {
        return prometheusRule
            + " differs in group "
            + expected.get(i).path("name").asText()
            + " (position "
            + i
            + ")";
      }
    }
    return null;
  }

  /**
   * The file as it should be: its own header up to {@code spec.groups}, then each rule file's
   * groups indented.
   */
  static String regenerate(Path prometheusRule, Path rulesDir) throws IOException {
    String text = Files.readString(prometheusRule);
    int groups = text.indexOf("\n  groups:\n");
    if (groups < 0)
      throw new AssertionError(prometheusRule + " has no '  groups:' line under spec");
    StringBuilder sb = new StringBuilder(text.substring(0, groups + "\n  groups:\n".length()));
    for (Path f : RuleFiles.files(rulesDir)) {
      List<String> lines = Files.readAllLines(f);
      int start = lines.indexOf("groups:");
      if (start < 0) throw new AssertionError(f + " has no top-level 'groups:' line");
      List<String> body = new ArrayList<>(lines.subList(start + 1, lines.size()));
      for (String line : body) sb.append(line.isEmpty() ? "" : "  " + line).append('\n');
    }
    return sb.toString();
  }
}
