package dev.tarifa.checks.k8s;

import static dev.tarifa.checks.k8s.Manifests.id;
import static dev.tarifa.checks.k8s.Manifests.ofKind;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The backup component (k8s/components/backup) in both stages. The workload policies do not look
 * into CronJobs, so each CronJob's job template is checked as the Job it creates, with the same
 * policies as every workload (hardened security context, resources, pinned images); plus what a
 * backup job needs: no overlapping runs, a NetworkPolicy that denies ingress and allows egress to
 * the datastores, and the datastore Secrets it reads.
 */
class BackupCronJobTest {

  /** The Jobs the stage's CronJobs create. */
  static List<JsonNode> jobs(List<JsonNode> docs) {
    List<JsonNode> out = new ArrayList<>();
    ofKind(docs, "CronJob")
        .forEach(
            c -> {
              ObjectNode job = c.deepCopy();
              job.put("kind", "Job");
              job.set("spec", c.path("spec").path("jobTemplate").path("spec").deepCopy());
              out.add(job);
            });
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"test", "prod"})
  void backupJobsAreHardenedAndReachOnlyTheDatastores(String stage) {
    List<JsonNode> docs = Manifests.rendered(stage);
    List<JsonNode> cronJobs = ofKind(docs, "CronJob").toList();
    assertThat(cronJobs)
        .extracting(Manifests::name)
        .containsExactlyInAnyOrder("backup-postgres", "backup-mongo");
    List<JsonNode> jobs = jobs(docs);
    assertThat(Policies.securityContext(jobs)).isEmpty();
    assertThat(Policies.resources(jobs)).isEmpty();
    assertThat(Policies.imagesPinned(jobs)).isEmpty();
    for (JsonNode c : cronJobs) {
      assertThat(c.path("spec").path("concurrencyPolicy").asText()).as(id(c)).isEqualTo("Forbid");
    }
    // The datastore Secrets the jobs read are made by the stage's ExternalSecrets.
    List<String> made =
        ofKind(docs, "ExternalSecret")
            .map(e -> e.path("spec").path("target").path("name").asText())
            .toList();
    for (JsonNode job : jobs) {
      for (JsonNode container : Manifests.containers(Manifests.podSpec(job))) {
        for (JsonNode env : container.path("env")) {
          JsonNode ref = env.path("valueFrom").path("secretKeyRef");
          if (!ref.isMissingNode())
            assertThat(made)
                .as(id(job) + " " + env.path("name").asText())
                .contains(ref.path("name").asText());
        }
      }
    }
    // Backup pods: selected by a policy with Ingress and Egress, no ingress rule, egress to
    // PostgreSQL and MongoDB.
    JsonNode policy = Manifests.find(docs, "NetworkPolicy", "backup").orElseThrow();
    assertThat(policy.path("spec").path("policyTypes").toString()).contains("Ingress", "Egress");
    assertThat(policy.path("spec").path("ingress")).isEmpty();
    assertThat(policy.path("spec").path("egress").toString()).contains("5432", "27017");
    if (stage.equals("prod")) {
      for (String managed : List.of("egress-managed-postgres", "egress-managed-mongodb")) {
        assertThat(
                Manifests.find(docs, "NetworkPolicy", managed)
                    .orElseThrow()
                    .path("spec")
                    .path("podSelector")
                    .toString())
            .as(managed)
            .contains("\"backup\"");
      }
    }
  }

  /**
   * The same checks find a weakened copy: a writable root file system, a token, no limits, a
   * floating tag.
   */
  @Test
  void aWeakenedBackupJobIsCaught() {
    JsonNode job = jobs(Manifests.rendered("test")).get(0).deepCopy();
    ObjectNode pod = (ObjectNode) Manifests.podSpec(job);
    pod.put("automountServiceAccountToken", true);
    ObjectNode container = (ObjectNode) pod.path("containers").get(0);
    ((ObjectNode) container.path("securityContext")).put("readOnlyRootFilesystem", false);
    ((ObjectNode) container.path("resources")).remove("limits");
    container.put("image", "postgres:latest");
    List<JsonNode> broken = List.of(job);
    assertThat(Policies.securityContext(broken))
        .anyMatch(m -> m.contains("readOnlyRootFilesystem"))
        .anyMatch(m -> m.contains("automountServiceAccountToken"));
    assertThat(Policies.resources(broken)).anyMatch(m -> m.contains("limits.memory"));
    assertThat(Policies.imagesPinned(broken)).isNotEmpty();
  }
}
