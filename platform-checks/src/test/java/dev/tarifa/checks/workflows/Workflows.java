package dev.tarifa.checks.workflows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tarifa.checks.support.Tools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The GitHub Actions workflows of a repository tree and the checks that keep them honest. Every
 * check returns the problems it found (empty when the workflows are fine), so a test can run it on
 * the real repository and on a broken fixture alike.
 */
final class Workflows {
  private Workflows() {}

  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final Pattern FULL_SHA = Pattern.compile("[0-9a-f]{40}");
  static final Pattern VERSION_COMMENT = Pattern.compile("#\\s*v\\d+(\\.\\d+){0,2}\\b");
  static final Pattern OVERLAY_REF = Pattern.compile("k8s/overlays/[A-Za-z0-9._-]+");

  /**
   * The reusable workflow every deployment goes through; callers name the overlay and its
   * namespace.
   */
  static final String DEPLOY_STAGE = "./.github/workflows/deploy-stage.yml";

  /**
   * Actions allowed at a major-version tag instead of a commit SHA, with the reason. Empty: every
   * action used has a commit SHA found and checked against its release (docs/OPERATIONS.md,
   * "Release and rollback").
   */
  static final Map<String, String> ALLOWED_MAJOR_TAGS = Map.of();

  /** One workflow file: its text (for comments and line checks) and its YAML tree. */
  record Workflow(Path file, String text, JsonNode tree) {
    String name() {
      return file.getFileName().toString();
    }

    JsonNode jobs() {
      return tree.path("jobs");
    }
  }

