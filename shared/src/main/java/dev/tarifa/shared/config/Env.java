package dev.tarifa.shared.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Typed access to configuration keys. Values come from an overlay (set by the all-in-one launcher
 * and tests), then system properties, then environment variables; every read validates and fails
 * with a {@link ConfigException} naming the key.
 */
public final class Env {
  private final Map<String, String> overlay;
  private final Map<String, String> environment;

  /** Where {@link #get} records each key asked for; null unless made by {@link #recording}. */
  private final Set<String> keysRead;

  private Env(Map<String, String> overlay, Map<String, String> environment) {
    this(overlay, environment, null);
  }

  private Env(Map<String, String> overlay, Map<String, String> environment, Set<String> keysRead) {
    this.overlay = Map.copyOf(overlay);
    this.environment = environment;
    this.keysRead = keysRead;
  }

  /** The process environment plus system properties. */
  public static Env system() {
    return new Env(Map.of(), System.getenv());
  }

  /** Only the given values (tests). */
  public static Env of(Map<String, String> values) {
    return new Env(values, Map.of());
  }

  /**
   * Only the given values (as {@link #of}), adding to {@code keysRead} every key a reader asks for,
   * set or not, including through environments derived by {@link #with}. The deployment checks use
   * it to prove that every {@code TARIFA_*} key a manifest sets is one a service's {@code fromEnv}
   * actually reads.
   */
  public static Env recording(Map<String, String> values, Set<String> keysRead) {
    return new Env(values, Map.of(), java.util.Objects.requireNonNull(keysRead, "keysRead"));
  }

  /** This environment with {@code values} taking precedence. */
  public Env with(Map<String, String> values) {
    Map<String, String> merged = new HashMap<>(overlay);
    merged.putAll(values);
    return new Env(merged, environment, keysRead);
  }

  public Env with(String key, String value) {
    return with(Map.of(key, value));
  }

  public Optional<String> get(String key) {
    if (keysRead != null) keysRead.add(key);
    String v = overlay.get(key);
    if (v == null) v = System.getProperty(key);
    if (v == null) v = environment.get(key);
    if (v == null || v.isBlank()) return Optional.empty();
    return Optional.of(v.trim());
  }

  public String string(String key, String defaultValue) {
    return get(key).orElse(defaultValue);
  }

  public int port(String key, int defaultValue) {
    int port = integer(key, defaultValue);
    if (port < 0 || port > 65535)
      throw new ConfigException(key, "port must be between 0 and 65535, got " + port);
    return port;
  }

  public int integer(String key, int defaultValue) {
    return get(key)
        .map(
            v -> {
              try {
                return Integer.parseInt(v);
              } catch (NumberFormatException e) {
                throw new ConfigException(key, "expected an integer, got '" + v + "'");
              }
            })
        .orElse(defaultValue);
  }

  public int integer(String key, int defaultValue, int min, int max) {
    int v = integer(key, defaultValue);
    if (v < min || v > max)
      throw new ConfigException(key, "must be between " + min + " and " + max + ", got " + v);
    return v;
  }

  public long bytes(String key, long defaultValue) {
    return get(key)
        .map(
            v -> {
              String s = v.toLowerCase();
              long mult = 1;
              if (s.endsWith("k") || s.endsWith("kb")) mult = 1L << 10;
              else if (s.endsWith("m") || s.endsWith("mb")) mult = 1L << 20;
              else if (s.endsWith("g") || s.endsWith("gb")) mult = 1L << 30;
              s = s.replaceAll("[a-z]+$", "");
              try {
                long n = Long.parseLong(s) * mult;
                if (n < 0) throw new NumberFormatException();
                return n;
              } catch (NumberFormatException e) {
                throw new ConfigException(key, "expected a size such as 64m, got '" + v + "'");
              }
            })
        .orElse(defaultValue);
  }

  public boolean bool(String key, boolean defaultValue) {
    return get(key)
        .map(
            v ->
                switch (v.toLowerCase()) {
                  case "true", "yes", "1", "on" -> true;
                  case "false", "no", "0", "off" -> false;
                  default ->
                      throw new ConfigException(key, "expected true or false, got '" + v + "'");
                })
        .orElse(defaultValue);
  }

  /**
   * A duration such as {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h} or ISO-8601 {@code
   * PT30S}.
   */
  public Duration duration(String key, Duration defaultValue) {
    return get(key).map(v -> parseDuration(key, v)).orElse(defaultValue);
  }

  static Duration parseDuration(String key, String v) {
    try {
      if (v.startsWith("P") || v.startsWith("p")) return Duration.parse(v.toUpperCase());
      var m = java.util.regex.Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)").matcher(v.toLowerCase());
      if (!m.matches()) throw new IllegalArgumentException();
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    } catch (RuntimeException e) {
      throw new ConfigException(
          key, "expected a duration such as 500ms, 30s or 5m, got '" + v + "'");
    }
  }

  public <E extends Enum<E>> E enumValue(String key, Class<E> type, E defaultValue) {
    return get(key)
        .map(
            v -> {
              for (E e : type.getEnumConstants()) if (e.name().equalsIgnoreCase(v)) return e;
              throw new ConfigException(
                  key,
                  "expected one of "
                      + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase()
                      + ", got '"
                      + v
                      + "'");
            })
        .orElse(defaultValue);
  }

  /** An optional URL whose scheme must be one of {@code schemes}; a malformed URL names the key. */
  public Optional<URI> url(String key, Set<String> schemes) {
    return get(key).map(v -> parseUrl(key, v, schemes));
  }

  public static URI parseUrl(String key, String v, Set<String> schemes) {
    URI uri;
    try {
      uri = new URI(v);
    } catch (URISyntaxException e) {
      throw new ConfigException(key, "malformed URL '" + redact(v) + "'");
    }
    if (uri.getScheme() == null || !schemes.contains(uri.getScheme().toLowerCase())) {
      throw new ConfigException(
          key,
          "URL '"
              + redact(v)
              + "' must start with one of "
              + schemes.stream().sorted().map(s -> s + "://").toList());
    }
    // A seed list (mongodb://h1:27017,h2:27017/?replicaSet=rs0) has no single host: its authority
    // is kept whole.
    boolean hostList =
        uri.getHost() == null
            && uri.getRawAuthority() != null
            && uri.getRawAuthority().contains(",");
    if (!hostList && (uri.getHost() == null || uri.getHost().isBlank())) {
      throw new ConfigException(key, "URL '" + redact(v) + "' has no host");
    }
    return uri;
  }

  /** A PEM value given inline or as a path to a file. */
  public Optional<String> pem(String key) {
    return get(key)
        .map(
            v -> {
              if (v.contains("-----BEGIN")) return v.replace("\\n", "\n");
              Path p = Path.of(v);
              try {
                return Files.readString(p);
              } catch (Exception e) {
                throw new ConfigException(key, "neither a PEM value nor a readable file: " + v);
              }
            });
  }

  /** Hides the password of a URL for messages and logs. */
  public static String redact(String url) {
    return url.replaceAll("(://[^:/@]+:)[^@/]*@", "$1***@");
  }
}
