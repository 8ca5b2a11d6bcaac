package dev.tarifa.reviews.domain;

import io.vertx.core.json.JsonObject;
import java.util.Locale;

/** A page of a subject's visible reviews in the order asked for, as the public API lists them. */
public record SubjectReviews(Subject subject, ReviewOrder order, ReviewPage page) {
  public JsonObject toJson() {
    JsonObject query =
        new JsonObject()
            .put("subject", subject.toString())
            .put("sort", order.name().toLowerCase(Locale.ROOT));
    return page.toJson(query, Review::toJson);
  }
}
