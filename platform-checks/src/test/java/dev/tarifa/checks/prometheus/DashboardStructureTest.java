package dev.tarifa.checks.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tarifa.checks.support.Tools;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The dashboards are valid Grafana dashboard JSON and follow the project's rules
 * (Dashboards#problems).
 */
class DashboardStructureTest {
  private static final Path DIR = Tools.repoRoot().resolve("grafana/dashboards");
  private static final Path FIXTURES = Path.of("src/test/resources/prometheus/broken-dashboards");

  @Test
  void theFiveDashboardsPassEveryRule() {
    List<Path> files = Dashboards.files(DIR);
    assertThat(files)
        .extracting(p -> p.getFileName().toString())
        .containsExactly(
            "events.json",
            "jvm-vertx.json",
            "quote-cache.json",
            "search-overview.json",
            "upstreams.json");
    List<String> problems = new ArrayList<>();
    for (Path f : files) problems.addAll(Dashboards.problems(f));
    assertThat(problems).isEmpty();
  }

  @Test
  void dashboardUidsAndTitlesAreUnique() {
    Set<String> uids = new HashSet<>(), titles = new HashSet<>();
    for (Path f : Dashboards.files(DIR)) {
      JsonNode d = Dashboards.read(f);
      assertThat(uids.add(d.path("uid").asText())).as("uid of " + f).isTrue();
      assertThat(titles.add(d.path("title").asText())).as("title of " + f).isTrue();
    }
  }

  @Test
  void variablesBecomeWhatGrafanaSubstitutesForAllOrTheirCurrentValue() {
    JsonNode search = Dashboards.read(DIR.resolve("search-overview.json"));
    assertThat(Dashboards.variableValues(search))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("namespace", ".*", "job", "gateway", "instance", ".*"));
    assertThat(
            Dashboards.substitute(
                "rate(x{namespace=~\"$namespace\", job=~\"${job}\", instance=~\"[[instance]]\"}[$__rate_interval])",
                Dashboards.variableValues(search)))
        .isEqualTo("rate(x{namespace=~\".*\", job=~\"gateway\", instance=~\".*\"}[1m])");
  }

  @Test
  void aBrokenDashboardFailsWithEveryProblemNamed() {
    List<String> problems = Dashboards.problems(FIXTURES.resolve("structure.json"));
    assertThat(problems)
        .anySatisfy(p -> assertThat(p).contains("duplicate panel id"))
        .anySatisfy(p -> assertThat(p).contains("has no unit"))
        .anySatisfy(p -> assertThat(p).contains("hard-codes an instance").contains("10.1.2.3:8080"))
        .anySatisfy(p -> assertThat(p).contains("does not use data source uid prometheus"))
        .anySatisfy(p -> assertThat(p).contains("no template variable $instance"));
  }
}
