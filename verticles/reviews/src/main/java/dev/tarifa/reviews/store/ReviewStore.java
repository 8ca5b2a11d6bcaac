package dev.tarifa.reviews.store;

import com.mongodb.MongoException;
import dev.tarifa.reviews.domain.RatingSummary;
import dev.tarifa.reviews.domain.Review;
import dev.tarifa.reviews.domain.ReviewOrder;
import dev.tarifa.shared.domain.Conflict;
import dev.tarifa.shared.events.DomainEvent;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The MongoDB queries of the reviews service.
 *
 * <p>Collections: {@code reviews} (one document per review, voter ids inside), {@code
 * review_aggregates} ({@code _id} = subject; count, sum and per-rating buckets over visible
 * reviews) and {@code review_outbox} (events waiting for the relay).
 *
 * <p>Why an outbox collection: the in-memory MongoDB-wire server (and a stand-alone mongod) has no
 * multi-document transactions, and publishing straight to the broker would lose the event whenever
 * the broker is down. So every change writes its event document right after the change itself; a
 * relay publishes unsent documents ({@code publishedAt: null}) and marks them, retrying while the
 * broker is away. The remaining gap, a crash between the two writes, is one process death wide
 * instead of a whole broker outage.
 */
public final class ReviewStore {
  public static final String REVIEWS = "reviews";
  public static final String AGGREGATES = "review_aggregates";
  public static final String OUTBOX = "review_outbox";

  /** MongoDB's duplicate-key error code (unique index violation). */
  public static final int DUPLICATE_KEY = 11000;

  /** Never returned to clients, never needed to build a {@link Review}. */
  private static final JsonObject NO_VOTERS = new JsonObject().put("voters", 0);

  private final MongoClient mongo;
  private final Runnable appended;

  public ReviewStore(MongoClient mongo) {
    this(mongo, () -> {});
  }

  /** {@code appended} runs after each event document is written (it nudges the outbox relay). */
  public ReviewStore(MongoClient mongo, Runnable appended) {
    this.mongo = mongo;
    this.appended = appended;
  }

  /** Creates the query indexes; idempotent (an existing identical index is left alone). */
  public static Future<Void> createIndexes(MongoClient mongo) {
    return mongo
        .createIndexWithOptions(
            REVIEWS,
            new JsonObject().put("subject", 1).put("authorId", 1),
            new IndexOptions().name("subject_author_unique").unique(true))
        .compose(
            v ->
                mongo.createIndexWithOptions(
                    REVIEWS,
                    new JsonObject().put("subject", 1).put("createdAt", -1),
                    new IndexOptions().name("subject_newest")))
        .compose(
            v ->
                mongo.createIndexWithOptions(
                    REVIEWS,
                    new JsonObject().put("subject", 1).put("helpfulCount", -1),
                    new IndexOptions().name("subject_helpful")))
        .compose(
            v ->
                mongo.createIndexWithOptions(
                    OUTBOX,
                    new JsonObject().put("publishedAt", 1),
                    new IndexOptions().name("unpublished")));
  }

  /**
   * Inserts a new review; a second one by the same author on the same subject fails with a {@link
   * Conflict}.
   */
  public Future<Void> insert(Review review) {
    return mongo
        .insert(REVIEWS, review.toDocument())
        .recover(
            e ->
                Future.failedFuture(
                    isDuplicateKey(e)
                        ? new Conflict("you have already reviewed " + review.subject())
                        : e))
        .mapEmpty();
  }

