package dev.tarifa.reviews.domain;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;

/**
 * A stored review. The id is a 24-hex-digit ObjectId string: ids made later in the same process
 * sort after earlier ones, which breaks ties between reviews created in the same millisecond. The
 * voter ids behind {@code helpfulCount} stay in the document and are never returned.
 */
public record Review(
    String id,
    String subject,
    String authorId,
    int rating,
    String title,
    String text,
    LocalDate date,
    Instant createdAt,
    long helpfulCount,
    boolean hidden) {

  public static Review create(String id, NewReview r, String authorId, Instant now) {
    return new Review(
        id,
        r.subject().toString(),
        authorId,
        r.rating(),
        r.title(),
        r.text(),
        r.date(),
        now,
        0,
        false);
  }

  /** The MongoDB document of a new review (with an empty voter list). */
  public JsonObject toDocument() {
    JsonObject doc =
        new JsonObject()
            .put("_id", id)
            .put("subject", subject)
            .put("authorId", authorId)
            .put("rating", rating)
            .put("title", title)
            .put("text", text)
            .put("createdAt", new JsonObject().put("$date", createdAt.toString()))
            .put("helpfulCount", helpfulCount)
            .put("voters", new io.vertx.core.json.JsonArray())
            .put("hidden", hidden);
    if (date != null) doc.put("date", date.toString());
    return doc;
  }

  public static Review fromDocument(JsonObject doc) {
    String date = doc.getString("date");
    return new Review(
        doc.getString("_id"),
        doc.getString("subject"),
        doc.getString("authorId"),
        doc.getInteger("rating"),
        doc.getString("title"),
        doc.getString("text"),
        date == null ? null : LocalDate.parse(date),
        Instant.parse(doc.getJsonObject("createdAt").getString("$date")),
        doc.getLong("helpfulCount", 0L),
        doc.getBoolean("hidden", false));
  }

  /** The public form. */
  public JsonObject toJson() {
    JsonObject json =
        new JsonObject()
            .put("id", id)
            .put("subject", subject)
            .put("authorId", authorId)
            .put("rating", rating)
            .put("title", title)
            .put("text", text)
            .put("createdAt", createdAt.toString())
            .put("helpfulCount", helpfulCount);
    if (date != null) json.put("date", date.toString());
    return json;
  }

  /** The moderation form: the public form plus the hidden flag. */
  public JsonObject toAdminJson() {
    return toJson().put("hidden", hidden);
  }
}
