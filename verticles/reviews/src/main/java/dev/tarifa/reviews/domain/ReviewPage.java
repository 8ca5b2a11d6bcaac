package dev.tarifa.reviews.domain;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Function;

/** One page of reviews, how many match in all, and the page's bounds. */
public record ReviewPage(List<Review> reviews, long total, int limit, int offset) {
  /** The listing answer: the echoed {@code query}, each review as {@code view} shows it, paging. */
  JsonObject toJson(JsonObject query, Function<Review, JsonObject> view) {
    return new JsonObject()
        .put("query", query)
        .put("results", new JsonArray(reviews.stream().map(view).toList()))
        .put("total", total)
        .put("limit", limit)
        .put("offset", offset);
  }
}
