package dev.tarifa.checks.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tarifa.checks.support.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workflows stay honest about the repository: ci.yml runs the README's test command (with the
 * servers, JDKs, tools, smoke and reports around it), the deploy workflows apply overlays that
 * exist, in the namespaces they wait in, with the images the workflows build, and every service
 * list names exactly the service modules. Broken fixtures (another test command, a missing overlay,
 * a short service list) and a synthetic repository whose overlay disagrees prove each check can
 * fail.
 */
class WorkflowConsistencyTest {
  private static final Path ROOT = Tools.repoRoot();
  private static final Path FIXTURES = ROOT.resolve("platform-checks/src/test/resources/workflows");
  private static final String REGISTRY = "ghcr.io/tarifa-dev";

  @Test
  void ciRunsTheReadmeTestCommand() {
    String command = Workflows.readmeTestCommand(ROOT.resolve("README.md"));
    assertThat(command).startsWith("mvn ");
    Workflows.Workflow ci = Workflows.read(ROOT.resolve(".github/workflows/ci.yml"));
    assertThat(Workflows.testCommandProblems(ci, command)).isEmpty();
  }

  @Test
  void aCiRunningAnotherCommandIsCaught() {
    String command = Workflows.readmeTestCommand(ROOT.resolve("README.md"));
    Workflows.Workflow wrong = Workflows.read(FIXTURES.resolve("wrong-test-command.yml"));
    assertThat(Workflows.testCommandProblems(wrong, command))
        .singleElement()
        .asString()
        .contains("no step running the README's test command");

    // The command alone is not enough: the job around it must be the real one.
    Workflows.Workflow bare = Workflows.read(FIXTURES.resolve("wrong-test-command.yml"));
    ((ObjectNode) bare.tree().path("jobs").path("test").path("steps").get(1)).put("run", command);
    List<String> problems = Workflows.testCommandProblems(bare, command);
    assertThat(problems)
        .anyMatch(p -> p.contains("install-tools"))
        .anyMatch(p -> p.contains("load-smoke"))
        .anyMatch(p -> p.contains("no postgres service"))
        .anyMatch(p -> p.contains("JDK 17 and 21"))
        .anyMatch(p -> p.contains("surefire-reports"));
  }

  /**
   * Needs k8s/overlays/test and k8s/overlays/prod (the k8s work): until they are in the repository
   * this fails, naming them.
   */
  @Test
  void deployWorkflowsApplyOverlaysThatExist() {
    List<Workflows.Workflow> wfs = Workflows.all(ROOT);
    assertThat(Workflows.deploys(wfs))
        .extracting(Workflows.Deploy::overlay)
        .contains("k8s/overlays/test", "k8s/overlays/prod");
    assertThat(Workflows.deployRegistry(ROOT)).isEqualTo(REGISTRY);
    assertThat(Workflows.overlayProblems(ROOT, wfs, Workflows.services(ROOT), REGISTRY)).isEmpty();
  }

  @Test
  void aWorkflowNamingAMissingOverlayIsCaught() {
    List<Workflows.Workflow> wfs = List.of(Workflows.read(FIXTURES.resolve("missing-overlay.yml")));
    assertThat(Workflows.overlayProblems(ROOT, wfs, Workflows.services(ROOT), REGISTRY))
        .anyMatch(p -> p.contains("k8s/overlays/staging") && p.contains("not a kustomization"));
  }

  /**
   * The real workflows against a synthetic repository laid out by the shared conventions; then
   * broken two ways.
   */
  @Test
  void theWorkflowsFitTheConventionalLayout(@TempDir Path repo) throws IOException {
    copyTree(ROOT.resolve(".github"), repo.resolve(".github"));
    Set<String> services = Workflows.services(ROOT);
    for (String s : services) Files.createDirectories(repo.resolve("verticles/" + s));
    for (String s : services)
      Files.writeString(repo.resolve("verticles/" + s + "/pom.xml"), "<project/>");
    writeOverlay(repo, "test", "tarifa-test", services);
    writeOverlay(repo, "prod", "tarifa-prod", services);
    List<Workflows.Workflow> wfs = Workflows.all(repo);
    assertThat(Workflows.overlayProblems(repo, wfs, services, Workflows.deployRegistry(repo)))
        .isEmpty();

    writeOverlay(
        repo,
        "prod",
        "tarifa-production",
        new TreeSet<>(services.stream().filter(s -> !s.equals("cars")).toList()));
    List<String> problems =
        Workflows.overlayProblems(repo, wfs, services, Workflows.deployRegistry(repo));
    assertThat(problems)
        .anyMatch(p -> p.contains("namespace 'tarifa-production'") && p.contains("'tarifa-prod'"))
        .anyMatch(
            p ->
                p.contains(
                    "no Deployment of k8s/overlays/prod runs ghcr.io/tarifa-dev/tarifa-cars"))
        .anyMatch(p -> p.contains("no images: entry tarifa-cars"));
  }

