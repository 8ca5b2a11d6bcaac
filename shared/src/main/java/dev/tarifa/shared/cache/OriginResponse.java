package dev.tarifa.shared.cache;

import io.vertx.core.buffer.Buffer;
import java.util.Objects;
import java.util.Set;

/**
 * What the origin (the owning domain service) answered, as handed to the cache by the caller's
 * origin supplier.
 *
 * @param body the response body exactly as it will be written to clients; must not be modified
 *     afterwards
 * @param contentType the {@code Content-Type} to serve it with
 * @param tags what the answer depends on (from the origin's {@code X-Cache-Tags}); used for
 *     eviction by tag
 * @param empty the answer holds no results: cached only for the policy's brief negative TTL
 */
public record OriginResponse(Buffer body, String contentType, Set<String> tags, boolean empty) {
  public OriginResponse {
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(contentType, "contentType");
    tags = Set.copyOf(tags);
  }
}
