package dev.tarifa.shared.pricing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * The search answer envelope of the internal API contract: {@code {"query", "results", "total",
 * "limit", "offset", "providers": {"answered": [...]}}}. {@link #page} cuts one page out of the
 * full, already sorted result list; {@code total} is the full count.
 */
public final class SearchPage {
  private SearchPage() {}

  /**
   * Elements {@code offset .. offset+limit-1} of {@code all} (empty when offset is past the end).
   */
  public static <T> List<T> page(List<T> all, int limit, int offset) {
    if (offset >= all.size()) return List.of();
    return all.subList(offset, Math.min(all.size(), offset + limit));
  }

  /** The envelope; {@code answered} provider codes are sorted and deduplicated. */
  public static JsonObject envelope(
      JsonObject query,
      List<JsonObject> results,
      int total,
      int limit,
      int offset,
      Collection<String> answered) {
    return new JsonObject()
        .put("query", query)
        .put("results", new JsonArray(List.copyOf(results)))
        .put("total", total)
        .put("limit", limit)
        .put("offset", offset)
        .put(
            "providers",
            new JsonObject().put("answered", new JsonArray(List.copyOf(new TreeSet<>(answered)))));
  }
}
