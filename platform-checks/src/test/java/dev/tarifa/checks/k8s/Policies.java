package dev.tarifa.checks.k8s;

import static dev.tarifa.checks.k8s.Manifests.at;
import static dev.tarifa.checks.k8s.Manifests.containers;
import static dev.tarifa.checks.k8s.Manifests.id;
import static dev.tarifa.checks.k8s.Manifests.initContainers;
import static dev.tarifa.checks.k8s.Manifests.kind;
import static dev.tarifa.checks.k8s.Manifests.name;
import static dev.tarifa.checks.k8s.Manifests.ofKind;
import static dev.tarifa.checks.k8s.Manifests.podLabels;
import static dev.tarifa.checks.k8s.Manifests.podSpec;
import static dev.tarifa.checks.k8s.Manifests.selects;
import static dev.tarifa.checks.k8s.Manifests.workloads;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tarifa.shared.launch.ServiceLauncher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Policy checks over rendered objects. Each returns its violations (empty: the objects comply), one
 * line each, naming the object; the tests assert none for both overlays and at least the expected
 * one for each broken fixture.
 */
final class Policies {
  private Policies() {}

  // ---------------------------------------------------------------- containers

  /**
   * Every container: liveness, readiness and startup probes (init containers run to completion:
   * none).
   */
  static List<String> probes(List<JsonNode> docs) {
    List<String> out = new ArrayList<>();
    workloads(docs)
        .forEach(
            w -> {
              for (JsonNode c : containers(podSpec(w))) {
                for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
                  JsonNode p = c.path(probe);
                  if (!p.isObject()
                      || !(p.has("httpGet")
                          || p.has("exec")
                          || p.has("tcpSocket")
                          || p.has("grpc"))) {
                    out.add(id(w) + " container " + c.path("name").asText() + ": no " + probe);
                  }
                }
              }
              // Tarifa's services: the health endpoints the images serve on the http port.
              if (isService(w)) {
                for (JsonNode c : containers(podSpec(w))) {
                  expectHttpProbe(out, w, c, "livenessProbe", "/health/live");
                  expectHttpProbe(out, w, c, "readinessProbe", "/health/ready");
                  expectHttpProbe(out, w, c, "startupProbe", "/health/live");
                }
              }
            });
    return out;
  }

  private static void expectHttpProbe(
      List<String> out, JsonNode w, JsonNode c, String probe, String path) {
    JsonNode get = c.path(probe).path("httpGet");
    if (get.isMissingNode()) return; // reported above when the probe is absent
    if (!path.equals(get.path("path").asText()) || !"http".equals(get.path("port").asText())) {
      out.add(
          id(w)
              + " container "
              + c.path("name").asText()
              + ": "
              + probe
              + " must GET "
              + path
              + " on port http");
    }
  }

  /** Every container, init containers included: CPU and memory requests and limits. */
  static List<String> resources(List<JsonNode> docs) {
    List<String> out = new ArrayList<>();
    workloads(docs)
        .forEach(
            w -> {
              List<JsonNode> all = new ArrayList<>(containers(podSpec(w)));
              all.addAll(initContainers(podSpec(w)));
              for (JsonNode c : all) {
                for (String f :
                    List.of("requests.cpu", "requests.memory", "limits.cpu", "limits.memory")) {
                  if (at(c.path("resources"), f).asText().isEmpty())
                    out.add(
                        id(w) + " container " + c.path("name").asText() + ": no resources." + f);
                }
              }
            });
    return out;
  }

  /**
   * Every container, init containers included: non-root, read-only root file system (with an
   * emptyDir at /tmp for the long-running ones), no privilege escalation, all capabilities dropped,
   * the runtime's default seccomp profile (on the container or the pod); no service account token
   * in the pod.
   */
  static List<String> securityContext(List<JsonNode> docs) {
    List<String> out = new ArrayList<>();
    workloads(docs)
        .forEach(
            w -> {
              JsonNode pod = podSpec(w);
              JsonNode podSc = pod.path("securityContext");
              if (pod.path("automountServiceAccountToken").asBoolean(true))
                out.add(id(w) + ": automountServiceAccountToken is not false");
              Map<String, JsonNode> volumes = new HashMap<>();
              pod.path("volumes").forEach(v -> volumes.put(v.path("name").asText(), v));
              List<JsonNode> all = new ArrayList<>(containers(pod));
              int main = all.size();
              all.addAll(initContainers(pod));
              for (int i = 0; i < all.size(); i++) {
                JsonNode c = all.get(i);
                JsonNode sc = c.path("securityContext");
                String where = id(w) + " container " + c.path("name").asText();
                if (!sc.path("runAsNonRoot").asBoolean(podSc.path("runAsNonRoot").asBoolean(false)))
                  out.add(where + ": runAsNonRoot is not true");
                if (sc.path("runAsUser").asInt(podSc.path("runAsUser").asInt(-1)) == 0)
                  out.add(where + ": runs as user 0");
                if (!sc.path("readOnlyRootFilesystem").asBoolean(false))
                  out.add(where + ": readOnlyRootFilesystem is not true");
                if (sc.path("allowPrivilegeEscalation").asBoolean(true))
                  out.add(where + ": allowPrivilegeEscalation is not false");
                if (sc.path("privileged").asBoolean(false)) out.add(where + ": privileged");
                boolean dropsAll = false;
                for (JsonNode cap : sc.path("capabilities").path("drop"))
                  dropsAll |= cap.asText().equals("ALL");
                if (!dropsAll) out.add(where + ": capabilities.drop does not contain ALL");
                if (sc.path("capabilities").path("add").size() > 0)
                  out.add(where + ": adds capabilities");
                String seccomp =
                    sc.path("seccompProfile")
                        .path("type")
                        .asText(podSc.path("seccompProfile").path("type").asText());
                if (!seccomp.equals("RuntimeDefault"))
                  out.add(where + ": seccompProfile is not RuntimeDefault");
                if (i < main) {
                  boolean tmp = false;
                  for (JsonNode m : c.path("volumeMounts")) {
                    if (m.path("mountPath").asText().equals("/tmp")
                        && volumes.getOrDefault(m.path("name").asText(), c).has("emptyDir"))
                      tmp = true;
                  }
                  if (!tmp)
                    out.add(
                        where
                            + ": no emptyDir mounted at /tmp (the root file system is read-only)");
                }
              }
            });
    return out;
  }

  /**
   * Tarifa's Deployments: surge-only rolling updates, a preStop sleep so endpoints drain before
   * SIGTERM, a grace period above that sleep plus the service's own shutdown bound, a container
   * port named http, spread over nodes and zones.
   */
  static List<String> serviceRollout(List<JsonNode> docs) {
    List<String> out = new ArrayList<>();
    workloads(docs)
        .filter(Policies::isService)
        .forEach(
            w -> {
              if (!kind(w).equals("Deployment"))
                out.add(id(w) + ": a service runs as a Deployment");
              JsonNode strategy = w.path("spec").path("strategy");
              if (!strategy.path("type").asText("RollingUpdate").equals("RollingUpdate")
                  || !strategy.path("rollingUpdate").path("maxUnavailable").asText().equals("0")) {
                out.add(
                    id(w) + ": strategy must be RollingUpdate with maxUnavailable 0 (surge only)");
              }
              JsonNode pod = podSpec(w);
              long grace = pod.path("terminationGracePeriodSeconds").asLong(30);
              Set<String> spread = new HashSet<>();
              pod.path("topologySpreadConstraints")
                  .forEach(t -> spread.add(t.path("topologyKey").asText()));
              if (!spread.containsAll(
                  Set.of("kubernetes.io/hostname", "topology.kubernetes.io/zone"))) {
                out.add(
                    id(w)
                        + ": topologySpreadConstraints must spread over kubernetes.io/hostname and topology.kubernetes.io/zone");
              }
              for (JsonNode c : containers(pod)) {
                String where = id(w) + " container " + c.path("name").asText();
                long sleep =
                    c.path("lifecycle").path("preStop").path("sleep").path("seconds").asLong(0);
                if (sleep < 1)
                  out.add(where + ": no preStop sleep (endpoints must drain before SIGTERM)");
                if (grace <= sleep + ServiceLauncher.SHUTDOWN_LIMIT_SECONDS) {
                  out.add(
                      where
                          + ": terminationGracePeriodSeconds "
                          + grace
                          + " is not above preStop "
                          + sleep
                          + " s + shutdown bound "
                          + ServiceLauncher.SHUTDOWN_LIMIT_SECONDS
                          + " s");
                }
                boolean http = false;
                for (JsonNode p : c.path("ports")) http |= p.path("name").asText().equals("http");
                if (!http) out.add(where + ": no container port named http");
              }
            });
    return out;
  }

  /** A pod of Tarifa's own (app.kubernetes.io/component=service), as opposed to a datastore. */
  static boolean isService(JsonNode workload) {
    return podLabels(workload).path("app.kubernetes.io/component").asText().equals("service");
  }

  /**
   * Every container image names a tag or digest, never latest, and Tarifa's images are mapped by
   * the overlay.
   */
  static List<String> imagesPinned(List<JsonNode> docs) {
    List<String> out = new ArrayList<>();
    workloads(docs)
        .forEach(
            w -> {
              List<JsonNode> all = new ArrayList<>(containers(podSpec(w)));
              all.addAll(initContainers(podSpec(w)));
              for (JsonNode c : all) {
                String image = c.path("image").asText();
                String last = image.substring(image.lastIndexOf('/') + 1);
                String where = id(w) + " container " + c.path("name").asText();
                if (!last.contains(":") && !image.contains("@sha256:"))
                  out.add(where + ": image " + image + " has no tag");
                else if (last.endsWith(":latest"))
                  out.add(where + ": image " + image + " uses latest");
                if (last.startsWith("tarifa-") && !image.startsWith("ghcr.io/"))
                  out.add(where + ": image " + image + " is not mapped by the overlay's images:");
              }
            });
    return out;
  }

  // ---------------------------------------------------------------- availability and scaling

  /** Every Deployment and StatefulSet has a PodDisruptionBudget selecting its pods. */
  static List<String> disruptionBudgets(List<JsonNode> docs) {
    List<String> out = new ArrayList<>();
    List<JsonNode> pdbs = ofKind(docs, "PodDisruptionBudget").toList();
    workloads(docs)
        .filter(w -> List.of("Deployment", "StatefulSet").contains(kind(w)))
        .forEach(
            w -> {
              if (pdbs.stream()
                  .noneMatch(p -> selects(p.path("spec").path("selector"), podLabels(w)))) {
                out.add(id(w) + ": no PodDisruptionBudget selects its pods");
              }
            });
    for (JsonNode p : pdbs) {
      boolean any =
          workloads(docs).anyMatch(w -> selects(p.path("spec").path("selector"), podLabels(w)));
      if (!any) out.add(id(p) + ": selects no workload's pods");
      if (p.path("spec").has("minAvailable") == p.path("spec").has("maxUnavailable")) {
        out.add(id(p) + ": needs exactly one of minAvailable and maxUnavailable");
      }
    }
    return out;
  }

  /**
   * Every HorizontalPodAutoscaler targets a rendered object of its kind and apiVersion, with sane
   * bounds.
   */
  static List<String> autoscalers(List<JsonNode> docs) {
    List<String> out = new ArrayList<>();
    ofKind(docs, "HorizontalPodAutoscaler")
        .forEach(
            h -> {
              JsonNode ref = h.path("spec").path("scaleTargetRef");
              boolean exists =
                  docs.stream()
                      .anyMatch(
                          d ->
                              kind(d).equals(ref.path("kind").asText())
                                  && name(d).equals(ref.path("name").asText())
                                  && d.path("apiVersion")
                                      .asText()
                                      .equals(ref.path("apiVersion").asText()));
              if (!exists)
                out.add(
                    id(h)
                        + ": scaleTargetRef "
                        + ref.path("apiVersion").asText()
                        + " "
                        + ref.path("kind").asText()
                        + "/"
                        + ref.path("name").asText()
                        + " does not exist");
              int min = h.path("spec").path("minReplicas").asInt(1),
                  max = h.path("spec").path("maxReplicas").asInt(0);
              if (min < 1 || max < min) out.add(id(h) + ": replicas bounds " + min + ".." + max);
              if (h.path("spec").path("metrics").isEmpty()) out.add(id(h) + ": no metrics");
            });
    return out;
  }

  // ---------------------------------------------------------------- services and networking

  /**
   * Every Service selects pods of some workload and each targetPort names (or numbers) a container
   * port of them.
   */
  static List<String> services(List<JsonNode> docs) {
    List<String> out = new ArrayList<>();
    ofKind(docs, "Service")
        .forEach(
            s -> {
              JsonNode selector = s.path("spec").path("selector");
              if (selector.isEmpty()) {
                out.add(id(s) + ": no selector");
                return;
              }
              List<JsonNode> selected =
                  workloads(docs).filter(w -> selects(selector, podLabels(w))).toList();
              if (selected.isEmpty()) {
                out.add(id(s) + ": selects no workload's pods");
                return;
              }
              for (JsonNode port : s.path("spec").path("ports")) {
                JsonNode target =
                    port.path("targetPort").isMissingNode()
                        ? port.path("port")
                        : port.path("targetPort");
                for (JsonNode w : selected) {
                  boolean found = false;
                  for (JsonNode c : containers(podSpec(w))) {
                    for (JsonNode cp : c.path("ports")) {
                      found |=
                          target.isInt()
                              ? cp.path("containerPort").asInt() == target.asInt()
                              : cp.path("name").asText().equals(target.asText());
                    }
                  }
                  if (!found)
                    out.add(
                        id(s)
                            + ": targetPort "
                            + target.asText()
                            + " is no container port of "
                            + id(w));
                }
              }
            });
    return out;
  }

  /**
   * A default-deny NetworkPolicy (all pods, Ingress and Egress, no rules) in every namespace
   * rendered.
   */
  static List<String> defaultDeny(List<JsonNode> docs) {
    List<String> out = new ArrayList<>();
    Set<String> namespaces = new HashSet<>();
    workloads(docs).forEach(w -> namespaces.add(w.path("metadata").path("namespace").asText("")));
    for (String ns : namespaces) {
      boolean found =
          ofKind(docs, "NetworkPolicy")
              .anyMatch(
                  p ->
                      p.path("metadata").path("namespace").asText("").equals(ns)
                          && p.path("spec").path("podSelector").isEmpty()
                          && !p.path("spec").path("podSelector").isMissingNode()
                          && types(p).containsAll(Set.of("Ingress", "Egress"))
                          && p.path("spec").path("ingress").isEmpty()
                          && p.path("spec").path("egress").isEmpty());
      if (!found)
        out.add(
            "namespace '"
                + ns
                + "': no default-deny NetworkPolicy (podSelector {}, policyTypes Ingress and Egress, no rules)");
    }
    return out;
  }

  /**
   * Every Deployment and StatefulSet is selected by a NetworkPolicy of its own (not only
   * namespace-wide ones) allowing some ingress; only the gateway admits the ingress controller;
   * nothing but the gateway, reviews (for subject lookups) and the monitoring namespace reach
   * another service.
   */
  static List<String> networkPolicies(List<JsonNode> docs) {
    List<String> out = new ArrayList<>();
    List<JsonNode> policies = ofKind(docs, "NetworkPolicy").toList();
    workloads(docs)
        .forEach(
            w -> {
              boolean own =
                  policies.stream()
                      .anyMatch(
                          p ->
                              !p.path("spec").path("podSelector").isEmpty()
                                  && selects(p.path("spec").path("podSelector"), podLabels(w))
                                  && types(p).contains("Ingress")
                                  && !p.path("spec").path("ingress").isEmpty());
              if (!own)
                out.add(
                    id(w)
                        + ": no NetworkPolicy of its own selects its pods and admits its clients");
            });
    for (JsonNode p : policies) {
      for (JsonNode rule : p.path("spec").path("ingress")) {
        if (rule.path("from").isEmpty())
          out.add(id(p) + ": an ingress rule without 'from' admits every source");
        for (JsonNode peer : rule.path("from")) {
          String ns =
              peer.path("namespaceSelector")
                  .path("matchLabels")
                  .path("kubernetes.io/metadata.name")
                  .asText();
          if (peer.has("ipBlock")) out.add(id(p) + ": admits an ipBlock");
          if (peer.has("namespaceSelector")
              && !Set.of("ingress-nginx", "monitoring").contains(ns)) {
            out.add(
                id(p)
                    + ": admits namespace selector "
                    + peer.path("namespaceSelector")
                    + " (only ingress-nginx and monitoring)");
          }
          if (ns.equals("ingress-nginx")) {
            workloads(docs)
                .filter(w -> selects(p.path("spec").path("podSelector"), podLabels(w)))
                .filter(w -> !podLabels(w).path(Manifests.NAME_LABEL).asText().equals("gateway"))
                .forEach(
                    w ->
                        out.add(
                            id(p)
                                + ": lets the ingress controller reach "
                                + id(w)
                                + " (only the gateway)"));
          }
          if (ns.isEmpty() && !peer.has("namespaceSelector")) {
            workloads(docs)
                .filter(Policies::isService)
                .filter(w -> selects(p.path("spec").path("podSelector"), podLabels(w)))
                .forEach(
                    w ->
                        workloads(docs)
                            .filter(src -> selects(peer.path("podSelector"), podLabels(src)))
                            .map(src -> podLabels(src).path(Manifests.NAME_LABEL).asText())
                            .filter(src -> !Set.of("gateway", "reviews").contains(src))
                            .forEach(
                                src ->
                                    out.add(
                                        id(p)
                                            + ": lets "
                                            + src
                                            + " reach "
                                            + id(w)
                                            + " (only the gateway and reviews call services)")));
          }
        }
      }
    }
    return out;
  }

  private static Set<String> types(JsonNode policy) {
    Set<String> t = new HashSet<>();
    policy.path("spec").path("policyTypes").forEach(n -> t.add(n.asText()));
    return t;
  }

  // ---------------------------------------------------------------- ingress

  /** What the web page and the API need from outside; nothing else may be routed to the gateway. */
  static final Set<String> PUBLIC_EXACT =
      Set.of("/", "/index.html", "/app.js", "/style.css", "/openapi.yaml");

  static final Set<String> PUBLIC_PREFIX = Set.of("/api/", "/admin/");

  /** Paths that must never be routable through an Ingress. */
  static final List<String> PRIVATE_PATHS =
      List.of("/metrics", "/metrics/", "/health", "/health/live", "/health/ready", "/health/x");

  /**
   * Every Ingress: TLS for every host, a cert-manager issuer and an ExternalDNS hostname
   * annotation, no default backend, only Exact or Prefix paths from the public surface, and none of
   * {@link #PRIVATE_PATHS} routable.
   */
  static List<String> ingresses(List<JsonNode> docs) {
    List<String> out = new ArrayList<>();
    ofKind(docs, "Ingress")
        .forEach(
            i -> {
              JsonNode spec = i.path("spec");
              JsonNode annotations = i.path("metadata").path("annotations");
              if (spec.has("defaultBackend"))
                out.add(id(i) + ": a defaultBackend routes every path");
              if (!annotations.has("cert-manager.io/cluster-issuer")
                  && !annotations.has("cert-manager.io/issuer")) {
                out.add(id(i) + ": no cert-manager issuer annotation");
              }
              Set<String> tlsHosts = new HashSet<>();
              spec.path("tls")
                  .forEach(
                      t -> {
                        if (t.path("secretName").asText().isEmpty())
                          out.add(id(i) + ": a tls entry without secretName");
                        t.path("hosts").forEach(h -> tlsHosts.add(h.asText()));
                      });
              Set<String> dns =
                  Set.of(
                      annotations
                          .path("external-dns.alpha.kubernetes.io/hostname")
                          .asText()
                          .split(","));
              for (JsonNode rule : spec.path("rules")) {
                String host = rule.path("host").asText();
                if (host.isEmpty()) out.add(id(i) + ": a rule without host");
                if (!tlsHosts.contains(host)) out.add(id(i) + ": host " + host + " has no TLS");
                if (!dns.contains(host))
                  out.add(
                      id(i) + ": host " + host + " is not in the external-dns hostname annotation");
                for (JsonNode p : rule.path("http").path("paths")) {
                  String path = p.path("path").asText();
                  String type = p.path("pathType").asText();
                  boolean allowed =
                      (type.equals("Exact") && PUBLIC_EXACT.contains(path))
                          || (type.equals("Prefix") && PUBLIC_PREFIX.contains(path));
                  if (!allowed)
                    out.add(
                        id(i)
                            + ": path "
                            + path
                            + " ("
                            + type
                            + ") is not part of the public surface");
                }
              }
              for (String privatePath : PRIVATE_PATHS) {
                if (routes(i, privatePath)) out.add(id(i) + ": routes " + privatePath);
              }
            });
    return out;
  }

  /**
   * Whether the Ingress routes a request for {@code requestPath} (Kubernetes path matching;
   * ImplementationSpecific as a string prefix).
   */
  static boolean routes(JsonNode ingress, String requestPath) {
    if (ingress.path("spec").has("defaultBackend")) return true;
    for (JsonNode rule : ingress.path("spec").path("rules")) {
      for (JsonNode p : rule.path("http").path("paths")) {
        String path = p.path("path").asText("/");
        switch (p.path("pathType").asText()) {
          case "Exact" -> {
            if (path.equals(requestPath)) return true;
          }
          case "Prefix" -> {
            if (prefixMatches(path, requestPath)) return true;
          }
          default -> {
            if (requestPath.startsWith(path) || path.contains("(") || path.contains("*"))
              return true;
          }
        }
      }
    }
    return false;
  }

  /**
   * Prefix matching element by element on '/'-separated path segments, ignoring a trailing slash.
   */
  static boolean prefixMatches(String prefix, String requestPath) {
    List<String> p = segments(prefix), r = segments(requestPath);
    return r.size() >= p.size() && r.subList(0, p.size()).equals(p);
  }

  private static List<String> segments(String path) {
    List<String> out = new ArrayList<>();
    for (String s : path.split("/")) if (!s.isEmpty()) out.add(s);
    return out;
  }

  // ---------------------------------------------------------------- secrets and config maps

  private static final Pattern TEMPLATE_REF = Pattern.compile("\\{\\{\\s*\\.([A-Za-z0-9_\\-]+)");
  private static final Pattern SECRET_NAME =
      Pattern.compile("(?i).*(PASSWORD|PRIVATE_KEY|SECRET|TOKEN)");
  private static final Pattern URL_WITH_PASSWORD =
      Pattern.compile("[a-z+]+://[^/@:\\s]*:[^/@\\s]+@.*");

  /**
   * No Secret is committed (rendered), every Secret a pod uses is the target of an ExternalSecret
   * and has the key asked for; every ConfigMap a pod uses is rendered; no ConfigMap holds a
   * secret-looking key or a URL with a password.
   */
  static List<String> secretsAndConfig(List<JsonNode> docs) {
    List<String> out = new ArrayList<>();
    ofKind(docs, "Secret")
        .forEach(
            s ->
                out.add(id(s) + ": a Secret in the manifests (secrets come from ExternalSecrets)"));
    Map<String, Set<String>> secretKeys = new HashMap<>();
    ofKind(docs, "ExternalSecret")
        .forEach(
            e ->
                secretKeys.put(
                    e.path("spec").path("target").path("name").asText(name(e)),
                    externalSecretKeys(e)));
    Map<String, Set<String>> configKeys = new HashMap<>();
    ofKind(docs, "ConfigMap")
        .forEach(
            c -> {
              Set<String> keys = new HashSet<>();
              c.path("data").fieldNames().forEachRemaining(keys::add);
              c.path("binaryData").fieldNames().forEachRemaining(keys::add);
              configKeys.put(name(c), keys);
              c.path("data")
                  .fields()
                  .forEachRemaining(
                      e -> {
                        if (SECRET_NAME.matcher(e.getKey()).matches())
                          out.add(id(c) + ": key " + e.getKey() + " looks secret (use a Secret)");
                        if (URL_WITH_PASSWORD.matcher(e.getValue().asText()).matches())
                          out.add(id(c) + ": key " + e.getKey() + " holds a URL with a password");
                      });
            });
    workloads(docs)
        .forEach(
            w -> {
              JsonNode pod = podSpec(w);
              List<JsonNode> all = new ArrayList<>(containers(pod));
              all.addAll(initContainers(pod));
              for (JsonNode c : all) {
                String where = id(w) + " container " + c.path("name").asText();
                for (JsonNode env : c.path("env")) {
                  JsonNode sk = env.path("valueFrom").path("secretKeyRef");
                  if (!sk.isMissingNode())
                    need(
                        out,
                        where,
                        secretKeys,
                        "Secret",
                        sk.path("name").asText(),
                        sk.path("key").asText());
                  JsonNode ck = env.path("valueFrom").path("configMapKeyRef");
                  if (!ck.isMissingNode())
                    need(
                        out,
                        where,
                        configKeys,
                        "ConfigMap",
                        ck.path("name").asText(),
                        ck.path("key").asText());
                  if (SECRET_NAME.matcher(env.path("name").asText()).matches()
                      && env.has("value")) {
                    out.add(
                        where
                            + ": env "
                            + env.path("name").asText()
                            + " has a literal value (use a Secret)");
                  }
                }
                for (JsonNode from : c.path("envFrom")) {
                  if (from.has("secretRef"))
                    need(
                        out,
                        where,
                        secretKeys,
                        "Secret",
                        from.path("secretRef").path("name").asText(),
                        null);
                  if (from.has("configMapRef"))
                    need(
                        out,
                        where,
                        configKeys,
                        "ConfigMap",
                        from.path("configMapRef").path("name").asText(),
                        null);
                }
              }
              for (JsonNode v : pod.path("volumes")) {
                String where = id(w) + " volume " + v.path("name").asText();
                if (v.has("secret")) {
                  String n = v.path("secret").path("secretName").asText();
                  if (v.path("secret").path("items").isEmpty())
                    need(out, where, secretKeys, "Secret", n, null);
                  for (JsonNode item : v.path("secret").path("items"))
                    need(out, where, secretKeys, "Secret", n, item.path("key").asText());
                }
                if (v.has("configMap"))
                  need(
                      out,
                      where,
                      configKeys,
                      "ConfigMap",
                      v.path("configMap").path("name").asText(),
                      null);
              }
            });
    return out;
  }

  private static void need(
      List<String> out,
      String where,
      Map<String, Set<String>> known,
      String kind,
      String name,
      String key) {
    Set<String> keys = known.get(name);
    if (keys == null)
      out.add(
          where
              + ": "
              + kind
              + " "
              + name
              + " is not in the manifests"
              + (kind.equals("Secret") ? " (no ExternalSecret makes it)" : ""));
    else if (key != null && !keys.contains(key))
      out.add(where + ": " + kind + " " + name + " has no key " + key);
  }

  /**
   * The keys of the Secret an ExternalSecret makes: its template's data keys when templated, else
   * its data keys.
   */
  static Set<String> externalSecretKeys(JsonNode es) {
    Set<String> keys = new HashSet<>();
    JsonNode templateData = es.path("spec").path("target").path("template").path("data");
    if (templateData.isObject() && !templateData.isEmpty())
      templateData.fieldNames().forEachRemaining(keys::add);
    else es.path("spec").path("data").forEach(d -> keys.add(d.path("secretKey").asText()));
    return keys;
  }

  /**
   * The ExternalSecret fields Tarifa relies on (no schema ships for them): a supported apiVersion,
   * the stage's ClusterSecretStore, a target name, data entries with a secretKey and a remote key,
   * and templates that use only the secretKeys fetched.
   */
  static List<String> externalSecrets(List<JsonNode> docs, String storeName) {
    List<String> out = new ArrayList<>();
    ofKind(docs, "ExternalSecret")
        .forEach(
            e -> {
              JsonNode spec = e.path("spec");
              if (!Set.of("external-secrets.io/v1", "external-secrets.io/v1beta1")
                  .contains(e.path("apiVersion").asText())) {
                out.add(id(e) + ": apiVersion " + e.path("apiVersion").asText());
              }
              if (!spec.path("secretStoreRef").path("kind").asText().equals("ClusterSecretStore"))
                out.add(id(e) + ": secretStoreRef.kind is not ClusterSecretStore");
              if (!spec.path("secretStoreRef").path("name").asText().equals(storeName)) {
                out.add(
                    id(e)
                        + ": secretStoreRef.name is '"
                        + spec.path("secretStoreRef").path("name").asText()
                        + "', not the stage's store "
                        + storeName);
              }
              if (spec.path("target").path("name").asText().isEmpty())
                out.add(id(e) + ": no target.name");
              if (spec.path("data").isEmpty()) out.add(id(e) + ": no data");
              Set<String> fetched = new HashSet<>();
              for (JsonNode d : spec.path("data")) {
                if (d.path("secretKey").asText().isEmpty()
                    || d.path("remoteRef").path("key").asText().isEmpty()) {
                  out.add(id(e) + ": a data entry without secretKey or remoteRef.key");
                }
                fetched.add(d.path("secretKey").asText());
              }
              spec.path("target")
                  .path("template")
                  .path("data")
                  .fields()
                  .forEachRemaining(
                      t -> {
                        Matcher m = TEMPLATE_REF.matcher(t.getValue().asText());
                        while (m.find())
                          if (!fetched.contains(m.group(1)))
                            out.add(
                                id(e)
                                    + ": template "
                                    + t.getKey()
                                    + " uses ."
                                    + m.group(1)
                                    + ", which is not fetched");
                      });
            });
    return out;
  }

  /** Every namespaced object of a stage lives in the stage's namespace. */
  static List<String> namespaces(List<JsonNode> docs, String namespace) {
    List<String> out = new ArrayList<>();
    for (JsonNode d : docs) {
      if (Set.of(
              "Namespace",
              "ClusterRole",
              "ClusterRoleBinding",
              "ClusterSecretStore",
              "ClusterIssuer")
          .contains(kind(d))) continue;
      String ns = d.path("metadata").path("namespace").asText();
      if (!ns.equals(namespace)) out.add(id(d) + ": namespace '" + ns + "', not " + namespace);
    }
    return out;
  }

  /**
   * Every custom metric an HPA scales on (type Pods or Object) is served by a prometheus-adapter
   * rule of {@code adapterValues} (the chart values: {@code rules.custom[].name.as}); otherwise the
   * HPA would report the metric unknown and silently scale on CPU alone.
   */
  static List<String> customMetricsServed(List<JsonNode> docs, JsonNode adapterValues) {
    Set<String> served = new HashSet<>();
    adapterValues
        .path("rules")
        .path("custom")
        .forEach(r -> served.add(r.path("name").path("as").asText()));
    List<String> out = new ArrayList<>();
    ofKind(docs, "HorizontalPodAutoscaler")
        .forEach(
            h -> {
              for (JsonNode m : h.path("spec").path("metrics")) {
                String type = m.path("type").asText();
                if (!type.equals("Pods") && !type.equals("Object")) continue;
                String metric =
                    m.path(type.equals("Pods") ? "pods" : "object")
                        .path("metric")
                        .path("name")
                        .asText();
                if (!served.contains(metric))
                  out.add(
                      id(h)
                          + ": custom metric "
                          + metric
                          + " is served by no prometheus-adapter rule "
                          + served);
              }
            });
    return out;
  }

  /**
   * Only the users service (the token issuer) gets the JWT private key: every service's AuthConfig
   * would accept it, so the configuration-key check cannot tell, but a verifier holding it could
   * mint tokens.
   */
  static List<String> privateKeyOnlyOnUsers(List<JsonNode> docs) {
    List<String> out = new ArrayList<>();
    workloads(docs)
        .forEach(
            w -> {
              if (podLabels(w).path(Manifests.NAME_LABEL).asText().equals("users")) return;
              for (JsonNode c : containers(podSpec(w))) {
                for (JsonNode env : c.path("env")) {
                  boolean key =
                      env.path("name").asText().equals("TARIFA_JWT_PRIVATE_KEY")
                          || env.path("valueFrom")
                              .path("secretKeyRef")
                              .path("key")
                              .asText()
                              .equals("private.pem");
                  if (key)
                    out.add(
                        id(w)
                            + " container "
                            + c.path("name").asText()
                            + ": gets the JWT private key (only users signs tokens)");
                }
              }
            });
    return out;
  }
}
