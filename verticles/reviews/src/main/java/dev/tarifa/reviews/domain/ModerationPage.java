package dev.tarifa.reviews.domain;

import io.vertx.core.json.JsonObject;

/**
 * A page of reviews for moderation, hidden ones included, with the admin view of each; {@code
 * subject} and {@code hidden} are the filters asked for, null when not filtered on (and then not
 * echoed).
 */
public record ModerationPage(Subject subject, Boolean hidden, ReviewPage page) {
  public JsonObject toJson() {
    JsonObject query = new JsonObject();
    if (subject != null) query.put("subject", subject.toString());
    if (hidden != null) query.put("hidden", hidden);
    return page.toJson(query, Review::toAdminJson);
  }
}
