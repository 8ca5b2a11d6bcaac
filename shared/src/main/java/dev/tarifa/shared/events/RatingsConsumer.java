package dev.tarifa.shared.events;

import dev.tarifa.shared.domain.NotFound;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Keeps a PostgreSQL rating table ({@code <table>(<keyColumn> PRIMARY KEY, count, sum, histogram
 * integer[5])}) in step with the review events ({@code
 * reviews.review.created|hidden|unhidden|deleted}; payload {@code reviewId, subject, authorId,
 * rating} and {@code hidden}, the review's state before a deletion).
 *
 * <p>One event is one transaction: {@link ProcessedEvents#markProcessed} (consumer = the queue
 * name), the signed increment of the subject's row (created/unhidden +1, hidden -1, deleted -1
 * unless the review was hidden) and an outbox offer-change event naming the cache tags whose
 * answers show the rating. A duplicate delivery finds the mark and changes nothing. Increments
 * commute, so reordered events converge on the same totals. Subjects of other kinds are
 * acknowledged and ignored; a malformed event of this kind fails (retries, then the DLQ).
 *
 * @param <K> the key type of the table ({@code Long} hotel ids, {@code String} codes)
 */
public final class RatingsConsumer<K> {
  public static final List<String> PATTERNS = List.of("reviews.review.*");

  private final Pool pool;
  private final String queue;
  private final String subjectPrefix;
  private final String table;
  private final String keyColumn;
  private final Function<String, K> key;
  private final String offerEvent;
  private final BiFunction<SqlConnection, K, Future<List<String>>> tags;

  /**
   * @param subjectPrefix e.g. {@code hotel:}; events about other subjects are ignored
   * @param key the table key of a subject id (throws IllegalArgumentException when malformed)
   * @param offerEvent the offer-change event type to append ({@code hotels.offer.changed})
   * @param tags the cache tags of the answers that show this key's rating (inside the transaction)
   */
  public RatingsConsumer(
      Pool pool,
      String queue,
      String subjectPrefix,
      String table,
      String keyColumn,
      Function<String, K> key,
      String offerEvent,
      BiFunction<SqlConnection, K, Future<List<String>>> tags) {
    this.pool = pool;
    this.queue = queue;
    this.subjectPrefix = subjectPrefix;
    this.table = table;
    this.keyColumn = keyColumn;
    this.key = key;
    this.offerEvent = offerEvent;
    this.tags = tags;
  }

  /** Subscribes the handler to the review events on the durable queue. */
  public Future<EventSubscriber.Subscription> subscribe(EventSubscriber subscriber) {
    return subscriber.subscribe(queue, PATTERNS, this::handle);
  }

  public String queue() {
    return queue;
  }

  /** Applies one review event (idempotent by event id). */
  public Future<Void> handle(DomainEvent event) {
    JsonObject p = event.payload();
    String subject = p.getString("subject");
    if (subject == null)
      return Future.failedFuture(new IllegalArgumentException("review event without subject"));
    if (!subject.startsWith(subjectPrefix)) return Future.succeededFuture();
    int delta =
        switch (event.type()) {
          case "reviews.review.created", "reviews.review.unhidden" -> 1;
          case "reviews.review.hidden" -> -1;
          case "reviews.review.deleted" -> p.getBoolean("hidden", false) ? 0 : -1;
          default -> 0;
        };
    if (delta == 0) return Future.succeededFuture();
    K k;
    int rating;
    try {
      k = key.apply(subject.substring(subjectPrefix.length()));
      Object r = p.getValue("rating");
      if (!(r instanceof Number n)
          || n.intValue() != n.doubleValue()
          || n.intValue() < 1
          || n.intValue() > 5) {
        throw new IllegalArgumentException("rating must be an integer 1..5, got " + r);
      }
      rating = n.intValue();
    } catch (RuntimeException e) {
      return Future.failedFuture(
          new IllegalArgumentException(
              "malformed review event " + event.id() + ": " + e.getMessage(), e));
    }
    return pool.withTransaction(
        c ->
            ProcessedEvents.markProcessed(c, queue, event.id())
                .compose(
                    first ->
                        !first
                            ? Future.<Void>succeededFuture()
                            : apply(c, k, rating, delta)
                                .compose(v -> tags.apply(c, k))
                                .compose(
                                    t ->
                                        Outbox.append(
                                            c,
                                            DomainEvent.of(
                                                offerEvent,
                                                t,
                                                new JsonObject()
                                                    .put("change", "rating")
                                                    .put("subject", subject)
                                                    .put("reviewEvent", event.id().toString()))))));
  }

