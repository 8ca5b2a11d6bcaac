package dev.tarifa.checks.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tarifa.checks.support.Tools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The Prometheus rule files of k8s/monitoring/rules and what the checks read from them. */
final class RuleFiles {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private RuleFiles() {}

  /**
   * One rule: the file it is in, its group, and the rule node (alert or record, expr, labels,
   * annotations).
   */
  record Rule(String file, String group, JsonNode node) {
    String name() {
      return node.has("alert") ? node.path("alert").asText() : node.path("record").asText();
    }

    boolean isAlert() {
      return node.has("alert");
    }

    String expr() {
      return node.path("expr").asText();
    }
  }

  static Path dir() {
    return Tools.repoRoot().resolve("k8s/monitoring/rules");
  }

  static List<Path> files(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode read(Path file) {
    try {
      return YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new AssertionError(file + " is not valid YAML: " + e.getMessage(), e);
    }
  }

  /** The groups of every rule file, in file-name order (what the PrometheusRule must hold). */
  static List<JsonNode> groups(Path dir) {
    List<JsonNode> out = new ArrayList<>();
    for (Path f : files(dir)) read(f).path("groups").forEach(out::add);
    return out;
  }

  static List<Rule> rules(Path dir) {
    List<Rule> out = new ArrayList<>();
    for (Path f : files(dir)) {
      for (JsonNode g : read(f).path("groups")) {
        for (JsonNode r : g.path("rules"))
          out.add(new Rule(f.getFileName().toString(), g.path("name").asText(), r));
      }
    }
    return out;
  }
}
