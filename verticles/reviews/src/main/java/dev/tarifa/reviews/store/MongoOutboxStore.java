package dev.tarifa.reviews.store;

import dev.tarifa.shared.events.DomainEvent;
import dev.tarifa.shared.events.EventRetention;
import dev.tarifa.shared.events.OutboxStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * The {@code review_outbox} collection as an {@link OutboxStore} (documents written by {@link
 * ReviewStore#appendEvent}: {@code _id} = event id, {@code publishedAt} null until sent).
 *
 * <p>Without multi-document transactions a claim is a lease: one multi-update stamps the candidates
 * with a fresh {@code claimToken} and {@code claimedUntil} (now + lease), then the documents
 * carrying that token are the batch. Another relay skips documents under an unexpired lease; a
 * relay that dies leaves the lease to expire, after which the events are published again (consumers
 * deduplicate by event id). Marks clear the lease; a failed {@code work} releases it. Sent
 * documents stay until {@link #deleteSent} removes them ({@link
 * dev.tarifa.shared.events.EventRetention}, via {@link #retention}).
 */
public final class MongoOutboxStore implements OutboxStore {
  public static final Duration LEASE = Duration.ofSeconds(30);

  private final MongoClient mongo;
  private final String collection;

  public MongoOutboxStore(MongoClient mongo) {
    this(mongo, ReviewStore.OUTBOX);
  }

  public MongoOutboxStore(MongoClient mongo, String collection) {
    this.mongo = mongo;
    this.collection = collection;
  }

  private static JsonObject unsent() {
    return new JsonObject().put("publishedAt", null);
  }

  @Override
  public <T> Future<T> withUnsent(int limit, Function<Batch, Future<T>> work) {
    long now = System.currentTimeMillis();
    String token = UUID.randomUUID().toString();
    JsonObject claimable =
        unsent()
            .put(
                "$or",
                new JsonArray()
                    .add(new JsonObject().put("claimedUntil", null))
                    .add(new JsonObject().put("claimedUntil", new JsonObject().put("$lt", now))));
    FindOptions oldest =
        new FindOptions()
            .setSort(new JsonObject().put("occurredAt", 1))
            .setLimit(limit)
            .setFields(new JsonObject().put("_id", 1));
    return mongo
        .findWithOptions(collection, claimable, oldest)
        .compose(
            candidates -> {
              if (candidates.isEmpty()) return work.apply(new MongoBatch(List.of()));
              JsonArray ids =
                  new JsonArray(candidates.stream().map(d -> d.getValue("_id")).toList());
              return mongo
                  .updateCollectionWithOptions(
                      collection,
                      claimable.copy().put("_id", new JsonObject().put("$in", ids)),
                      new JsonObject()
                          .put(
                              "$set",
                              new JsonObject()
                                  .put("claimToken", token)
                                  .put("claimedUntil", now + LEASE.toMillis())),
                      new UpdateOptions().setMulti(true))
                  .compose(
                      u ->
                          mongo.findWithOptions(
                              collection,
                              unsent().put("claimToken", token),
                              new FindOptions().setSort(new JsonObject().put("occurredAt", 1))))
                  .compose(
                      docs -> {
                        List<DomainEvent> events =
                            docs.stream().map(MongoOutboxStore::event).toList();
                        return work.apply(new MongoBatch(events))
                            .recover(e -> release(token).transform(x -> Future.failedFuture(e)));
                      });
            });
  }

  private Future<Void> release(String token) {
    return mongo
        .updateCollectionWithOptions(
            collection,
            new JsonObject().put("claimToken", token),
            new JsonObject()
                .put("$unset", new JsonObject().put("claimToken", "").put("claimedUntil", "")),
            new UpdateOptions().setMulti(true))
        .mapEmpty();
  }

  @Override
  public Future<Backlog> backlog() {
    Future<Long> count = mongo.count(collection, unsent());
    Future<List<JsonObject>> first =
        mongo.findWithOptions(
            collection,
            unsent(),
            new FindOptions()
                .setSort(new JsonObject().put("occurredAt", 1))
                .setLimit(1)
                .setFields(new JsonObject().put("occurredAt", 1)));
    return Future.all(count, first)
        .map(
            v ->
                new Backlog(
                    count.result(),
                    first.result().stream()
                        .findFirst()
                        .flatMap(d -> Optional.ofNullable(d.getString("occurredAt")))
                        .map(Instant::parse)));
  }

  /**
   * Deletes at most {@code limit} documents marked sent more than {@code olderThan} ago and
   * succeeds with the number deleted. Documents never sent ({@code publishedAt} null), claimed or
   * not, are never deleted, whatever their age. {@code publishedAt} is an ISO-8601 string written
   * by this class ({@link Instant#toString()}), so the cut-off (by this process's clock) is
   * compared as a string, to within a second. One find of at most {@code limit} ids (served by the
   * {@code unpublished} index on {@code publishedAt}) and one delete of those ids that re-checks
   * the condition; concurrent callers may pick the same ids, and then each document is deleted (and
   * counted) once.
   */
  public Future<Integer> deleteSent(Duration olderThan, int limit) {
    String cutoff = Instant.now().minus(olderThan).truncatedTo(ChronoUnit.SECONDS).toString();
    JsonObject expired =
        new JsonObject().put("publishedAt", new JsonObject().put("$ne", null).put("$lt", cutoff));
    return mongo
        .findWithOptions(
            collection,
            expired,
            new FindOptions().setLimit(limit).setFields(new JsonObject().put("_id", 1)))
        .compose(
            docs -> {
              if (docs.isEmpty()) return Future.succeededFuture(0);
              JsonArray ids = new JsonArray(docs.stream().map(d -> d.getValue("_id")).toList());
              return mongo
                  .removeDocuments(
                      collection, expired.copy().put("_id", new JsonObject().put("$in", ids)))
                  .map(r -> r == null ? 0 : (int) r.getRemovedCount());
            });
  }

  /**
   * This collection as a retention target (metric tag: the collection name), keeping sent documents
   * {@code keepSent}.
   */
  public EventRetention.Target retention(Duration keepSent) {
    return new EventRetention.Target(collection, limit -> deleteSent(keepSent, limit));
  }

  static DomainEvent event(JsonObject doc) {
    JsonObject json = doc.copy();
    json.put("id", String.valueOf(json.remove("_id")));
    return DomainEvent.fromJson(json);
  }

  private final class MongoBatch implements Batch {
    private final List<DomainEvent> events;

    MongoBatch(List<DomainEvent> events) {
      this.events = events;
    }

    @Override
    public List<DomainEvent> events() {
      return events;
    }

    @Override
    public Future<Void> markSent(List<UUID> ids) {
      if (ids.isEmpty()) return Future.succeededFuture();
      return mongo
          .updateCollectionWithOptions(
              collection,
              byIds(ids),
              new JsonObject()
                  .put("$set", new JsonObject().put("publishedAt", Instant.now().toString()))
                  .put("$unset", new JsonObject().put("claimToken", "").put("claimedUntil", "")),
              new UpdateOptions().setMulti(true))
          .mapEmpty();
    }

    @Override
    public Future<Void> markFailed(List<UUID> ids, String error) {
      if (ids.isEmpty()) return Future.succeededFuture();
      return mongo
          .updateCollectionWithOptions(
              collection,
              byIds(ids),
              new JsonObject()
                  .put("$inc", new JsonObject().put("attempts", 1))
                  .put(
                      "$set",
                      new JsonObject()
                          .put(
                              "lastError",
                              error.length() > 1000 ? error.substring(0, 1000) : error))
                  .put("$unset", new JsonObject().put("claimToken", "").put("claimedUntil", "")),
              new UpdateOptions().setMulti(true))
          .mapEmpty();
    }

    private JsonObject byIds(List<UUID> ids) {
      return new JsonObject()
          .put(
              "_id",
              new JsonObject()
                  .put("$in", new JsonArray(ids.stream().map(UUID::toString).toList())));
    }
  }
}