  private Future<Void> apply(SqlConnection c, K k, int rating, int delta) {
    String[] hist = {"0", "0", "0", "0", "0"};
    hist[rating - 1] = String.valueOf(delta);
    return c.preparedQuery(
            "INSERT INTO "
                + table
                + " ("
                + keyColumn
                + ", count, sum, histogram) VALUES ($1, $2, $3, '{"
                + String.join(",", hist)
                + "}') ON CONFLICT ("
                + keyColumn
                + ") DO UPDATE SET count = "
                + table
                + ".count + $2,"
                + " sum = "
                + table
                + ".sum + $3, histogram["
                + rating
                + "] = "
                + table
                + ".histogram["
                + rating
                + "] + $2")
        .execute(Tuple.of(k, delta, (long) delta * rating))
        .mapEmpty();
  }

  /**
   * The ratings of {@code keys} as {@code {"average": 4.25, "count": 8}} ({@code average} null and
   * count 0 for keys without visible reviews), from a rating table with the layout above.
   */
  public static <K> Future<Map<K, JsonObject>> read(
      Pool pool, String table, String keyColumn, List<K> keys, Class<K> type) {
    if (keys.isEmpty()) return Future.succeededFuture(Map.of());
    Object array = type == Long.class ? keys.toArray(Long[]::new) : keys.toArray(String[]::new);
    return pool.preparedQuery(
            "SELECT "
                + keyColumn
                + ", count, sum FROM "
                + table
                + " WHERE "
                + keyColumn
                + " = ANY($1)")
        .execute(Tuple.of(array))
        .map(
            rows -> {
              Map<K, JsonObject> out = new HashMap<>();
              for (Row r : rows)
                out.put(type.cast(r.getValue(0)), rating(r.getLong(1), r.getLong(2)));
              for (K k : keys) out.putIfAbsent(k, rating(0, 0));
              return out;
            });
  }

  /**
   * A subject's details with its rating: {@code details} with the rating of {@code key} ({@link
   * #read}'s form) put under {@code "rating"}.
   *
   * @param details the subject's details; completing with null when there is no such subject
   * @param ratings reads ratings by key ({@code store::ratings}, over {@link #read}); asked only
   *     when the subject exists
   * @param absent the {@link NotFound} message when there is no such subject ({@code "no hotel
   *     42"})
   * @return the details, mutated; or a future failed with {@link NotFound}, or with the failure of
   *     {@code details} or {@code ratings}
   */
  public static <K> Future<JsonObject> withRating(
      Future<JsonObject> details,
      K key,
      Function<List<K>, Future<Map<K, JsonObject>>> ratings,
      String absent) {
    return details.compose(
        json ->
            json == null
                ? Future.failedFuture(new NotFound(absent))
                : ratings.apply(List.of(key)).map(r -> json.put("rating", r.get(key))));
  }

  /**
   * The JSON shown to clients: average rounded to two decimals, always within 1..5. Events are
   * applied as deltas, so a retried event overtaken by a later one (a review hidden before its
   * creation was applied) leaves count and sum briefly inconsistent; until the late event lands the
   * average is clamped to the rating scale and a non-positive count shows as no rating, rather than
   * showing an impossible figure.
   */
  public static JsonObject rating(long count, long sum) {
    if (count <= 0) return new JsonObject().putNull("average").put("count", 0);
    double average = Math.max(1.0, Math.min(5.0, Math.round(sum * 100.0 / count) / 100.0));
    return new JsonObject().put("average", average).put("count", count);
  }

  /** DDL of a rating table keyed by {@code keyColumn} of SQL type {@code keyType}. */
  public static String ddl(String table, String keyColumn, String keyType) {
    return "CREATE TABLE "
        + table
        + " ("
        + keyColumn
        + " "
        + keyType
        + " PRIMARY KEY, count bigint NOT NULL DEFAULT 0,"
        + " sum bigint NOT NULL DEFAULT 0, histogram integer[] NOT NULL DEFAULT '{0,0,0,0,0}')";
  }
}
