package dev.tarifa.gateway.search;

import dev.tarifa.shared.cache.CacheKey;
import dev.tarifa.shared.http.Problem;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads a cache key back from its canonical text ({@code domain:k1=v1&k2=v2}), for the admin purge
 * by key.
 */
public final class CacheKeys {
  private CacheKeys() {}

  /**
   * @throws Problem 400 naming {@code key} when the text is not a canonical (unhashed) key
   */
  public static CacheKey parse(String text) {
    int colon = text.indexOf(':');
    if (colon <= 0 || colon == text.length() - 1 || text.charAt(colon + 1) == '#') {
      throw Problem.badRequest(
          "key", "must be a canonical cache key such as flights:adults=1&cabin=economy&...");
    }
    Map<String, String> params = new HashMap<>();
    for (String pair : text.substring(colon + 1).split("&")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) throw Problem.badRequest("key", "malformed parameter '" + pair + "'");
      params.put(unescape(pair.substring(0, eq)), unescape(pair.substring(eq + 1)));
    }
    CacheKey key;
    try {
      key = CacheKey.of(text.substring(0, colon), params);
    } catch (IllegalArgumentException e) {
      throw Problem.badRequest("key", e.getMessage());
    }
    if (!key.value().equals(text))
      throw Problem.badRequest("key", "is not in canonical form (sorted parameters)");
    return key;
  }

  private static String unescape(String s) {
    return s.replace("%26", "&").replace("%3D", "=").replace("%25", "%");
  }
}