  static boolean isDuplicateKey(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof MongoException me && me.getCode() == DUPLICATE_KEY) return true;
    }
    return false;
  }

  public Future<Review> find(String id) {
    return mongo
        .findOne(REVIEWS, new JsonObject().put("_id", id), NO_VOTERS)
        .map(doc -> doc == null ? null : Review.fromDocument(doc));
  }

  /** Reviews matching {@code filter} in the given order; ties fall back to newest first. */
  public Future<List<Review>> list(JsonObject filter, ReviewOrder order, int limit, int offset) {
    JsonObject sort = new JsonObject();
    if (order == ReviewOrder.HELPFUL) sort.put("helpfulCount", -1);
    sort.put("createdAt", -1).put("_id", -1);
    FindOptions options =
        new FindOptions().setSort(sort).setLimit(limit).setSkip(offset).setFields(NO_VOTERS);
    return mongo
        .findWithOptions(REVIEWS, filter, options)
        .map(docs -> docs.stream().map(Review::fromDocument).toList());
  }

  public Future<Long> count(JsonObject filter) {
    return mongo.count(REVIEWS, filter);
  }

  /**
   * Records {@code voterId}'s helpful vote on a visible review: the voter is added and the count
   * incremented in one atomic update that only matches when the voter is not in the list yet.
   *
   * @return true when the vote was new, false when the review is missing, hidden or already voted
   *     on by this voter
   */
  public Future<Boolean> voteHelpful(String id, String voterId) {
    JsonObject filter =
        new JsonObject()
            .put("_id", id)
            .put("hidden", false)
            .put("voters", new JsonObject().put("$ne", voterId));
    JsonObject update =
        new JsonObject()
            .put("$addToSet", new JsonObject().put("voters", voterId))
            .put("$inc", new JsonObject().put("helpfulCount", 1));
    return mongo.updateCollection(REVIEWS, filter, update).map(r -> r.getDocModified() > 0);
  }

  /**
   * Sets the hidden flag when it differs.
   *
   * @return the review as it was before the change, or null when it does not exist or already had
   *     that flag
   */
  public Future<Review> setHidden(String id, boolean hidden) {
    JsonObject filter = new JsonObject().put("_id", id).put("hidden", !hidden);
    JsonObject update = new JsonObject().put("$set", new JsonObject().put("hidden", hidden));
    return mongo
        .findOneAndUpdateWithOptions(
            REVIEWS, filter, update, new FindOptions().setFields(NO_VOTERS), new UpdateOptions())
        .map(doc -> doc == null ? null : Review.fromDocument(doc));
  }

  /** Deletes a review; the deleted review, or null when there was none. */
  public Future<Review> delete(String id) {
    return mongo
        .findOneAndDeleteWithOptions(
            REVIEWS, new JsonObject().put("_id", id), new FindOptions().setFields(NO_VOTERS))
        .map(doc -> doc == null ? null : Review.fromDocument(doc));
  }

  /**
   * Adds ({@code sign} = 1) or removes ({@code sign} = -1) one rating to the subject's aggregate
   * with a single atomic {@code $inc} (upserting the aggregate on first use).
   */
  public Future<Void> adjustAggregate(String subject, int rating, int sign) {
    JsonObject inc =
        new JsonObject()
            .put("count", sign)
            .put("sum", sign * rating)
            .put(RatingSummary.bucket(rating), sign);
    return mongo
        .updateCollectionWithOptions(
            AGGREGATES,
            new JsonObject().put("_id", subject),
            new JsonObject().put("$inc", inc),
            new UpdateOptions().setUpsert(true))
        .mapEmpty();
  }

  public Future<RatingSummary> summary(String subject) {
    return mongo
        .findOne(AGGREGATES, new JsonObject().put("_id", subject), null)
        .map(doc -> RatingSummary.fromDocument(subject, doc));
  }

  /**
   * The summaries of {@code subjects}, in the same order, with empty ones for subjects without
   * reviews.
   */
  public Future<List<RatingSummary>> summaries(List<String> subjects) {
    JsonObject filter =
        new JsonObject()
            .put("_id", new JsonObject().put("$in", new JsonArray(List.copyOf(subjects))));
    return mongo
        .find(AGGREGATES, filter)
        .map(
            docs -> {
              Map<String, JsonObject> byId =
                  docs.stream()
                      .collect(Collectors.toMap(d -> d.getString("_id"), Function.identity()));
              return subjects.stream()
                  .map(s -> RatingSummary.fromDocument(s, byId.get(s)))
                  .toList();
            });
  }

  /**
   * Recomputes a subject's aggregate from its visible reviews and overwrites the stored one
   * (repairs drift left by a crash between a review write and its aggregate update).
   */
  public Future<RatingSummary> rebuildSummary(String subject) {
    long[] h = new long[5];
    Future<Void> chain = Future.succeededFuture();
    for (int r = 1; r <= 5; r++) {
      int rating = r;
      chain =
          chain.compose(
              v ->
                  mongo
                      .count(
                          REVIEWS,
                          new JsonObject()
                              .put("subject", subject)
                              .put("hidden", false)
                              .put("rating", rating))
                      .map(
                          n -> {
                            h[rating - 1] = n;
                            return null;
                          }));
    }
    return chain.compose(
        v -> {
          long count = 0, sum = 0;
          JsonObject doc = new JsonObject().put("_id", subject);
          for (int r = 1; r <= 5; r++) {
            count += h[r - 1];
            sum += (long) r * h[r - 1];
            doc.put(RatingSummary.bucket(r), h[r - 1]);
          }
          doc.put("count", count).put("sum", sum);
          RatingSummary summary = new RatingSummary(subject, count, sum, h);
          return mongo.save(AGGREGATES, doc).map(id -> summary);
        });
  }

  /** Writes {@code event} to the outbox, unpublished. */
  public Future<Void> appendEvent(DomainEvent event) {
    JsonObject doc = event.toJson();
    doc.put("_id", doc.remove("id"));
    doc.putNull("publishedAt");
    return mongo.insert(OUTBOX, doc).onSuccess(id -> appended.run()).mapEmpty();
  }
}
