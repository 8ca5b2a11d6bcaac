package dev.tarifa.checks.compose;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The compose stack's rules, each a function from a compose model to the list of its violations
 * (empty: the rule holds). {@link #config} rules read the output of {@code docker-compose config}
 * (anchors merged, variables interpolated, short forms expanded); {@link #noSecretLiterals} reads
 * the file as written, before interpolation, where a secret must be a {@code ${VARIABLE}}.
 */
final class ComposePolicy {
  /** Image repositories (last path segment) that hold data: never on the edge network. */
  static final Set<String> DATASTORE_IMAGES =
      Set.of("postgres", "mongo", "redis", "valkey", "rabbitmq", "mysql", "mariadb");

  static final String EDGE = "edge";
  private static final Pattern SECRET_KEY =
      Pattern.compile("(?i).*(PASSWORD|PASS|SECRET|TOKEN|PRIVATE_KEY|REPLICA_KEY|AUTH)$");
  private static final Pattern SECRET_FLAG =
      Pattern.compile("(?i)--?(requirepass|password|pass|secret|token)");
  private static final Pattern URL_PASSWORD = Pattern.compile("://[^/:@\\s]*:([^@\\s]+)@");
  private static final Pattern VARIABLE =
      Pattern.compile("^\\$\\{[A-Za-z_][A-Za-z0-9_]*(:?[-?][^}]*)?}$");

  private ComposePolicy() {}

  /** Parses YAML (anchors and merge keys resolved). */
  @SuppressWarnings("unchecked")
  static Map<String, Object> parse(String yaml) {
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(200);
    return (Map<String, Object>) new Yaml(options).load(yaml);
  }

  /** Every rule over a {@code docker-compose config} output. */
  static List<String> config(Map<String, Object> model) {
    List<String> v = new ArrayList<>();
    v.addAll(healthchecks(model));
    v.addAll(restartPolicies(model));
    v.addAll(limits(model));
    v.addAll(networksDeclared(model));
    v.addAll(dependsOnHealthy(model));
    v.addAll(edgeHoldsNoDatastore(model));
    v.addAll(imagesPinned(model));
    return v;
  }

  static List<String> healthchecks(Map<String, Object> model) {
    List<String> v = new ArrayList<>();
    services(model)
        .forEach(
            (name, s) -> {
              Map<String, Object> hc = map(s.get("healthcheck"));
              if (hc == null) {
                v.add(name + ": no healthcheck");
                return;
              }
              if (Boolean.TRUE.equals(hc.get("disable"))) {
                v.add(name + ": healthcheck disabled");
                return;
              }
              Object test = hc.get("test");
              List<?> words =
                  test instanceof List<?> l
                      ? l
                      : test == null ? List.of() : List.of("CMD-SHELL", test);
              if (words.isEmpty() || "NONE".equals(words.get(0)) || words.size() < 2)
                v.add(name + ": healthcheck has no test command");
            });
    return v;
  }

  static List<String> restartPolicies(Map<String, Object> model) {
    List<String> v = new ArrayList<>();
    services(model)
        .forEach(
            (name, s) -> {
              Object restart = s.get("restart");
              if (restart == null || "no".equals(String.valueOf(restart)))
                v.add(name + ": no restart policy");
            });
    return v;
  }

  static List<String> limits(Map<String, Object> model) {
    List<String> v = new ArrayList<>();
    services(model)
        .forEach(
            (name, s) -> {
              Map<String, Object> limits = map(path(s, "deploy", "resources", "limits"));
              if (limits == null || limits.get("memory") == null)
                v.add(name + ": no memory limit (deploy.resources.limits.memory)");
              if (limits == null || limits.get("cpus") == null)
                v.add(name + ": no CPU limit (deploy.resources.limits.cpus)");
            });
    return v;
  }

  static List<String> networksDeclared(Map<String, Object> model) {
    List<String> v = new ArrayList<>();
    services(model)
        .forEach(
            (name, s) -> {
              if (s.get("network_mode") != null)
                v.add(name + ": network_mode bypasses the segmented networks");
              if (networksOf(s).isEmpty())
                v.add(name + ": no networks (the default network mixes every segment)");
            });
    return v;
  }

  static List<String> dependsOnHealthy(Map<String, Object> model) {
    List<String> v = new ArrayList<>();
    services(model)
        .forEach(
            (name, s) -> {
              Object deps = s.get("depends_on");
              if (deps instanceof List<?> l) {
                for (Object d : l)
                  v.add(name + ": depends_on " + d + " without condition: service_healthy");
              } else if (deps instanceof Map<?, ?> m) {
                m.forEach(
                    (dep, spec) -> {
                      Object condition = spec instanceof Map<?, ?> sm ? sm.get("condition") : null;
                      if (!"service_healthy".equals(condition))
                        v.add(
                            name
                                + ": depends_on "
                                + dep
                                + " with condition "
                                + condition
                                + ", not service_healthy");
                    });
              }
            });
    return v;
  }

  static List<String> edgeHoldsNoDatastore(Map<String, Object> model) {
    List<String> v = new ArrayList<>();
    services(model)
        .forEach(
            (name, s) -> {
              if (isDatastore(s) && networksOf(s).contains(EDGE))
                v.add(name + ": datastore on the edge network");
            });
    return v;
  }

  static List<String> imagesPinned(Map<String, Object> model) {
    List<String> v = new ArrayList<>();
    services(model)
        .forEach(
            (name, s) -> {
              Object image = s.get("image");
              if (image == null) {
                v.add(name + ": no image (every container runs a pinned image)");
                return;
              }
              String ref = image.toString();
              if (ref.contains("@sha256:")) return;
              String last = ref.substring(ref.lastIndexOf('/') + 1);
              int colon = last.indexOf(':');
              if (colon < 0) v.add(name + ": image " + ref + " has no tag (means :latest)");
              else if (last.substring(colon + 1).equals("latest"))
                v.add(name + ": image " + ref + " is :latest");
            });
    return v;
  }

  /**
   * In the file as written: an environment value whose name says secret, the password of a URL, or
   * the argument after a password flag in a command must be a {@code ${VARIABLE}} (from the ignored
   * .env), never a literal.
   */
  static List<String> noSecretLiterals(Map<String, Object> raw) {
    List<String> v = new ArrayList<>();
    services(raw)
        .forEach(
            (name, s) -> {
              Object env = s.get("environment");
              if (env instanceof Map<?, ?> m) {
                m.forEach(
                    (k, value) ->
                        checkEnv(
                            v,
                            name,
                            String.valueOf(k),
                            value == null ? null : String.valueOf(value)));
              } else if (env instanceof List<?> l) {
                for (Object e : l) {
                  String entry = String.valueOf(e);
                  int eq = entry.indexOf('=');
                  checkEnv(
                      v,
                      name,
                      eq < 0 ? entry : entry.substring(0, eq),
                      eq < 0 ? null : entry.substring(eq + 1));
                }
              }
              for (String key : List.of("command", "entrypoint")) {
                if (s.get(key) instanceof List<?> words) checkWords(v, name + " " + key, words);
              }
              Map<String, Object> hc = map(s.get("healthcheck"));
              if (hc != null && hc.get("test") instanceof List<?> words)
                checkWords(v, name + " healthcheck", words);
            });
    return v;
  }

  private static void checkEnv(List<String> v, String service, String key, String value) {
    if (value == null) return;
    if (SECRET_KEY.matcher(key).matches() && !VARIABLE.matcher(value.trim()).matches()) {
      v.add(service + ": " + key + " is a literal, not a ${VARIABLE}");
    }
    checkUrl(v, service + " " + key, value);
  }

  private static void checkWords(List<String> v, String where, List<?> words) {
    for (int i = 0; i < words.size(); i++) {
      String w = String.valueOf(words.get(i));
      checkUrl(v, where, w);
      if (SECRET_FLAG.matcher(w).matches()
          && i + 1 < words.size()
          && !String.valueOf(words.get(i + 1)).contains("${")) {
        v.add(where + ": the argument of " + w + " is a literal, not a ${VARIABLE}");
      }
    }
  }

  private static void checkUrl(List<String> v, String where, String value) {
    Matcher m = URL_PASSWORD.matcher(value);
    while (m.find()) {
      if (!m.group(1).startsWith("${")) v.add(where + ": URL with a literal password");
    }
  }

  // ---- model access ----

  @SuppressWarnings("unchecked")
  static Map<String, Map<String, Object>> services(Map<String, Object> model) {
    Object s = model.get("services");
    if (!(s instanceof Map<?, ?>))
      throw new IllegalArgumentException("no services in the compose model");
    return (Map<String, Map<String, Object>>) s;
  }

  static Set<String> networksOf(Map<String, Object> service) {
    Object n = service.get("networks");
    Set<String> names = new LinkedHashSet<>();
    if (n instanceof Map<?, ?> m) m.keySet().forEach(k -> names.add(String.valueOf(k)));
    else if (n instanceof Collection<?> c) c.forEach(k -> names.add(String.valueOf(k)));
    return names;
  }

  static boolean isDatastore(Map<String, Object> service) {
    Object image = service.get("image");
    if (image == null) return false;
    String ref = image.toString();
    int at = ref.indexOf('@');
    if (at >= 0) ref = ref.substring(0, at);
    String last = ref.substring(ref.lastIndexOf('/') + 1);
    int colon = last.indexOf(':');
    return DATASTORE_IMAGES.contains(colon < 0 ? last : last.substring(0, colon));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
  }

  static Object path(Map<String, Object> root, String... keys) {
    Object o = root;
    for (String k : keys) {
      if (!(o instanceof Map<?, ?> m)) return null;
      o = m.get(k);
    }
    return o;
  }
}