  @Test
  void everyServiceListNamesTheServiceModules() {
    Set<String> services = Workflows.services(ROOT);
    // the six, and any service added since (tools/new-service): every module counts
    assertThat(services).contains("users", "flights", "hotels", "cars", "reviews", "gateway");
    assertThat(Workflows.serviceListProblems(Workflows.all(ROOT), services)).isEmpty();
  }

  @Test
  void aShortServiceListIsCaught() {
    List<String> problems =
        Workflows.serviceListProblems(
            List.of(Workflows.read(FIXTURES.resolve("wrong-services.yml"))),
            Workflows.services(ROOT));
    assertThat(problems)
        .hasSize(2)
        .anyMatch(p -> p.contains("job build env SERVICES"))
        .anyMatch(p -> p.contains("job sign matrix.service"));
  }

  @Test
  void imagesAreBuiltByJibAndSignedByDigest() {
    Workflows.Workflow images = Workflows.read(ROOT.resolve(".github/workflows/images.yml"));
    List<String> lines = new ArrayList<>();
    images.jobs().forEach(job -> lines.addAll(Workflows.runLines(job)));
    String run = String.join("\n", lines);
    assertThat(run)
        .contains(
            "mvn -B -Pimages -DskipTests -Dimage.registry=",
            "-Dimage.tag=",
            "-Dimage.revision=",
            "jib-image.digest",
            "cosign sign --yes \"$IMAGE@$DIGEST\"");
    assertThat(images.text())
        .contains("actions/attest-build-provenance@", "anchore/sbom-action@", "id-token: write");
    assertThat(images.tree().path("on").path("push").path("tags").toString()).contains("v*");
  }

  @Test
  void dependencyUpdatesAndTheDevContainerAreConfigured() throws IOException {
    JsonNode dependabot = Workflows.read(ROOT.resolve(".github/dependabot.yml")).tree();
    Set<String> ecosystems = new TreeSet<>();
    dependabot.path("updates").forEach(u -> ecosystems.add(u.path("package-ecosystem").asText()));
    assertThat(ecosystems).contains("maven", "github-actions", "npm");

    JsonNode devcontainer =
        new ObjectMapper().readTree(ROOT.resolve(".devcontainer/devcontainer.json").toFile());
    String compose = devcontainer.path("dockerComposeFile").asText();
    JsonNode services =
        Workflows.read(ROOT.resolve(".devcontainer").resolve(compose)).tree().path("services");
    assertThat(services.has(devcontainer.path("service").asText()))
        .as("the dev container's own service")
        .isTrue();
    for (String s : List.of("postgres", "redis", "rabbitmq"))
      assertThat(services.has(s)).as(s).isTrue();
    Path dockerCompose = Tools.require("docker-compose");
    Tools.Result config =
        Tools.run(
            ROOT,
            60,
            List.of(dockerCompose.toString(), "-f", ".devcontainer/" + compose, "config", "-q"));
    assertThat(config.ok()).as("docker-compose config:\n" + config.output()).isTrue();
  }

  private static void writeOverlay(Path repo, String stage, String namespace, Set<String> services)
      throws IOException {
    Path dir = repo.resolve("k8s/overlays/" + stage);
    Files.createDirectories(dir);
    StringBuilder k =
        new StringBuilder(
            """
      apiVersion: kustomize.config.k8s.io/v1beta1
      kind: Kustomization
      namespace: %s
      resources:
        - deployments.yaml
      images:
      """
                .formatted(namespace));
    StringBuilder d = new StringBuilder();
    for (String s : services) {
      k.append(
          "  - name: tarifa-%s\n    newName: ghcr.io/tarifa-dev/tarifa-%s\n    newTag: dev\n"
              .formatted(s, s));
      d.append(
          """
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: %s
        spec:
          selector:
            matchLabels: {app.kubernetes.io/name: %s}
          template:
            metadata:
              labels: {app.kubernetes.io/name: %s}
            spec:
              containers:
                - name: %s
                  image: tarifa-%s
        """
              .formatted(s, s, s, s, s));
    }
    Files.writeString(dir.resolve("kustomization.yaml"), k.toString());
    Files.writeString(dir.resolve("deployments.yaml"), d.toString());
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : paths.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(target);
        else Files.copy(p, target);
      }
    }
  }
}
