package dev.tarifa.reviews.domain;

import dev.tarifa.shared.http.Problem;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * A validated review submission: {@code {subject, rating, title, text, date?}}. The date is the
 * stay or trip date, optional, never in the future.
 */
public record NewReview(Subject subject, int rating, String title, String text, LocalDate date) {
  public static final int MAX_TITLE = 120;
  public static final int MAX_TEXT = 2000;

  /**
   * Validates a request body field by field.
   *
   * @throws Problem a 400 naming the first offending field
   */
  public static NewReview parse(JsonObject body, Clock clock) {
    Subject subject =
        Subject.parse("subject", body.getValue("subject") instanceof String s ? s : null);
    int rating = rating(body.getValue("rating"));
    String title = text(body, "title", MAX_TITLE);
    String text = text(body, "text", MAX_TEXT);
    LocalDate date = date(body.getValue("date"), clock);
    return new NewReview(subject, rating, title, text, date);
  }

  private static int rating(Object v) {
    if (v == null) throw Problem.badRequest("rating", "is required");
    // Only JSON integers: 4.5 or "4" are not ratings.
    if (!(v instanceof Integer || v instanceof Long))
      throw Problem.badRequest("rating", "must be an integer from 1 to 5");
    long n = ((Number) v).longValue();
    if (n < 1 || n > 5) throw Problem.badRequest("rating", "must be an integer from 1 to 5");
    return (int) n;
  }

  private static String text(JsonObject body, String field, int max) {
    Object v = body.getValue(field);
    if (v == null) throw Problem.badRequest(field, "is required");
    if (!(v instanceof String s)) throw Problem.badRequest(field, "must be a string");
    String t = s.strip();
    if (t.isEmpty()) throw Problem.badRequest(field, "must not be empty");
    if (t.codePointCount(0, t.length()) > max)
      throw Problem.badRequest(field, "must be at most " + max + " characters");
    return t;
  }

  private static LocalDate date(Object v, Clock clock) {
    if (v == null) return null;
    if (!(v instanceof String s)) throw Problem.badRequest("date", "must be a date as yyyy-MM-dd");
    LocalDate d;
    try {
      d = LocalDate.parse(s.strip());
    } catch (DateTimeParseException e) {
      throw Problem.badRequest("date", "must be a date as yyyy-MM-dd");
    }
    if (d.isAfter(LocalDate.now(clock)))
      throw Problem.badRequest("date", "must not be in the future");
    return d;
  }
}
