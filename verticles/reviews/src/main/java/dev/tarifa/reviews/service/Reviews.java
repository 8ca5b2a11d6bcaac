package dev.tarifa.reviews.service;

import dev.tarifa.reviews.domain.ModerationPage;
import dev.tarifa.reviews.domain.NewReview;
import dev.tarifa.reviews.domain.RatingSummaries;
import dev.tarifa.reviews.domain.RatingSummary;
import dev.tarifa.reviews.domain.Review;
import dev.tarifa.reviews.domain.ReviewOrder;
import dev.tarifa.reviews.domain.ReviewPage;
import dev.tarifa.reviews.domain.Subject;
import dev.tarifa.reviews.domain.SubjectReviews;
import dev.tarifa.reviews.store.ReviewStore;
import dev.tarifa.reviews.store.SubjectDirectory;
import dev.tarifa.shared.domain.NotFound;
import dev.tarifa.shared.events.DomainEvent;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.regex.Pattern;
import org.bson.types.ObjectId;

/**
 * The review operations behind the reviews API: reading, writing, helpful votes and moderation.
 * Reads check the subject's format only; a new review also asks the subject's owning service
 * whether it exists. Every create, hide, unhide and delete adjusts the subject's rating aggregate
 * and writes an event to the outbox. A hidden review reads as absent ({@link NotFound}) everywhere
 * but in moderation.
 */
public final class Reviews {
  public static final String CREATED = "reviews.review.created";
  public static final String HIDDEN = "reviews.review.hidden";
  public static final String UNHIDDEN = "reviews.review.unhidden";
  public static final String DELETED = "reviews.review.deleted";
  private static final Pattern ID = Pattern.compile("[0-9a-f]{24}");

  private final ReviewStore store;
  private final SubjectDirectory subjects;
  private final Clock clock;

  public Reviews(ReviewStore store, SubjectDirectory subjects, Clock clock) {
    this.store = store;
    this.subjects = subjects;
    this.clock = clock;
  }

  /** The clock that dates reviews (and bounds a stay's date when a review is parsed). */
  public Clock clock() {
    return clock;
  }

  /** A helpful vote's outcome: the review's count after it, and whether this vote was new. */
  public record Vote(String reviewId, long helpfulCount, boolean counted) {
    public JsonObject toJson() {
      return new JsonObject()
          .put("id", reviewId)
          .put("helpfulCount", helpfulCount)
          .put("counted", counted);
    }
  }

  /** The visible reviews of {@code subject}. */
  public Future<SubjectReviews> visible(Subject subject, ReviewOrder order, int limit, int offset) {
    return page(
            new JsonObject().put("subject", subject.toString()).put("hidden", false),
            order,
            limit,
            offset)
        .map(page -> new SubjectReviews(subject, order, page));
  }

  /**
   * Reviews for moderation, newest first, hidden ones included; {@code subject} and {@code hidden}
   * filter when not null.
   */
  public Future<ModerationPage> moderation(Subject subject, Boolean hidden, int limit, int offset) {
    JsonObject filter = new JsonObject();
    if (subject != null) filter.put("subject", subject.toString());
    if (hidden != null) filter.put("hidden", hidden);
    return page(filter, ReviewOrder.NEWEST, limit, offset)
        .map(page -> new ModerationPage(subject, hidden, page));
  }

  private Future<ReviewPage> page(JsonObject filter, ReviewOrder order, int limit, int offset) {
    Future<List<Review>> page = store.list(filter, order, limit, offset);
    Future<Long> total = store.count(filter);
    return Future.all(page, total)
        .map(v -> new ReviewPage(page.result(), total.result(), limit, offset));
  }

  /** A visible review. */
  public Future<Review> review(String id) {
    if (!ID.matcher(id).matches()) return Future.failedFuture(noReview(id));
    return store
        .find(id)
        .compose(
            r ->
                r == null || r.hidden()
                    ? Future.failedFuture(noReview(id))
                    : Future.succeededFuture(r));
  }

  public Future<RatingSummary> summary(Subject subject) {
    return store.summary(subject.toString());
  }

  /**
   * The summaries of {@code subjects}, in the same order, empty ones for subjects without reviews.
   */
  public Future<RatingSummaries> summaries(List<String> subjects) {
    return store.summaries(subjects).map(RatingSummaries::new);
  }

  /**
   * Publishes {@code author}'s review once its subject is known to exist (an unknown subject is an
   * invalid {@code subject}; an owner that cannot answer makes it unavailable); a second review of
   * the same subject by the same author is a conflict.
   */
  public Future<Review> create(NewReview draft, String author) {
    return subjects
        .requireExisting(draft.subject())
        .compose(
            v -> {
              // Mongo dates keep milliseconds; truncating here makes the answer equal what a later
              // read returns.
              Review review =
                  Review.create(
                      new ObjectId().toHexString(),
                      draft,
                      author,
                      clock.instant().truncatedTo(ChronoUnit.MILLIS));
              return store
                  .insert(review)
                  .compose(x -> store.appendEvent(event(CREATED, review)))
                  .compose(x -> store.adjustAggregate(review.subject(), review.rating(), 1))
                  .map(x -> review);
            });
  }

  /**
   * Counts {@code voter}'s helpful vote on a visible review. Idempotent: a repeated vote answers
   * alike but counts once.
   */
  public Future<Vote> voteHelpful(String id, String voter) {
    if (!ID.matcher(id).matches()) return Future.failedFuture(noReview(id));
    return store
        .voteHelpful(id, voter)
        .compose(counted -> review(id).map(r -> new Vote(id, r.helpfulCount(), counted)));
  }

  /**
   * Hides or shows a review; the review as it is afterwards. Setting the state it already has
   * changes nothing.
   */
  public Future<Review> setHidden(String id, boolean hidden) {
    if (!ID.matcher(id).matches()) return Future.failedFuture(noReview(id));
    return store
        .setHidden(id, hidden)
        .compose(
            before -> {
              if (before == null)
                return Future.<Void>succeededFuture(); // missing, or already in that state
              return store
                  .appendEvent(event(hidden ? HIDDEN : UNHIDDEN, before))
                  .compose(
                      x ->
                          store.adjustAggregate(
                              before.subject(), before.rating(), hidden ? -1 : 1));
            })
        .compose(x -> store.find(id))
        .compose(r -> r == null ? Future.failedFuture(noReview(id)) : Future.succeededFuture(r));
  }

  public Future<Void> delete(String id) {
    if (!ID.matcher(id).matches()) return Future.failedFuture(noReview(id));
    return store
        .delete(id)
        .compose(
            r -> {
              if (r == null) return Future.failedFuture(noReview(id));
              Future<Void> written = store.appendEvent(event(DELETED, r));
              // A hidden review is already out of the aggregate.
              return r.hidden()
                  ? written
                  : written.compose(x -> store.adjustAggregate(r.subject(), r.rating(), -1));
            });
  }

  /**
   * Recomputes the subject's aggregate from its visible reviews (repairs drift after a crash
   * between two writes).
   */
  public Future<RatingSummary> rebuild(Subject subject) {
    return store.rebuildSummary(subject.toString());
  }

  private static NotFound noReview(String id) {
    return new NotFound("no review " + id);
  }

  private static DomainEvent event(String type, Review r) {
    return DomainEvent.of(
        type,
        List.of(r.subject()),
        new JsonObject()
            .put("reviewId", r.id())
            .put("subject", r.subject())
            .put("authorId", r.authorId())
            .put("rating", r.rating())
            // The state before the change: a deleted review that was hidden no longer counts in any
            // aggregate.
            .put("hidden", r.hidden()));
  }
}
