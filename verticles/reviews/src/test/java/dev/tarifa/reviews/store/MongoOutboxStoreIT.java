package dev.tarifa.reviews.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tarifa.shared.events.DomainEvent;
import dev.tarifa.shared.testing.TestServers;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The review outbox claims: a claimed batch is invisible to a second relay; marks stick; a failed
 * claim is released.
 */
class MongoOutboxStoreIT {
  private static Vertx vertx;
  private static MongoClient mongo;
  private static final String COLLECTION =
      "outbox_it_" + UUID.randomUUID().toString().substring(0, 8);

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    mongo =
        MongoClient.create(
            vertx,
            new JsonObject()
                .put("connection_string", TestServers.mongo().toString())
                .put("db_name", "reviews_outbox_it"));
  }

  @AfterAll
  static void stop() throws Exception {
    mongo.dropCollection(COLLECTION).await(5, TimeUnit.SECONDS);
    vertx.close().await(5, TimeUnit.SECONDS);
  }

  @Test
  void claimsAreExclusiveAndMarksStick() throws Exception {
    MongoOutboxStore a = new MongoOutboxStore(mongo, COLLECTION);
    MongoOutboxStore b = new MongoOutboxStore(mongo, COLLECTION);
    for (int i = 0; i < 5; i++) {
      DomainEvent e =
          DomainEvent.of(
              "reviews.review.created",
              List.of("hotel:" + (i + 1)),
              new JsonObject().put("rating", i + 1));
      JsonObject doc = e.toJson();
      doc.put("_id", doc.remove("id")).putNull("publishedAt");
      mongo.insert(COLLECTION, doc).await(5, TimeUnit.SECONDS);
    }
    assertThat(a.backlog().await(5, TimeUnit.SECONDS).count()).isEqualTo(5);

    Promise<Void> release = Promise.promise();
    Future<Integer> first =
        a.withUnsent(
            3,
            batch ->
                release
                    .future()
                    .compose(
                        v -> batch.markSent(batch.events().stream().map(DomainEvent::id).toList()))
                    .map(v -> batch.events().size()));
    Thread.sleep(300);
    // While A holds its 3, B gets only the other 2 and records a failed attempt for them.
    List<DomainEvent> second =
        b.<List<DomainEvent>>withUnsent(
                10,
                batch ->
                    batch
                        .markFailed(
                            batch.events().stream().map(DomainEvent::id).toList(), "broker down")
                        .map(v -> batch.events()))
            .await(5, TimeUnit.SECONDS);
    assertThat(second).hasSize(2);
    release.complete();
    assertThat(first.await(5, TimeUnit.SECONDS)).isEqualTo(3);

    assertThat(a.backlog().await(5, TimeUnit.SECONDS).count()).isEqualTo(2);
    JsonObject failed =
        mongo
            .findOne(COLLECTION, new JsonObject().put("_id", second.get(0).id().toString()), null)
            .await(5, TimeUnit.SECONDS);
    assertThat(failed.getInteger("attempts")).isEqualTo(1);
    assertThat(failed.getString("lastError")).isEqualTo("broker down");

    // A claim whose work fails is released at once: the next claim gets the same two events.
    b.withUnsent(10, batch -> Future.failedFuture(new IllegalStateException("publish failed")))
        .otherwiseEmpty()
        .await(5, TimeUnit.SECONDS);
    List<DomainEvent> rest =
        a.<List<DomainEvent>>withUnsent(10, batch -> Future.succeededFuture(batch.events()))
            .await(5, TimeUnit.SECONDS);
    assertThat(rest)
        .extracting(DomainEvent::id)
        .containsExactlyInAnyOrderElementsOf(second.stream().map(DomainEvent::id).toList());
    assertThat(rest.get(0).tags()).hasSize(1).allMatch(t -> t.startsWith("hotel:"));
  }
}
