package dev.tarifa.checks.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tarifa.checks.support.Tools;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every action a workflow uses is pinned to a full commit SHA with its release in a comment (a tag
 * can be moved to other code; a SHA cannot), every local reusable workflow exists; a fixture with a
 * tag, a branch, an uncommented SHA and a missing local workflow proves the check fails.
 */
class ActionPinningTest {
  private static final Path ROOT = Tools.repoRoot();

  @Test
  void everyActionIsPinnedToACommit() {
    List<String> problems = new ArrayList<>();
    int uses = 0;
    for (Workflows.Workflow wf : Workflows.all(ROOT)) {
      problems.addAll(Workflows.pinningProblems(ROOT, wf));
      uses +=
          (int)
              wf.text()
                  .lines()
                  .filter(l -> l.trim().startsWith("uses:") || l.trim().startsWith("- uses:"))
                  .count();
    }
    assertThat(uses).as("uses: lines checked").isGreaterThan(10);
    assertThat(problems).isEmpty();
  }

  @Test
  void unpinnedActionsAreCaught() {
    Workflows.Workflow wf =
        Workflows.read(
            ROOT.resolve("platform-checks/src/test/resources/workflows/unpinned-action.yml"));
    List<String> problems = Workflows.pinningProblems(ROOT, wf);
    assertThat(problems).hasSize(4);
    assertThat(problems)
        .anyMatch(
            p ->
                p.contains("actions/checkout@v4") && p.contains("not pinned to a full commit SHA"));
    assertThat(problems)
        .anyMatch(
            p ->
                p.contains("actions/setup-java@dded0888")
                    && p.contains("without a '# vX.Y.Z' comment"));
    assertThat(problems)
        .anyMatch(p -> p.contains("actions/upload-artifact@main") && p.contains("not pinned"));
    assertThat(problems)
        .anyMatch(p -> p.contains("does-not-exist.yml") && p.contains("does not exist"));
  }
}
