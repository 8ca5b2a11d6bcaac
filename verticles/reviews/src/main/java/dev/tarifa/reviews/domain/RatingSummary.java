package dev.tarifa.reviews.domain;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The rating aggregate of one subject over its visible reviews. Stored in {@code review_aggregates}
 * as {@code {_id: subject, count, sum, r1..r5}} and kept current with atomic {@code $inc} updates.
 */
public record RatingSummary(String subject, long count, long sum, long[] histogram) {
  public RatingSummary {
    if (histogram.length != 5) throw new IllegalArgumentException("histogram needs 5 buckets");
  }

  public static RatingSummary empty(String subject) {
    return new RatingSummary(subject, 0, 0, new long[5]);
  }

  /** The stored aggregate, or an empty one when {@code doc} is null. */
  public static RatingSummary fromDocument(String subject, JsonObject doc) {
    if (doc == null) return empty(subject);
    long[] h = new long[5];
    for (int r = 1; r <= 5; r++) h[r - 1] = number(doc, bucket(r));
    return new RatingSummary(subject, number(doc, "count"), number(doc, "sum"), h);
  }

  /** The aggregate field of a rating's bucket. */
  public static String bucket(int rating) {
    return "r" + rating;
  }

  private static long number(JsonObject doc, String field) {
    Number n = (Number) doc.getValue(field);
    return n == null ? 0 : n.longValue();
  }

  /** The mean rating rounded half-up to 2 decimals; null when there are no reviews. */
  public BigDecimal average() {
    if (count <= 0) return null;
    return BigDecimal.valueOf(sum).divide(BigDecimal.valueOf(count), 2, RoundingMode.HALF_UP);
  }

  public JsonObject toJson() {
    JsonObject hist = new JsonObject();
    for (int r = 1; r <= 5; r++) hist.put(String.valueOf(r), histogram[r - 1]);
    BigDecimal avg = average();
    return new JsonObject()
        .put("subject", subject)
        .put("count", count)
        .put("average", avg == null ? null : avg.doubleValue())
        .put("histogram", hist);
  }
}
