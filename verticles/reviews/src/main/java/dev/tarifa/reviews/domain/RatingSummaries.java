package dev.tarifa.reviews.domain;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The rating summaries of several subjects, in the order they were asked for. */
public record RatingSummaries(List<RatingSummary> results) {
  public JsonObject toJson() {
    return new JsonObject()
        .put("results", new JsonArray(results.stream().map(RatingSummary::toJson).toList()));
  }
}
