package dev.tarifa.checks.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Grafana dashboards as the checks read them: structure rules (what Grafana and the project require
 * of every dashboard) and the panel queries with their template variables filled in as Grafana does
 * for "All".
 */
final class Dashboards {
  static final ObjectMapper JSON = new ObjectMapper();

  /** The data source every panel must name (grafana/provisioning/datasources). */
  static final String DATASOURCE_UID = "prometheus";

  static final List<String> REQUIRED_VARIABLES = List.of("job", "namespace", "instance");

  /**
   * An instance written into a query instead of {@code $instance}: {@code
   * instance="10.0.0.1:8080"}, {@code instance=~"gw.*"}.
   */
  private static final Pattern HARD_CODED_INSTANCE =
      Pattern.compile("instance\\s*(=|!=|=~|!~)\\s*\"(?!\\$instance\")[^\"]*\"");

  /** Addresses and pod names have no place in a dashboard query. */
  private static final Pattern ADDRESS =
      Pattern.compile("\\b(\\d{1,3}\\.){3}\\d{1,3}(:\\d+)?\\b|localhost");

  private Dashboards() {}

  /** One query of one panel, as written and with Grafana's variables substituted. */
  record Query(
      String dashboard,
      int panelId,
      String panel,
      String refId,
      String legend,
      String expr,
      String evaluated) {}

  static List<Path> files(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode read(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new AssertionError(file + " is not valid JSON: " + e.getMessage(), e);
    }
  }

  /** Every panel, rows' nested panels included. */
  static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode p : dashboard.path("panels")) {
      out.add(p);
      for (JsonNode nested : p.path("panels")) out.add(nested);
    }
    return out;
  }

  static boolean isRow(JsonNode panel) {
    return "row".equals(panel.path("type").asText());
  }

  /** What is wrong with one dashboard file; empty when it satisfies every rule. */
  static List<String> problems(Path file) {
    JsonNode d = read(file);
    String name = file.getFileName().toString();
    List<String> problems = new ArrayList<>();
    if (!d.path("schemaVersion").isInt() || d.path("schemaVersion").asInt() < 30)
      problems.add(name + ": schemaVersion missing or older than 30");
    if (d.path("uid").asText("").isBlank()) problems.add(name + ": no uid");
    if (d.path("title").asText("").isBlank()) problems.add(name + ": no title");
    if (!d.path("panels").isArray() || d.path("panels").isEmpty())
      problems.add(name + ": no panels");

    Set<String> variables = new HashSet<>();
    for (JsonNode v : d.path("templating").path("list")) {
      variables.add(v.path("name").asText());
      if ("query".equals(v.path("type").asText())
          && !DATASOURCE_UID.equals(v.path("datasource").path("uid").asText())) {
        problems.add(
            name
                + ": variable "
                + v.path("name").asText()
                + " does not use data source uid "
                + DATASOURCE_UID);
      }
    }
    for (String required : REQUIRED_VARIABLES) {
      if (!variables.contains(required)) problems.add(name + ": no template variable $" + required);
    }

    Set<Integer> ids = new HashSet<>();
    for (JsonNode p : panels(d)) {
      String title = "panel " + p.path("id").asText("?") + " \"" + p.path("title").asText() + "\"";
      if (!p.path("id").isInt()) problems.add(name + ": " + title + " has no numeric id");
      else if (!ids.add(p.path("id").asInt()))
        problems.add(name + ": duplicate panel id " + p.path("id").asInt() + " (" + title + ")");
      if (p.path("gridPos").isMissingNode()) problems.add(name + ": " + title + " has no gridPos");
      if (isRow(p)) continue;
      if (p.path("title").asText("").isBlank()) problems.add(name + ": " + title + " has no title");
      if (!DATASOURCE_UID.equals(p.path("datasource").path("uid").asText())) {
        problems.add(name + ": " + title + " does not use data source uid " + DATASOURCE_UID);
      }
      if (p.path("fieldConfig").path("defaults").path("unit").asText("").isBlank())
        problems.add(name + ": " + title + " has no unit");
      if (!p.path("targets").isArray() || p.path("targets").isEmpty())
        problems.add(name + ": " + title + " has no query");
      for (JsonNode t : p.path("targets")) {
        String expr = t.path("expr").asText("");
        if (expr.isBlank())
          problems.add(
              name + ": " + title + " target " + t.path("refId").asText() + " has no expr");
        JsonNode ds = t.path("datasource");
        if (!ds.isMissingNode() && !DATASOURCE_UID.equals(ds.path("uid").asText())) {
          problems.add(
              name
                  + ": "
                  + title
                  + " target "
                  + t.path("refId").asText()
                  + " does not use data source uid "
                  + DATASOURCE_UID);
        }
        Matcher m = HARD_CODED_INSTANCE.matcher(expr);
        if (m.find()) problems.add(name + ": " + title + " hard-codes an instance: " + m.group());
        Matcher a = ADDRESS.matcher(expr);
        if (a.find()) problems.add(name + ": " + title + " names an address: " + a.group());
      }
    }
    return problems;
  }

  /**
   * The queries of a dashboard, variables substituted as Grafana does when "All" is selected
   * (allValue {@code .*}).
   */
  static List<Query> queries(Path file) {
    JsonNode d = read(file);
    String name = file.getFileName().toString();
    Map<String, String> values = variableValues(d);
    List<Query> out = new ArrayList<>();
    for (JsonNode p : panels(d)) {
      if (isRow(p)) continue;
      for (JsonNode t : p.path("targets")) {
        String expr = t.path("expr").asText("");
        out.add(
            new Query(
                name,
                p.path("id").asInt(),
                p.path("title").asText(),
                t.path("refId").asText(),
                t.path("legendFormat").asText(""),
                expr,
                substitute(expr, values)));
      }
    }
    return out;
  }

  /**
   * The value Grafana gives each template variable when the dashboard opens: "All" ({@code
   * allValue}, {@code .*}) for a variable that offers it, else its current value.
   */
  static Map<String, String> variableValues(JsonNode dashboard) {
    Map<String, String> values = new HashMap<>();
    for (JsonNode v : dashboard.path("templating").path("list")) {
      String value =
          v.path("includeAll").asBoolean(false)
              ? v.path("allValue").asText(".*")
              : v.path("current").path("value").isArray()
                  ? v.path("current").path("value").get(0).asText()
                  : v.path("current").path("value").asText();
      values.put(v.path("name").asText(), value);
    }
    return values;
  }

  /**
   * Grafana's substitution for the check: the template variables as {@link #variableValues} gives
   * them; the interval variables become what Grafana computes for a short range at a 1 s scrape
   * interval, stretched to a minute so that a short load is inside the window.
   */
  static String substitute(String expr, Map<String, String> values) {
    String out =
        expr.replace("$__rate_interval", "1m")
            .replace("${__rate_interval}", "1m")
            .replace("$__interval", "15s")
            .replace("$__range", "5m");
    for (Map.Entry<String, String> v : values.entrySet()) {
      out =
          out.replaceAll(
              "\\$\\{"
                  + v.getKey()
                  + "(:regex)?}|\\$"
                  + v.getKey()
                  + "\\b|\\[\\["
                  + v.getKey()
                  + "]]",
              Matcher.quoteReplacement(v.getValue()));
    }
    return out;
  }
}