  static Workflow read(Path file) {
    try {
      String text = Files.readString(file);
      JsonNode tree = YAML.readTree(text);
      return new Workflow(file, text, tree == null ? MissingNode.getInstance() : tree);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Every workflow under {@code root/.github/workflows}, sorted by name. */
  static List<Workflow> all(Path root) {
    Path dir = root.resolve(".github/workflows");
    if (!Files.isDirectory(dir)) return List.of();
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml"))
          .sorted()
          .map(Workflows::read)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The domain services: every module under verticles/ except the all-in-one launcher. */
  static Set<String> services(Path root) {
    try (Stream<Path> dirs = Files.list(root.resolve("verticles"))) {
      Set<String> names = new TreeSet<>();
      dirs.filter(d -> Files.exists(d.resolve("pom.xml")))
          .map(d -> d.getFileName().toString())
          .filter(n -> !n.equals("app"))
          .forEach(names::add);
      return names;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The README's test command: the first line of the second fenced block under "## Quick start" (as
   * .ci/run).
   */
  static String readmeTestCommand(Path readme) {
    try {
      boolean quickStart = false;
      int fences = 0;
      for (String line : Files.readAllLines(readme)) {
        if (line.startsWith("## Quick start")) {
          quickStart = true;
          continue;
        }
        if (!quickStart) continue;
        if (line.startsWith("```")) {
          fences++;
          continue;
        }
        if (fences == 3) return line.trim();
      }
      throw new AssertionError(
          readme + " has no test command (second code block under '## Quick start')");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---------------------------------------------------------------------------------------------------- pinning

  /**
   * Every {@code uses:} of a workflow (job level: reusable workflows; step level: actions) is a
   * local file that exists, a Docker image by digest, or {@code owner/repo[/path]@<40-hex commit>}
   * with a {@code # vX.Y.Z} comment on its line, or an allowed major tag ({@link
   * #ALLOWED_MAJOR_TAGS}).
   */
  static List<String> pinningProblems(Path root, Workflow wf) {
    List<String> problems = new ArrayList<>();
    List<String[]> uses = new ArrayList<>(); // {where, ref}
    for (Iterator<Map.Entry<String, JsonNode>> jobs = wf.jobs().fields(); jobs.hasNext(); ) {
      Map.Entry<String, JsonNode> job = jobs.next();
      if (job.getValue().has("uses"))
        uses.add(new String[] {"job " + job.getKey(), job.getValue().get("uses").asText()});
      int i = 0;
      for (JsonNode step : job.getValue().path("steps")) {
        i++;
        if (step.has("uses"))
          uses.add(new String[] {"job " + job.getKey() + " step " + i, step.get("uses").asText()});
      }
    }
    for (String[] u : uses) {
      String where = wf.name() + " " + u[0] + ": " + u[1];
      String ref = u[1];
      if (ref.startsWith("./")) {
        if (!Files.exists(root.resolve(ref.substring(2))))
          problems.add(where + " names a local file that does not exist");
        continue;
      }
      if (ref.startsWith("docker://")) {
        if (!ref.matches("docker://.+@sha256:[0-9a-f]{64}"))
          problems.add(where + " is a Docker image not pinned by digest");
        continue;
      }
      int at = ref.lastIndexOf('@');
      if (at < 0) {
        problems.add(where + " has no version at all");
        continue;
      }
      String action = ref.substring(0, at);
      String version = ref.substring(at + 1);
      if (FULL_SHA.matcher(version).matches()) {
        boolean commented =
            wf.text()
                .lines()
                .filter(
                    l ->
                        l.replace("'", "")
                            .replace("\"", "")
                            .matches("\\s*(-\\s*)?uses:\\s*" + Pattern.quote(ref) + "(\\s.*)?"))
                .anyMatch(l -> VERSION_COMMENT.matcher(l).find());
        if (!commented)
          problems.add(where + " is pinned by SHA without a '# vX.Y.Z' comment naming its release");
      } else if (version.matches("v\\d+") && ALLOWED_MAJOR_TAGS.containsKey(actionRepo(action))) {
        // allowed, reason recorded in ALLOWED_MAJOR_TAGS
      } else {
        problems.add(where + " is not pinned to a full commit SHA");
      }
    }
    return problems;
  }

  private static String actionRepo(String action) {
    String[] parts = action.split("/");
    return parts.length >= 2 ? parts[0] + "/" + parts[1] : action;
  }

  /**
   * A job calling a local reusable workflow passes only inputs that workflow declares under {@code
   * on.workflow_call.inputs}, and every input it requires (required, no default). actionlint cannot
   * check this offline (it does not read the called file).
   */
  static List<String> reusableCallProblems(Path root, Workflow wf) {
    List<String> problems = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> jobs = wf.jobs().fields(); jobs.hasNext(); ) {
      Map.Entry<String, JsonNode> j = jobs.next();
      String uses = j.getValue().path("uses").asText("");
      if (!uses.startsWith("./")) continue;
      Path called = root.resolve(uses.substring(2));
      if (!Files.isRegularFile(called)) continue; // reported by pinningProblems
      JsonNode declared = read(called).tree().path("on").path("workflow_call").path("inputs");
      String where = wf.name() + " job " + j.getKey() + " calling " + uses;
      if (declared.isMissingNode()) {
        problems.add(where + ": the called file is not a reusable workflow (no on.workflow_call)");
        continue;
      }
      JsonNode with = j.getValue().path("with");
      for (Iterator<String> names = with.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!declared.has(name))
          problems.add(where + " passes input '" + name + "', which it does not declare");
      }
      for (Iterator<Map.Entry<String, JsonNode>> inputs = declared.fields(); inputs.hasNext(); ) {
        Map.Entry<String, JsonNode> in = inputs.next();
        if (in.getValue().path("required").asBoolean(false)
            && !in.getValue().has("default")
            && !with.has(in.getKey())) {
          problems.add(where + " does not pass the required input '" + in.getKey() + "'");
        }
      }
    }
    return problems;
  }

  // --------------------------------------------------------------------------------------------
  // the test command

  /**
   * The workflow runs the README's test command as one line of a step, in a job that also installs
   * the checks' tools first, runs the Gatling smoke after, has PostgreSQL, Redis and RabbitMQ as
   * service containers, runs on JDK 17 and 21, and uploads the test and Gatling reports even on
   * failure.
   */
  static List<String> testCommandProblems(Workflow wf, String command) {
    List<String> problems = new ArrayList<>();
    String jobName = null;
    JsonNode job = null;
    for (Iterator<Map.Entry<String, JsonNode>> jobs = wf.jobs().fields(); jobs.hasNext(); ) {
      Map.Entry<String, JsonNode> j = jobs.next();
      if (runLines(j.getValue()).contains(command)) {
        jobName = j.getKey();
        job = j.getValue();
        break;
      }
    }
    if (job == null) {
      return List.of(
          wf.name() + " has no step running the README's test command `" + command + "`");
    }
    List<String> lines = runLines(job);
    int install = lines.indexOf(".ci/install-tools");
    int test = lines.indexOf(command);
    int smoke = lines.indexOf(".ci/load-smoke");
    if (install < 0 || install > test)
      problems.add(
          wf.name() + " job " + jobName + " does not run .ci/install-tools before the tests");
    if (smoke < test)
      problems.add(
          wf.name()
              + " job "
              + jobName
              + " does not run the Gatling smoke (.ci/load-smoke) after the tests");
    for (String s : List.of("postgres", "redis", "rabbitmq")) {
      if (!job.path("services").has(s))
        problems.add(wf.name() + " job " + jobName + " has no " + s + " service container");
    }
    Set<String> javas = new TreeSet<>();
    job.path("strategy").path("matrix").path("java").forEach(v -> javas.add(v.asText()));
    if (!javas.containsAll(List.of("17", "21")))
      problems.add(wf.name() + " job " + jobName + " does not test on JDK 17 and 21: " + javas);
    if (!"true".equals(job.path("env").path("CI").asText()))
      problems.add(wf.name() + " job " + jobName + " does not set CI=true");
    for (String report : List.of("**/target/surefire-reports", "load-tests/target/gatling")) {
      boolean uploaded = false;
      for (JsonNode step : job.path("steps")) {
        if (step.path("uses").asText().startsWith("actions/upload-artifact@")
            && step.path("with").path("path").asText().startsWith(report)
            && step.path("if").asText().contains("always()")) uploaded = true;
      }
      if (!uploaded)
        problems.add(
            wf.name() + " job " + jobName + " does not upload " + report + " with if: always()");
    }
    return problems;
  }

  /** The trimmed lines of every {@code run:} of a job, in order. */
  static List<String> runLines(JsonNode job) {
    List<String> lines = new ArrayList<>();
    for (JsonNode step : job.path("steps")) {
      if (step.has("run"))
        step.get("run")
            .asText()
            .lines()
            .map(String::trim)
            .filter(l -> !l.isEmpty())
            .forEach(lines::add);
    }
    return lines;
  }

  // ---------------------------------------------------------------------------------------------------- overlays

  /**
   * A job that deploys through deploy-stage.yml: the overlay it applies and the namespace it waits
   * in.
   */
  record Deploy(String workflow, String job, String overlay, String namespace) {}

  static List<Deploy> deploys(List<Workflow> wfs) {
    List<Deploy> deploys = new ArrayList<>();
    for (Workflow wf : wfs) {
      for (Iterator<Map.Entry<String, JsonNode>> jobs = wf.jobs().fields(); jobs.hasNext(); ) {
        Map.Entry<String, JsonNode> j = jobs.next();
        if (DEPLOY_STAGE.equals(j.getValue().path("uses").asText())) {
          JsonNode with = j.getValue().path("with");
          deploys.add(
              new Deploy(
                  wf.name(),
                  j.getKey(),
                  with.path("overlay").asText(""),
                  with.path("namespace").asText("")));
        }
      }
    }
    return deploys;
  }

  /** The image registry deployments use: {@code env.REGISTRY} of deploy-stage.yml's job. */
  static String deployRegistry(Path root) {
    Workflow stage = read(root.resolve(DEPLOY_STAGE.substring(2)));
    for (JsonNode job : stage.jobs()) {
      String r = job.path("env").path("REGISTRY").asText("");
      if (!r.isEmpty()) return r;
    }
    throw new AssertionError("deploy-stage.yml sets no env REGISTRY");
  }

  /**
   * Every {@code k8s/overlays/<stage>} a workflow names is a kustomization in the repository; every
   * deployment through deploy-stage.yml names an overlay whose render puts all Deployments in the
   * namespace the workflow waits in, runs every service from {@code registry/tarifa-<service>} and
   * maps {@code tarifa-<service>} under {@code images:} (the line {@code kustomize edit set image}
   * rewrites).
   */
  static List<String> overlayProblems(
      Path root, List<Workflow> wfs, Set<String> services, String registry) {
    List<String> problems = new ArrayList<>();
    Set<String> missing = new LinkedHashSet<>();
    for (Workflow wf : wfs) {
      Set<String> named = new TreeSet<>();
      Matcher m = OVERLAY_REF.matcher(wf.text());
      while (m.find()) named.add(m.group());
      for (String overlay : named) {
        if (!isKustomization(root.resolve(overlay))) {
          missing.add(overlay);
          problems.add(
              wf.name() + " names " + overlay + ", which is not a kustomization in the repository");
        }
      }
    }
    for (Deploy d : deploys(wfs)) {
      String where = d.workflow() + " job " + d.job();
      if (d.overlay().isEmpty() || d.namespace().isEmpty()) {
        problems.add(where + " calls deploy-stage.yml without an overlay and a namespace");
        continue;
      }
      if (missing.contains(d.overlay()) || !isKustomization(root.resolve(d.overlay()))) continue;
      List<JsonNode> objects = render(root, d.overlay());
      Set<String> images = new TreeSet<>();
      for (JsonNode o : objects) {
        if (!"Deployment".equals(o.path("kind").asText())) continue;
        String ns = o.path("metadata").path("namespace").asText("");
        if (!ns.equals(d.namespace())) {
          problems.add(
              where
                  + ": Deployment "
                  + o.path("metadata").path("name").asText()
                  + " of "
                  + d.overlay()
                  + " is in namespace '"
                  + ns
                  + "', the workflow waits in '"
                  + d.namespace()
                  + "'");
        }
        for (JsonNode c : o.path("spec").path("template").path("spec").path("containers"))
          images.add(c.path("image").asText());
      }
      JsonNode kustomization = kustomization(root.resolve(d.overlay()));
      for (String s : services) {
        String repo = registry + "/tarifa-" + s;
        if (images.stream().noneMatch(i -> i.startsWith(repo + ":") || i.startsWith(repo + "@"))) {
          problems.add(
              where
                  + ": no Deployment of "
                  + d.overlay()
                  + " runs "
                  + repo
                  + " (images: "
                  + images
                  + ")");
        }
        boolean mapped = false;
        for (JsonNode image : kustomization.path("images")) {
          if (("tarifa-" + s).equals(image.path("name").asText())
              && repo.equals(image.path("newName").asText())) mapped = true;
        }
        if (!mapped)
          problems.add(
              where + ": " + d.overlay() + " has no images: entry tarifa-" + s + " -> " + repo);
      }
    }
    return problems;
  }

  static boolean isKustomization(Path dir) {
    return Stream.of("kustomization.yaml", "kustomization.yml", "Kustomization")
        .anyMatch(f -> Files.isRegularFile(dir.resolve(f)));
  }

  static JsonNode kustomization(Path dir) {
    for (String f : List.of("kustomization.yaml", "kustomization.yml", "Kustomization")) {
      if (Files.isRegularFile(dir.resolve(f))) return read(dir.resolve(f)).tree();
    }
    throw new AssertionError("no kustomization in " + dir);
  }

  /** The overlay rendered exactly as the workflows render it. */
  static List<JsonNode> render(Path root, String overlay) {
    Path kubectl = Tools.require("kubectl");
    Tools.Result r =
        Tools.run(
            root,
            120,
            List.of(
                kubectl.toString(),
                "kustomize",
                "--load-restrictor",
                "LoadRestrictionsNone",
                overlay));
    if (!r.ok())
      throw new AssertionError("kubectl kustomize " + overlay + " failed:\n" + r.output());
    try {
      List<JsonNode> docs = new ArrayList<>();
      YAML.readerFor(JsonNode.class)
          .readValues(r.output())
          .forEachRemaining(
              n -> {
                if (n != null && !((JsonNode) n).isNull()) docs.add((JsonNode) n);
              });
      return docs;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---------------------------------------------------------------------------------------------------- services

  /**
   * Every list of services in the workflows (an env {@code SERVICES} at any level, a matrix {@code
   * service}) names exactly the service modules: a new service cannot be built, signed or deployed
   * by one workflow and forgotten by another.
   */
  static List<String> serviceListProblems(List<Workflow> wfs, Set<String> services) {
    List<String> problems = new ArrayList<>();
    for (Workflow wf : wfs) {
      List<String[]> lists = new ArrayList<>(); // {where, value}
      collectEnv(wf.tree().path("env"), "workflow", lists);
      for (Iterator<Map.Entry<String, JsonNode>> jobs = wf.jobs().fields(); jobs.hasNext(); ) {
        Map.Entry<String, JsonNode> j = jobs.next();
        collectEnv(j.getValue().path("env"), "job " + j.getKey(), lists);
        JsonNode matrix = j.getValue().path("strategy").path("matrix").path("service");
        if (matrix.isArray()) {
          List<String> names = new ArrayList<>();
          matrix.forEach(n -> names.add(n.asText()));
          lists.add(
              new String[] {"job " + j.getKey() + " matrix.service", String.join(" ", names)});
        }
        for (JsonNode step : j.getValue().path("steps"))
          collectEnv(step.path("env"), "job " + j.getKey() + " step", lists);
      }
      for (String[] l : lists) {
        Set<String> named = new TreeSet<>(Arrays.asList(l[1].trim().split("\\s+")));
        if (!named.equals(services))
          problems.add(
              wf.name() + " " + l[0] + " lists " + named + ", the service modules are " + services);
      }
    }
    return problems;
  }

  private static void collectEnv(JsonNode env, String where, List<String[]> into) {
    if (env.has("SERVICES"))
      into.add(new String[] {where + " env SERVICES", env.get("SERVICES").asText()});
  }
}
