package dev.tarifa.shared.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The canonical identity of one cacheable answer: a domain (for example {@code flights}) plus the
 * normalised query parameters. Normalising the values (upper-casing codes, parsing dates, filling
 * defaults) is the caller's job; this class only fixes the order and bounds the size.
 *
 * <p>Guarantees: two parameter maps with the same entries give equal keys whatever their iteration
 * order; {@link #value()} is at most {@link #MAX_LENGTH} characters (longer canonical forms are
 * replaced by {@code <domain>:#<sha-256 hex>}); keys of different domains never collide because the
 * domain is the prefix. Instances are immutable and thread-safe.
 */
public final class CacheKey {
  /** The longest {@link #value()} kept verbatim; longer canonical forms are hashed. */
  public static final int MAX_LENGTH = 200;

  private final String domain;
  private final String value;

  private CacheKey(String domain, String value) {
    this.domain = domain;
    this.value = value;
  }

  /**
   * The key for {@code domain} and {@code params}: {@code domain:k1=v1&k2=v2} with the keys sorted,
   * {@code %}, {@code &} and {@code =} percent-escaped so that no two different maps join to the
   * same text.
   *
   * @throws IllegalArgumentException if the domain is blank or contains {@code :}
   * @throws NullPointerException if a parameter name or value is null
   */
  public static CacheKey of(String domain, Map<String, String> params) {
    Objects.requireNonNull(domain, "domain");
    if (domain.isBlank() || domain.indexOf(':') >= 0)
      throw new IllegalArgumentException("invalid cache domain '" + domain + "'");
    StringBuilder sb =
        new StringBuilder(domain.length() + 16 * params.size()).append(domain).append(':');
    boolean first = true;
    for (Map.Entry<String, String> e : new TreeMap<>(params).entrySet()) {
      if (!first) sb.append('&');
      first = false;
      escape(sb, Objects.requireNonNull(e.getKey(), "parameter name"));
      sb.append('=');
      escape(sb, Objects.requireNonNull(e.getValue(), "value of " + e.getKey()));
    }
    String joined = sb.toString();
    if (joined.length() > MAX_LENGTH) joined = domain + ":#" + sha256Hex(joined);
    return new CacheKey(domain, joined);
  }

  /** The domain this key belongs to; selects the {@link CachePolicy}. */
  public String domain() {
    return domain;
  }

  /**
   * The canonical text, at most {@link #MAX_LENGTH} characters; used verbatim in L1 and in Redis
   * key names.
   */
  public String value() {
    return value;
  }

  private static void escape(StringBuilder sb, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '%' -> sb.append("%25");
        case '&' -> sb.append("%26");
        case '=' -> sb.append("%3D");
        default -> sb.append(c);
      }
    }
  }

  static String sha256Hex(String s) {
    return HexFormat.of().formatHex(sha256(s.getBytes(StandardCharsets.UTF_8)));
  }

  static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is mandatory on every JVM", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CacheKey k && k.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return value;
  }
}
