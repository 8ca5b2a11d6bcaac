package dev.tarifa.checks.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Kubernetes checks of {@link PolicyTest}, {@link SchemaValidationTest} and {@link
 * ConfigKeysTest} on the repository (or a copy of it) at a given root, for checks outside this
 * package (the tools/new-service test runs them on a scratch copy holding the scaffolded service).
 * The service's Config class must be loadable through the thread's context class loader ({@link
 * ConfigKeys#parser}).
 */
public final class RepositoryChecks {
  private RepositoryChecks() {}

  /** The objects {@code root}'s overlay {@code stage} renders to (the project's render command). */
  public static List<JsonNode> render(Path root, String stage) {
    return Manifests.parse(Manifests.renderText(root, stage));
  }

  /** The services {@code root} deploys (k8s/base/kustomization.yaml). */
  public static List<String> services(Path root) {
    return Manifests.services(root);
  }

  /**
   * Every violation of strict schema validation, the policies and the configuration-key check in
   * {@code docs}.
   */
  public static List<String> violations(List<JsonNode> docs, String stage) {
    List<String> out = new ArrayList<>(SchemaValidator.validate(docs));
    out.addAll(Policies.probes(docs));
    out.addAll(Policies.resources(docs));
    out.addAll(Policies.securityContext(docs));
    out.addAll(Policies.serviceRollout(docs));
    out.addAll(Policies.imagesPinned(docs));
    out.addAll(Policies.disruptionBudgets(docs));
    out.addAll(Policies.defaultDeny(docs));
    out.addAll(Policies.networkPolicies(docs));
    out.addAll(Policies.autoscalers(docs));
    out.addAll(Policies.services(docs));
    out.addAll(Policies.ingresses(docs));
    out.addAll(Policies.secretsAndConfig(docs));
    out.addAll(Policies.privateKeyOnlyOnUsers(docs));
    out.addAll(Policies.externalSecrets(docs, "tarifa-" + stage));
    out.addAll(Policies.namespaces(docs, "tarifa-" + stage));
    ConfigKeys.fromManifests(docs, "k8s/overlays/" + stage)
        .forEach(s -> out.addAll(ConfigKeys.check(s)));
    return out;
  }

  /**
   * The configuration-key check of {@code root}'s compose stack ({@link
   * ConfigKeysTest#composeKeysAreReadAndParse}): compose/.env.example's keys, then every Tarifa
   * service of {@code docker-compose config}.
   */
  public static List<String> composeKeyViolations(Path root) throws java.io.IOException {
    Path compose = root.resolve("compose/compose.yaml");
    Path dotEnv = root.resolve("compose/.env.example");
    var env = ConfigKeys.parseDotEnv(java.nio.file.Files.readString(dotEnv));
    List<String> out =
        new ArrayList<>(
            ConfigKeys.checkDotEnv(
                env, java.nio.file.Files.readString(compose), "compose/.env.example"));
    List<ConfigKeys.Settings> settings =
        ConfigKeys.fromCompose(
            ConfigKeys.resolveCompose(compose, dotEnv), env, "compose/compose.yaml");
    settings.forEach(s -> out.addAll(ConfigKeys.check(s)));
    settings.stream()
        .map(ConfigKeys.Settings::service)
        .distinct()
        .forEach(s -> out.add("compose service seen: " + s));
    return out;
  }
}
