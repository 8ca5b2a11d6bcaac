package dev.tarifa.checks.k8s;

import static dev.tarifa.checks.k8s.Manifests.containers;
import static dev.tarifa.checks.k8s.Manifests.id;
import static dev.tarifa.checks.k8s.Manifests.name;
import static dev.tarifa.checks.k8s.Manifests.ofKind;
import static dev.tarifa.checks.k8s.Manifests.podLabels;
import static dev.tarifa.checks.k8s.Manifests.podSpec;
import static dev.tarifa.checks.k8s.Manifests.workloads;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tarifa.shared.config.ConfigException;
import dev.tarifa.shared.config.Env;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The configuration-key check: every {@code TARIFA_*} key a deployment sets for a service is one
 * that service reads, and its value parses with the service's own parser. (Compose may set one
 * shared block of keys on every service: there a key must be read by some service, and each service
 * parses the values it reads.)
 *
 * <p>The known keys are not a hand-kept list: each service's {@code <Service>Config.fromEnv} runs
 * on an {@link Env#recording recording} environment holding the deployment's values, which records
 * every key the parser asks for and throws the service's own {@link ConfigException} for a bad
 * value (a duration such as {@code 5 secs}, an out-of-range pool size). The only keys read
 * elsewhere are the process-wide ones in {@link #PROCESS_KEYS}. Values taken from Secrets (or not
 * resolvable in compose) are unknown here: their keys are checked, their values not.
 */
final class ConfigKeys {
  /**
   * Each service's configuration parser, by its app.kubernetes.io/name: {@code
   * dev.tarifa.<s>.<S>Config.fromEnv(Env)} of every service of {@link Manifests#SERVICES} (found by
   * that convention, which tools/new-service follows, so a new service needs no entry here; its
   * module must be a test dependency of platform-checks).
   */
  static final Map<String, Function<Env, ?>> PARSERS = discoverParsers();

  private static Map<String, Function<Env, ?>> discoverParsers() {
    Map<String, Function<Env, ?>> out = new LinkedHashMap<>();
    for (String s : Manifests.SERVICES) {
      Function<Env, ?> p = parser(s);
      if (p == null)
        throw new IllegalStateException(
            "service "
                + s
                + " has no "
                + configClass(s)
                + ".fromEnv(Env) on the test class path"
                + " (is tarifa-"
                + s
                + " a test dependency of platform-checks/pom.xml?)");
      out.put(s, p);
    }
    return Map.copyOf(out);
  }

  private static String configClass(String service) {
    return "dev.tarifa."
        + service
        + "."
        + Character.toUpperCase(service.charAt(0))
        + service.substring(1)
        + "Config";
  }

  /**
   * The parser of {@code service}, looked up through the thread's context class loader (so a check
   * can run on a copy of the repository whose extra module is loaded from its target/classes), or
   * null when there is none.
   */
  static Function<Env, ?> parser(String service) {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) loader = ConfigKeys.class.getClassLoader();
    try {
      java.lang.reflect.Method fromEnv =
          Class.forName(configClass(service), true, loader).getMethod("fromEnv", Env.class);
      return env -> {
        try {
          return fromEnv.invoke(null, env);
        } catch (java.lang.reflect.InvocationTargetException e) {
          if (e.getCause() instanceof RuntimeException r) throw r;
          throw new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      };
    } catch (ClassNotFoundException | NoSuchMethodException e) {
      return null;
    }
  }

  /**
   * Keys every service process reads outside its Config class: logback.xml ({@code
   * TARIFA_LOG_FORMAT}: text or json, the appender names; {@code TARIFA_LOG_LEVEL}: a logback
   * level) and shared's Routers ({@code TARIFA_ACCESS_LOG}, a boolean read with {@link Env#bool}).
   */
  static final Map<String, Function<String, String>> PROCESS_KEYS =
      Map.of(
          "TARIFA_LOG_FORMAT",
              v ->
                  Set.of("text", "json").contains(v)
                      ? null
                      : "expected text or json, got '" + v + "'",
          "TARIFA_LOG_LEVEL",
              v ->
                  Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF", "ALL")
                          .contains(v.toUpperCase())
                      ? null
                      : "expected a log level such as INFO, got '" + v + "'",
          "TARIFA_ACCESS_LOG",
              v -> {
                try {
                  Env.of(Map.of("TARIFA_ACCESS_LOG", v)).bool("TARIFA_ACCESS_LOG", false);
                  return null;
                } catch (ConfigException e) {
                  return e.getMessage();
                }
              });

  private ConfigKeys() {}

  /**
   * The settings of one service in one place: known values, and keys whose value is not known here
   * (secrets). {@code shared}: the place may set one block of keys on several services (a compose
   * extension field), so a key only needs to be read by some service; otherwise (the manifests,
   * written per service) by this one.
   */
  record Settings(
      String service,
      String where,
      Map<String, String> values,
      Set<String> opaque,
      boolean shared) {}

  /**
   * Every key some service's parser reads (with an empty environment: parsers read each key whether
   * set or not).
   */
  static Set<String> allServiceKeys() {
    Set<String> all = new TreeSet<>();
    PARSERS.values().forEach(p -> p.apply(Env.recording(Map.of(), all)));
    return all;
  }

  /** Checks one service's settings; returns the violations. */
  static List<String> check(Settings s) {
    List<String> out = new ArrayList<>();
    Function<Env, ?> parser =
        PARSERS.containsKey(s.service()) ? PARSERS.get(s.service()) : parser(s.service());
    if (parser == null) {
      out.add(s.where() + ": unknown service '" + s.service() + "'");
      return out;
    }
    Map<String, String> serviceValues = new HashMap<>();
    s.values()
        .forEach(
            (k, v) -> {
              if (!k.startsWith("TARIFA_")) return;
              Function<String, String> process = PROCESS_KEYS.get(k);
              if (process != null) {
                String problem = process.apply(v.trim());
                if (problem != null) out.add(s.where() + ": " + k + ": " + problem);
              } else {
                serviceValues.put(k, v);
              }
            });
    Set<String> read = new HashSet<>();
    try {
      parser.apply(Env.recording(serviceValues, read));
    } catch (ConfigException e) {
      out.add(s.where() + ": " + e.getMessage());
    } catch (RuntimeException e) {
      out.add(s.where() + ": the " + s.service() + " configuration does not parse: " + e);
    }
    Set<String> set = new TreeSet<>(serviceValues.keySet());
    s.opaque().stream()
        .filter(k -> k.startsWith("TARIFA_") && !PROCESS_KEYS.containsKey(k))
        .forEach(set::add);
    // A parser records every key it asks for, set or not (so Secret-provided keys too); after a
    // failure it did not
    // get to the rest, which is then not reported as unread.
    if (!out.isEmpty()) return out;
    Set<String> anyService = s.shared() ? allServiceKeys() : Set.of();
    for (String k : set) {
      if (read.contains(k)) continue;
      if (!s.shared())
        out.add(
            s.where() + ": " + k + " is set but the " + s.service() + " service never reads it");
      else if (!anyService.contains(k))
        out.add(s.where() + ": " + k + " is set but no service reads it");
    }
    return out;
  }

  /**
   * The settings of every Tarifa container in rendered objects: ConfigMaps through envFrom, env
   * values, Secret refs.
   */
  static List<Settings> fromManifests(List<JsonNode> docs, String source) {
    Map<String, JsonNode> configMaps = new HashMap<>();
    ofKind(docs, "ConfigMap").forEach(c -> configMaps.put(name(c), c.path("data")));
    List<Settings> out = new ArrayList<>();
    workloads(docs)
        .filter(Policies::isService)
        .forEach(
            w -> {
              String service = podLabels(w).path(Manifests.NAME_LABEL).asText();
              for (JsonNode c : containers(podSpec(w))) {
                Map<String, String> values = new LinkedHashMap<>();
                Set<String> opaque = new HashSet<>();
                for (JsonNode from : c.path("envFrom")) {
                  String prefix = from.path("prefix").asText("");
                  JsonNode data = configMaps.get(from.path("configMapRef").path("name").asText());
                  if (data != null)
                    data.fields()
                        .forEachRemaining(
                            e -> values.put(prefix + e.getKey(), e.getValue().asText()));
                }
                for (JsonNode env : c.path("env")) {
                  String key = env.path("name").asText();
                  if (env.has("value")) values.put(key, env.path("value").asText());
                  else {
                    values.remove(key);
                    opaque.add(key);
                  }
                }
                out.add(
                    new Settings(
                        service,
                        source + " " + id(w) + " container " + c.path("name").asText(),
                        values,
                        opaque,
                        false));
              }
            });
    return out;
  }

  /**
   * A template's stand-in for a generated secret (compose/.env.example: "change-me", replaced by
   * compose/generate-env.sh): the key is checked, the value is not.
   */
  static final Pattern PLACEHOLDER = Pattern.compile("(?i)change[-_]?me");

  private static final Pattern INTERPOLATION =
      Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?}");
  private static final Pattern COMPOSE_SERVICE = Pattern.compile("([a-z][a-z0-9]*)(?:[-_]\\d+)?");

  /**
   * The settings of every Tarifa service of a compose file: its {@code environment} (map or list
   * form), with {@code ${VAR}}, {@code ${VAR:-default}} interpolated from {@code dotEnv} (the
   * .env.example) when possible and left opaque otherwise. A service is Tarifa's when its image or
   * its name says which one.
   */
  static List<Settings> fromCompose(JsonNode compose, Map<String, String> dotEnv, String source) {
    List<Settings> out = new ArrayList<>();
    compose
        .path("services")
        .fields()
        .forEachRemaining(
            e -> {
              String service = null;
              Matcher image =
                  Pattern.compile("tarifa-([a-z][a-z0-9]*)(?::|$)")
                      .matcher(e.getValue().path("image").asText());
              if (image.find()) service = image.group(1);
              else {
                // by name only for a known service (a datastore's name says nothing)
                Matcher byName = COMPOSE_SERVICE.matcher(e.getKey());
                if (byName.matches() && Manifests.SERVICES.contains(byName.group(1)))
                  service = byName.group(1);
              }
              if (service == null) return;
              Map<String, String> values = new LinkedHashMap<>();
              Set<String> opaque = new HashSet<>();
              JsonNode env = e.getValue().path("environment");
              Map<String, String> raw = new LinkedHashMap<>();
              if (env.isObject())
                env.fields()
                    .forEachRemaining(
                        v ->
                            raw.put(
                                v.getKey(), v.getValue().isNull() ? null : v.getValue().asText()));
              else
                env.forEach(
                    item -> {
                      String text = item.asText();
                      int eq = text.indexOf('=');
                      raw.put(
                          eq < 0 ? text : text.substring(0, eq),
                          eq < 0 ? null : text.substring(eq + 1));
                    });
              raw.forEach(
                  (k, v) -> {
                    String resolved = v == null ? null : interpolate(v, dotEnv);
                    if (resolved == null || PLACEHOLDER.matcher(resolved).matches()) opaque.add(k);
                    else values.put(k, resolved);
                  });
              out.add(
                  new Settings(service, source + " service " + e.getKey(), values, opaque, true));
            });
    return out;
  }

  /**
   * A compose file as docker-compose resolves it ({@code docker-compose config}: anchors and merge
   * keys expanded, env_file read, variables interpolated from {@code dotEnv} when given), so the
   * check sees what the containers get.
   */
  static JsonNode resolveCompose(java.nio.file.Path compose, java.nio.file.Path dotEnv) {
    var dockerCompose = dev.tarifa.checks.support.Tools.require("docker-compose");
    List<String> command = new ArrayList<>(List.of(dockerCompose.toString()));
    if (dotEnv != null) command.addAll(List.of("--env-file", dotEnv.toString()));
    command.addAll(List.of("-f", compose.toString(), "config"));
    // stdout only: docker-compose writes its warnings (unset variables) to stderr, which would
    // break the YAML
    try {
      java.nio.file.Path out = java.nio.file.Files.createTempFile("tarifa-compose", ".yaml");
      java.nio.file.Path err = java.nio.file.Files.createTempFile("tarifa-compose", ".err");
      Process p =
          new ProcessBuilder(command)
              .directory(compose.getParent().toFile())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("docker-compose config did not finish within 60 s");
      }
      String yaml = java.nio.file.Files.readString(out),
          messages = java.nio.file.Files.readString(err);
      java.nio.file.Files.deleteIfExists(out);
      java.nio.file.Files.deleteIfExists(err);
      if (p.exitValue() != 0)
        throw new AssertionError("docker-compose config fails on " + compose + ":\n" + messages);
      return Manifests.YAML.readTree(yaml);
    } catch (java.io.IOException e) {
      throw new AssertionError(
          "cannot run docker-compose config on " + compose + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** The value with its interpolations resolved from {@code dotEnv}, or null when one cannot be. */
  static String interpolate(String value, Map<String, String> dotEnv) {
    Matcher m = INTERPOLATION.matcher(value.replace("$$", "\u0000"));
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String v = dotEnv.get(m.group(1));
      if (v == null || v.isEmpty()) v = m.group(2);
      if (v == null) return null;
      m.appendReplacement(sb, Matcher.quoteReplacement(v));
    }
    m.appendTail(sb);
    return sb.toString().replace("\u0000", "$");
  }

  /**
   * KEY=VALUE lines of a dotenv file (comments and blank lines skipped, surrounding quotes
   * removed).
   */
  static Map<String, String> parseDotEnv(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#") || !l.contains("=")) continue;
      if (l.startsWith("export ")) l = l.substring(7).strip();
      String k = l.substring(0, l.indexOf('=')).strip(),
          v = l.substring(l.indexOf('=') + 1).strip();
      if (v.length() >= 2
          && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'")))
        v = v.substring(1, v.length() - 1);
      out.put(k, v);
    }
    return out;
  }

  /**
   * The {@code TARIFA_*} keys of compose's dotenv template ({@code .env.example}, the interpolation
   * source of {@code composeText}): each must be read by some service or be a variable compose.yaml
   * itself uses (image tag, published ports); a value a service reads must parse with every service
   * that reads it, unless it is a {@link #PLACEHOLDER}. (The values that reach containers are
   * checked again through {@link #fromCompose}.)
   */
  static List<String> checkDotEnv(Map<String, String> dotEnv, String composeText, String source) {
    List<String> out = new ArrayList<>();
    dotEnv.forEach(
        (k, v) -> {
          if (!k.startsWith("TARIFA_")) return;
          boolean usedByCompose =
              Pattern.compile("\\$\\{?" + Pattern.quote(k) + "\\b").matcher(composeText).find();
          boolean placeholder = v.isBlank() || PLACEHOLDER.matcher(v.trim()).matches();
          if (PROCESS_KEYS.containsKey(k)) {
            String problem = placeholder ? null : PROCESS_KEYS.get(k).apply(v.trim());
            if (problem != null) out.add(source + ": " + k + ": " + problem);
            return;
          }
          boolean readBySome = false;
          for (var p : PARSERS.entrySet()) {
            Set<String> read = new HashSet<>();
            p.getValue().apply(Env.recording(Map.of(), read));
            if (!read.contains(k)) continue;
            readBySome = true;
            if (placeholder) continue;
            try {
              p.getValue().apply(Env.recording(Map.of(k, v), new HashSet<>()));
            } catch (RuntimeException e) {
              out.add(source + ": " + k + " (read by " + p.getKey() + "): " + e.getMessage());
            }
          }
          if (!readBySome && !usedByCompose)
            out.add(source + ": " + k + " is read by no service and used by no compose variable");
        });
    return out;
  }
}
