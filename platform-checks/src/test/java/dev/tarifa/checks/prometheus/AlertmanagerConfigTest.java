package dev.tarifa.checks.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tarifa.checks.support.Tools;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The Alertmanager configuration: the plain file passes {@code amtool check-config} and routes by
 * severity; the AlertmanagerConfig object for the operator has the same receivers, routes and
 * inhibition; every alert the rules define is routed and every cause alert inhibited by
 * TarifaTargetDown carries the labels the inhibition compares.
 */
class AlertmanagerConfigTest {
  private static final Path PLAIN =
      Tools.repoRoot().resolve("k8s/monitoring/alertmanager/alertmanager.yml");
  private static final Path CR = Tools.repoRoot().resolve("k8s/monitoring/alertmanagerconfig.yaml");
  private static final Path BROKEN =
      Path.of("src/test/resources/prometheus/broken-alertmanager/alertmanager.yml");

  @Test
  void amtoolAcceptsThePlainConfiguration() {
    Path amtool = Tools.require("amtool");
    Tools.Result r =
        Tools.run(
            PLAIN.getParent(), 60, List.of(amtool.toString(), "check-config", PLAIN.toString()));
    assertThat(r.ok()).as(r.output()).isTrue();
    assertThat(r.output()).contains("SUCCESS");
  }

  @Test
  void amtoolRejectsARouteToAnUndefinedReceiver() {
    Path amtool = Tools.require("amtool");
    Tools.Result r =
        Tools.run(
            BROKEN.getParent(),
            60,
            List.of(amtool.toString(), "check-config", BROKEN.toAbsolutePath().toString()));
    assertThat(r.ok()).isFalse();
    assertThat(r.output()).contains("tarifa-pager");
  }

  @Test
  void criticalAlertsPageTheOnCallAndWarningsGoToSlack() {
    Path amtool = Tools.require("amtool");
    assertThat(
            route(
                amtool,
                "alertname=TarifaSearchAvailabilityFastBurn",
                "severity=critical",
                "namespace=tarifa-prod"))
        .isEqualTo("tarifa-oncall");
    assertThat(
            route(
                amtool, "alertname=TarifaOutboxStale", "severity=warning", "namespace=tarifa-prod"))
        .isEqualTo("tarifa-slack");
    assertThat(route(amtool, "alertname=Unknown")).isEqualTo("tarifa-slack");
  }

  private static String route(Path amtool, String... labels) {
    List<String> cmd =
        new ArrayList<>(
            List.of(amtool.toString(), "config", "routes", "test", "--config.file=" + PLAIN));
    cmd.addAll(List.of(labels));
    Tools.Result r = Tools.run(PLAIN.getParent(), 60, cmd);
    assertThat(r.ok()).as(r.output()).isTrue();
    return r.output()
        .lines()
        .filter(l -> !l.startsWith("Warning"))
        .reduce((a, b) -> b)
        .orElse("")
        .trim();
  }

