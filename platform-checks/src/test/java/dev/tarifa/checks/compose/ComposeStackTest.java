package dev.tarifa.checks.compose;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tarifa.checks.support.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What this stack promises beyond the generic rules: the services are wired to each other, to
 * Prometheus, Jaeger and the entry proxy the way compose/README.md says, and the memory limits stay
 * above the measured figures.
 */
class ComposeStackTest {
  private static final List<String> SERVICES =
      List.of("users", "flights", "hotels", "cars", "reviews");
  private static Map<String, Map<String, Object>> services;
  private static Map<String, Object> model;

  @BeforeAll
  static void render() throws Exception {
    ComposeCli.Result r = ComposeCli.configRepo();
    assertThat(r.ok()).as("docker-compose config:%n%s", r.both()).isTrue();
    model = ComposePolicy.parse(r.stdout());
    services = ComposePolicy.services(model);
  }

  /**
   * The Tarifa containers (image tarifa-<service>) by container name, with the service each runs.
   */
  private static Map<String, String> tarifaContainers() {
    Map<String, String> out = new LinkedHashMap<>();
    Pattern image = Pattern.compile(".*/tarifa-([a-z]+):[^:/]+$");
    services.forEach(
        (name, s) -> {
          Matcher m = image.matcher(String.valueOf(s.get("image")));
          if (m.matches()) out.put(name, m.group(1));
        });
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> env(String container) {
    Object e = services.get(container).get("environment");
    return e instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  @Test
  void everyServiceRunsFromItsImageAndTheGatewayTwice() {
    Map<String, String> containers = tarifaContainers();
    // every service module (verticles/*, but the all-in-one app), so a new service
    // (tools/new-service) counts too
    Set<String> modules = new TreeSet<>();
    try (var dirs = Files.list(Tools.repoRoot().resolve("verticles"))) {
      dirs.filter(d -> Files.exists(d.resolve("pom.xml")))
          .map(d -> d.getFileName().toString())
          .filter(n -> !n.equals("app"))
          .forEach(modules::add);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    assertThat(modules).contains("users", "flights", "hotels", "cars", "reviews", "gateway");
    assertThat(new TreeSet<>(containers.values())).isEqualTo(modules);
    assertThat(
            containers.entrySet().stream()
                .filter(e -> e.getValue().equals("gateway"))
                .map(Map.Entry::getKey))
        .containsExactlyInAnyOrder("gateway-1", "gateway-2");
  }

  @Test
  void eachHealthcheckProbesTheServicesOwnPortWithTheShellFreeProbe() {
    tarifaContainers()
        .forEach(
            (container, service) -> {
              Object port =
                  env(container).get("TARIFA_" + service.toUpperCase(Locale.ROOT) + "_PORT");
              assertThat(port).as("%s sets its port", container).isNotNull();
              List<String> test =
                  ((List<?>) ComposePolicy.path(services.get(container), "healthcheck", "test"))
                      .stream().map(String::valueOf).toList();
              assertThat(test)
                  .as(container)
                  .contains(
                      "@/app/jib-classpath-file",
                      "dev.tarifa.shared.health.HealthCheck",
                      "http://127.0.0.1:" + port + "/health/ready");
              assertThat(test.get(0)).isEqualTo("CMD");
            });
  }

  @Test
  void servicesLogJsonAndExportTracesToJaeger() {
    tarifaContainers()
        .forEach(
            (container, service) -> {
              Map<String, Object> env = env(container);
              assertThat(env)
                  .as(container)
                  .containsEntry("TARIFA_LOG_FORMAT", "json")
                  .containsEntry("OTEL_EXPORTER_OTLP_ENDPOINT", "http://jaeger:4318")
                  .containsEntry("OTEL_SERVICE_NAME", service);
              assertThat(sharedNetworks(container, "jaeger"))
                  .as("%s reaches jaeger", container)
                  .isNotEmpty();
            });
  }

  @Test
  void onlyTheEntryProxyAndTheGatewaysAreOnTheEdgeAndTheBackendHasNoWayOut() {
    Set<String> onEdge = new TreeSet<>();
    services.forEach(
        (name, s) -> {
          if (ComposePolicy.networksOf(s).contains("edge")) onEdge.add(name);
        });
    assertThat(onEdge).containsExactlyInAnyOrder("edge", "gateway-1", "gateway-2");
    assertThat(ComposePolicy.path(model, "networks", "backend", "internal")).isEqualTo(true);
    // the proxy publishes the only application port; the gateways and services publish none
    tarifaContainers()
        .keySet()
        .forEach(c -> assertThat(services.get(c).get("ports")).as(c).isNull());
  }

  @Test
  void theEntryProxySpreadsOverEveryGateway() throws Exception {
    String nginx = Files.readString(ComposeCli.repoCompose().resolve("edge/nginx.conf"));
    Set<String> upstream = new TreeSet<>();
    Matcher m = Pattern.compile("(?m)^\\s*server\\s+([a-z0-9-]+):(\\d+)").matcher(nginx);
    while (m.find()) upstream.add(m.group(1) + ":" + m.group(2));
    Set<String> gateways = new TreeSet<>();
    tarifaContainers()
        .forEach(
            (c, s) -> {
              if (s.equals("gateway")) gateways.add(c + ":" + env(c).get("TARIFA_GATEWAY_PORT"));
            });
    assertThat(upstream).isEqualTo(gateways);
  }

  @Test
  void prometheusScrapesEveryServiceReplicaAndItsConfigIsValid() throws Exception {
    Path config = ComposeCli.repoCompose().resolve("prometheus/prometheus.yml");
    Tools.Result check =
        Tools.run(
            config.getParent(),
            60,
            List.of(Tools.require("promtool").toString(), "check", "config", config.toString()));
    assertThat(check.ok()).as(check.output()).isTrue();

    Map<String, Object> prom = ComposePolicy.parse(Files.readString(config));
    Set<String> targets = new TreeSet<>();
    for (Object job : (List<?>) prom.get("scrape_configs")) {
      for (Object sc : (List<?>) ComposePolicy.map(job).getOrDefault("static_configs", List.of())) {
        for (Object t : (List<?>) ComposePolicy.map(sc).get("targets"))
          targets.add(String.valueOf(t));
      }
    }
    tarifaContainers()
        .forEach(
            (container, service) -> {
              String target =
                  container
                      + ":"
                      + env(container).get("TARIFA_" + service.toUpperCase(Locale.ROOT) + "_PORT");
              assertThat(targets).as("prometheus scrapes %s", container).contains(target);
              assertThat(sharedNetworks(container, "prometheus"))
                  .as("prometheus reaches %s", container)
                  .isNotEmpty();
            });
    assertThat(((List<?>) prom.get("rule_files")).stream().map(String::valueOf).toList())
        .containsExactly("/etc/prometheus/rules/*.yml");
  }

  @Test
  void monitoringMountsTheRulesDashboardsAndProvisioningOfTheRepository() {
    assertThat(volumeSources("prometheus"))
        .anyMatch(v -> v.endsWith("/k8s/monitoring/rules:/etc/prometheus/rules:ro"));
    assertThat(volumeSources("grafana"))
        .anyMatch(v -> v.endsWith("/grafana/provisioning:/etc/grafana/provisioning:ro"))
        .anyMatch(v -> v.endsWith("/grafana/dashboards:/var/lib/grafana/dashboards:ro"));
  }

  /**
   * compose/README.md's sizing table (service | peak RSS MiB | limit) matches compose.yaml and
   * leaves at least half again the measured peak as headroom for the heap to grow under load and
   * for the health probe's JVM.
   */
  @Test
  void memoryLimitsAreAboveTheMeasuredFigures() throws Exception {
    String readme = Files.readString(ComposeCli.repoCompose().resolve("README.md"));
    Matcher row =
        Pattern.compile("(?m)^\\| `([a-z0-9-]+)` \\| (\\d+) \\| (\\d+) \\| (\\d+)M \\|")
            .matcher(readme);
    List<String> seen = new ArrayList<>();
    while (row.find()) {
      String container = row.group(1);
      int peak = Math.max(Integer.parseInt(row.group(2)), Integer.parseInt(row.group(3)));
      int limit = Integer.parseInt(row.group(4));
      seen.add(container);
      Object composeLimit =
          ComposePolicy.path(services.get(container), "deploy", "resources", "limits", "memory");
      assertThat(String.valueOf(composeLimit))
          .as("%s limit in compose.yaml vs README", container)
          .isIn(limit + "M", limit + "m", String.valueOf(limit * 1024L * 1024L));
      assertThat(limit)
          .as("%s: limit vs 1.5 x measured peak %d MiB", container, peak)
          .isGreaterThanOrEqualTo(peak * 3 / 2);
    }
    assertThat(seen)
        .containsAll(
            tarifaContainers().keySet().stream().filter(c -> !c.equals("gateway-2")).toList());
  }

  private static Set<String> sharedNetworks(String a, String b) {
    Set<String> n = new TreeSet<>(ComposePolicy.networksOf(services.get(a)));
    n.retainAll(ComposePolicy.networksOf(services.get(b)));
    return n;
  }

  private static List<String> volumeSources(String container) {
    List<String> out = new ArrayList<>();
    Object vols = services.get(container).get("volumes");
    if (vols instanceof List<?> l) {
      for (Object v : l) {
        if (v instanceof Map<?, ?> m)
          out.add(
              m.get("source")
                  + ":"
                  + m.get("target")
                  + (Boolean.TRUE.equals(m.get("read_only")) ? ":ro" : ""));
        else out.add(String.valueOf(v));
      }
    }
    return out;
  }
}
