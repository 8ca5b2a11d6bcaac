package dev.tarifa.checks.workflows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The workflow consistency checks that depend on the service modules, on any root
 * (tools/new-service's test).
 */
public final class RepositoryWorkflowChecks {
  private RepositoryWorkflowChecks() {}

  /** The service modules of {@code root}. */
  public static Set<String> services(Path root) {
    return Workflows.services(root);
  }

  /** Service lists that do not name the modules, and overlays whose images do not match them. */
  public static List<String> violations(Path root) {
    Set<String> services = Workflows.services(root);
    List<Workflows.Workflow> wfs = Workflows.all(root);
    List<String> out = new ArrayList<>(Workflows.serviceListProblems(wfs, services));
    out.addAll(Workflows.overlayProblems(root, wfs, services, Workflows.deployRegistry(root)));
    return out;
  }
}