  @Test
  void theOperatorObjectMatchesThePlainFile() {
    JsonNode plain = RuleFiles.read(PLAIN);
    JsonNode cr = RuleFiles.read(CR);
    assertThat(cr.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1alpha1");
    assertThat(cr.path("kind").asText()).isEqualTo("AlertmanagerConfig");
    JsonNode spec = cr.path("spec");

    assertThat(spec.path("route").path("receiver").asText())
        .isEqualTo(plain.path("route").path("receiver").asText());
    assertThat(strings(spec.path("route").path("groupBy")))
        .isEqualTo(strings(plain.path("route").path("group_by")));
    assertThat(routes(spec.path("route").path("routes"), true))
        .isEqualTo(routes(plain.path("route").path("routes"), false));

    Set<String> plainReceivers = new TreeSet<>(), crReceivers = new TreeSet<>();
    for (JsonNode r : plain.path("receivers"))
      plainReceivers.add(r.path("name").asText() + kinds(r, "email_configs", "slack_configs"));
    for (JsonNode r : spec.path("receivers"))
      crReceivers.add(r.path("name").asText() + kinds(r, "emailConfigs", "slackConfigs"));
    assertThat(crReceivers).isEqualTo(plainReceivers);
    // secrets by reference only
    for (JsonNode r : spec.path("receivers")) {
      for (JsonNode s : r.path("slackConfigs"))
        assertThat(s.path("apiURL").path("name").asText()).isEqualTo("tarifa-alertmanager");
      for (JsonNode e : r.path("emailConfigs"))
        assertThat(e.path("authPassword").path("name").asText()).isEqualTo("tarifa-alertmanager");
    }
    assertThat(plain.path("global").path("slack_api_url_file").asText()).isNotBlank();
    assertThat(plain.path("global").has("slack_api_url")).isFalse();

    JsonNode pi = plain.path("inhibit_rules").get(0), ci = spec.path("inhibitRules").get(0);
    assertThat(plain.path("inhibit_rules").size())
        .isEqualTo(spec.path("inhibitRules").size())
        .isEqualTo(1);
    assertThat(strings(ci.path("equal"))).isEqualTo(strings(pi.path("equal")));
    assertThat(matcher(ci.path("sourceMatch").get(0)))
        .isEqualTo(pi.path("source_matchers").get(0).asText());
    assertThat(matcher(ci.path("targetMatch").get(0)))
        .isEqualTo(pi.path("target_matchers").get(0).asText());
  }

  @Test
  void everyInhibitedCauseAlertExistsAndCarriesTheComparedLabels() {
    JsonNode inhibit = RuleFiles.read(PLAIN).path("inhibit_rules").get(0);
    String target = inhibit.path("target_matchers").get(0).asText();
    String regex = target.substring(target.indexOf('"') + 1, target.lastIndexOf('"'));
    List<RuleFiles.Rule> alerts =
        RuleFiles.rules(RuleFiles.dir()).stream().filter(RuleFiles.Rule::isAlert).toList();
    Set<String> names = new TreeSet<>();
    alerts.forEach(a -> names.add(a.name()));
    for (String inhibited : regex.split("\\|")) {
      assertThat(names).as("inhibited alert " + inhibited + " is defined").contains(inhibited);
      RuleFiles.Rule rule =
          alerts.stream().filter(a -> a.name().equals(inhibited)).findFirst().orElseThrow();
      // label_replace(..., "service", ...) and an aggregation keeping namespace
      assertThat(rule.expr()).as(inhibited + " sets the service label").contains("\"service\"");
      assertThat(rule.expr()).as(inhibited + " keeps namespace").contains("namespace");
    }
    RuleFiles.Rule targetDown =
        alerts.stream().filter(a -> a.name().equals("TarifaTargetDown")).findFirst().orElseThrow();
    assertThat(targetDown.expr()).contains("\"service\", \"$1\", \"job\"");
    assertThat(regex).doesNotContain("TarifaTargetDown");
  }

  private static List<String> routes(JsonNode routes, boolean operator) {
    List<String> out = new ArrayList<>();
    for (JsonNode r : routes) {
      StringBuilder sb = new StringBuilder(r.path("receiver").asText());
      for (JsonNode m : r.path("matchers"))
        sb.append(' ').append(operator ? matcher(m) : m.asText());
      sb.append(" repeat=")
          .append(r.path(operator ? "repeatInterval" : "repeat_interval").asText(""));
      out.add(sb.toString());
    }
    return out;
  }

  private static String matcher(JsonNode m) {
    return m.path("name").asText()
        + m.path("matchType").asText("=")
        + "\""
        + m.path("value").asText()
        + "\"";
  }

  private static String kinds(JsonNode receiver, String email, String slack) {
    return (receiver.has(email) ? " email" : "") + (receiver.has(slack) ? " slack" : "");
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
