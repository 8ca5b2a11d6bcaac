package dev.tarifa.checks.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The prometheus-adapter rule that serves the gateway HPA's custom metric, evaluated as the adapter
 * would: its seriesQuery through the series API, its metricsQuery with {@code <<.Series>>}, {@code
 * <<.LabelMatchers>>} and {@code <<.GroupBy>>} filled in for a Pods metric of the gateway pods
 * ({@code namespace="ns",pod=~"a|b"} grouped by {@code pod}).
 */
final class PrometheusAdapterRules {
  static final String METRIC = "tarifa_searches_per_second";

  private PrometheusAdapterRules() {}

  static List<String> check(
      PrometheusServer prometheus, Path values, String namespace, List<String> pods) {
    List<String> failures = new ArrayList<>();
    JsonNode rule = null;
    for (JsonNode r : RuleFiles.read(values).path("rules").path("custom")) {
      if (METRIC.equals(r.path("name").path("as").asText())) rule = r;
    }
    if (rule == null) return List.of(values + ": no rules.custom entry names its metric " + METRIC);
    JsonNode overrides = rule.path("resources").path("overrides");
    if (!"namespace".equals(overrides.path("namespace").path("resource").asText()))
      failures.add("label namespace is not mapped to resource namespace");
    if (!"pod".equals(overrides.path("pod").path("resource").asText()))
      failures.add("label pod is not mapped to resource pod");

    // discovery: the series the seriesQuery finds, and the metric name its name rule turns them
    // into
    String seriesQuery = rule.path("seriesQuery").asText();
    Map<String, String> seriesNames = new TreeMap<>();
    for (JsonNode s : prometheus.series(seriesQuery).path("data")) {
      if (namespace.equals(s.path("namespace").asText()))
        seriesNames.put(s.path("pod").asText(), s.path("__name__").asText());
    }
    for (String pod : pods) {
      if (!seriesNames.containsKey(pod))
        failures.add("seriesQuery finds no series of pod " + pod + ": " + seriesQuery);
    }
    String matches = rule.path("name").path("matches").asText();
    for (String name : new java.util.TreeSet<>(seriesNames.values())) {
      if (!name.matches(matches.replace("^", "").replace("$", "")))
        failures.add("series " + name + " does not match name.matches " + matches);
    }

    // the value per pod
    String metricsQuery =
        rule.path("metricsQuery")
            .asText()
            .replace(
                "<<.Series>>",
                seriesNames.isEmpty()
                    ? "tarifa_http_server_requests_seconds_count"
                    : seriesNames.values().iterator().next())
            .replace(
                "<<.LabelMatchers>>",
                "namespace=\"" + namespace + "\",pod=~\"" + String.join("|", pods) + "\"")
            .replace("<<.GroupBy>>", "pod");
    JsonNode r = prometheus.query(metricsQuery);
    if (!"success".equals(r.path("status").asText())) {
      failures.add(
          "metricsQuery does not evaluate: " + r.path("error").asText() + ": " + metricsQuery);
      return failures;
    }
    Map<String, Double> perPod = new TreeMap<>();
    for (JsonNode s : r.path("data").path("result"))
      perPod.put(s.path("metric").path("pod").asText(), s.path("value").get(1).asDouble());
    for (String pod : pods) {
      Double v = perPod.get(pod);
      if (v == null)
        failures.add(
            "metricsQuery returns no value for pod " + pod + ": " + metricsQuery + " -> " + perPod);
      else if (!(v > 0))
        failures.add(
            "metricsQuery returns " + v + " for pod " + pod + " after the load: " + metricsQuery);
    }
    if (!pods.containsAll(perPod.keySet()))
      failures.add("metricsQuery returns values for other pods: " + perPod.keySet());
    return failures;
  }
}
