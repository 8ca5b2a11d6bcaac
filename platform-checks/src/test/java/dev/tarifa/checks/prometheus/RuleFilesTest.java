package dev.tarifa.checks.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tarifa.checks.support.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The rule files: {@code promtool check rules}, {@code promtool test rules} (every alert fires on a
 * series that should fire it and stays silent on one that should not), and what every alert must
 * carry: severity, summary, a description with its value, and a runbook_url pointing at its own
 * section of docs/RUNBOOK.md.
 */
class RuleFilesTest {
  private static final Path FIXTURES = Path.of("src/test/resources/prometheus");
  private static final Set<String> SEVERITIES = Set.of("critical", "warning");
  private static final String RUNBOOK =
      "https://github.com/tarifa-dev/tarifa/blob/main/docs/RUNBOOK.md#";

  @Test
  void promtoolAcceptsTheRuleFiles() {
    Path promtool = Tools.require("promtool");
    List<String> cmd = new ArrayList<>(List.of(promtool.toString(), "check", "rules"));
    RuleFiles.files(RuleFiles.dir()).forEach(f -> cmd.add(f.toString()));
    Tools.Result r = Tools.run(RuleFiles.dir(), 60, cmd);
    assertThat(r.ok()).as(r.output()).isTrue();
    assertThat(r.output()).contains("SUCCESS");
  }

  @Test
  void promtoolRejectsARuleThatDoesNotParse() {
    Path promtool = Tools.require("promtool");
    Tools.Result r =
        Tools.run(
            FIXTURES,
            60,
            List.of(promtool.toString(), "check", "rules", "broken-rules/broken.yml"));
    assertThat(r.ok()).isFalse();
    assertThat(r.output()).contains("FAILED").contains("parse error");
  }

  @Test
  void theRuleUnitTestsPass() {
    Path promtool = Tools.require("promtool");
    List<String> cmd = new ArrayList<>(List.of(promtool.toString(), "test", "rules"));
    List<Path> tests = RuleFiles.files(RuleFiles.dir().resolve("tests"));
    assertThat(tests).hasSizeGreaterThanOrEqualTo(2);
    tests.forEach(f -> cmd.add(f.toString()));
    Tools.Result r = Tools.run(RuleFiles.dir().resolve("tests"), 300, cmd);
    assertThat(r.ok()).as(r.output()).isTrue();
  }

  @Test
  void everyAlertIsUnitTestedFiringAndSilent() {
    List<String> problems = new ArrayList<>();
    List<JsonNode> cases = new ArrayList<>();
    for (Path f : RuleFiles.files(RuleFiles.dir().resolve("tests")))
      RuleFiles.read(f).path("tests").forEach(cases::add);
    for (RuleFiles.Rule rule : RuleFiles.rules(RuleFiles.dir())) {
      if (!rule.isAlert()) continue;
      boolean fires = false, silent = false;
      for (JsonNode c : cases) {
        for (JsonNode t : c.path("alert_rule_test")) {
          if (!rule.name().equals(t.path("alertname").asText())) continue;
          int expected = t.path("exp_alerts").size();
          if (expected == 0) silent = true;
          else {
            fires = true;
            // the same input also holds a series that should not fire (promtool compares the whole
            // list)
            if (c.path("input_series").size() > expected) silent = true;
          }
        }
      }
      if (!fires) problems.add(rule.name() + ": no promtool test where it fires");
      if (!silent) problems.add(rule.name() + ": no promtool test where it stays silent");
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void everyAlertHasSeveritySummaryDescriptionWithValueAndARunbookSection() throws IOException {
    List<String> problems =
        alertProblems(RuleFiles.dir(), Tools.repoRoot().resolve("docs/RUNBOOK.md"));
    assertThat(problems).isEmpty();
  }

  @Test
  void anAlertWithoutRunbookSectionOrValueFailsTheCheck() throws IOException {
    List<String> problems =
        alertProblems(
            FIXTURES.resolve("broken-rules"), Tools.repoRoot().resolve("docs/RUNBOOK.md"));
    assertThat(problems)
        .anySatisfy(p -> assertThat(p).contains("TarifaBrokenExpression").contains("no section"));
  }

  static List<String> alertProblems(Path rulesDir, Path runbook) throws IOException {
    Set<String> anchors = anchors(Files.readString(runbook));
    List<String> problems = new ArrayList<>();
    for (RuleFiles.Rule rule : RuleFiles.rules(rulesDir)) {
      if (!rule.isAlert()) continue;
      JsonNode n = rule.node();
      String name = rule.name();
      if (!SEVERITIES.contains(n.path("labels").path("severity").asText()))
        problems.add(name + ": severity is not one of " + SEVERITIES);
      if (n.path("annotations").path("summary").asText("").isBlank())
        problems.add(name + ": no summary");
      if (!n.path("annotations").path("description").asText("").contains("$value"))
        problems.add(name + ": the description does not show $value");
      String url = n.path("annotations").path("runbook_url").asText("");
      if (!url.startsWith(RUNBOOK))
        problems.add(name + ": runbook_url does not point into docs/RUNBOOK.md: " + url);
      else {
        String anchor = url.substring(RUNBOOK.length());
        if (!anchor.equals(name.toLowerCase(Locale.ROOT)))
          problems.add(name + ": runbook_url anchor " + anchor + " is not the alert's name");
        if (!anchors.contains(anchor))
          problems.add(name + ": docs/RUNBOOK.md has no section #" + anchor);
      }
    }
    return problems;
  }

  /** GitHub's heading anchors: lower case, punctuation but '-' and '_' dropped, spaces to '-'. */
  static Set<String> anchors(String markdown) {
    Matcher m = Pattern.compile("(?m)^#{1,6}\\s+(.+?)\\s*$").matcher(markdown);
    List<String> out = new ArrayList<>();
    while (m.find()) {
      out.add(
          m.group(1)
              .toLowerCase(Locale.ROOT)
              .replaceAll("[^\\p{L}\\p{N}\\s_-]", "")
              .trim()
              .replace(' ', '-'));
    }
    return out.stream().collect(Collectors.toSet());
  }
}
