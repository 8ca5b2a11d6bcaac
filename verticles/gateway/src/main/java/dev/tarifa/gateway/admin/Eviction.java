package dev.tarifa.gateway.admin;

import dev.tarifa.shared.cache.CacheKey;
import io.vertx.core.json.JsonObject;

/**
 * What a cache purge evicted: by a tag, how many entries; by a key, 1 or 0.
 *
 * @param by {@code tag} or {@code key}: what the purge named
 * @param name the tag, or the key's text
 */
public record Eviction(String by, String name, long evicted) {
  public static Eviction ofTag(String tag, long evicted) {
    return new Eviction("tag", tag, evicted);
  }

  public static Eviction ofKey(CacheKey key, boolean found) {
    return new Eviction("key", key.value(), found ? 1 : 0);
  }

  public JsonObject toJson() {
    return new JsonObject().put(by, name).put("evicted", evicted);
  }
}
