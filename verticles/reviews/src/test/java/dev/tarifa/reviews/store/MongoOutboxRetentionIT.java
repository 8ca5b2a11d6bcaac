package dev.tarifa.reviews.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tarifa.shared.events.DomainEvent;
import dev.tarifa.shared.events.EventRetention;
import dev.tarifa.shared.metrics.Metrics;
import dev.tarifa.shared.testing.TestServers;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Retention of the review outbox: only sent documents older than the period go, in bounded batches.
 */
class MongoOutboxRetentionIT {
  private static Vertx vertx;
  private static MongoClient mongo;
  private static final String COLLECTION =
      "outbox_retention_it_" + UUID.randomUUID().toString().substring(0, 8);

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
  void deletesOnlySentDocumentsOlderThanTheRetention() throws Exception {
    Instant now = Instant.now();
    List<String> oldSent =
        insert(7, now.minus(Duration.ofDays(9)), now.minus(Duration.ofDays(8)), false);
    List<String> kept = new ArrayList<>();
    kept.addAll(insert(2, now.minus(Duration.ofDays(6)), now.minus(Duration.ofDays(6)), false));
    kept.addAll(insert(1, now, now, false));
    // Never sent, 30 days old: one unclaimed, one under a (stale) claim. Never deleted.
    kept.addAll(insert(2, now.minus(Duration.ofDays(30)), null, false));
    kept.addAll(insert(1, now.minus(Duration.ofDays(30)), null, true));

    MongoOutboxStore store = new MongoOutboxStore(mongo, COLLECTION);
    double before = counter(COLLECTION);
    // Batches of 3: 3, 3, 1.
    EventRetention retention =
        new EventRetention(
            vertx,
            "reviews-it-" + COLLECTION,
            List.of(store.retention(Duration.ofDays(7))),
            Duration.ofHours(1),
            Duration.ofHours(1),
            3);
    assertThat(retention.runOnce().await(10, TimeUnit.SECONDS))
        .containsExactly(Map.entry(COLLECTION, 7L));
    assertThat(ids())
        .containsExactlyInAnyOrderElementsOf(kept)
        .doesNotContainAnyElementsOf(oldSent);
    assertThat(counter(COLLECTION) - before).isEqualTo(7);
    // The relay still sees the three unsent events.
    assertThat(store.backlog().await(5, TimeUnit.SECONDS).count()).isEqualTo(3);

    assertThat(retention.runOnce().await(10, TimeUnit.SECONDS))
        .containsExactly(Map.entry(COLLECTION, 0L));
    assertThat(store.deleteSent(Duration.ofDays(5), 100).await(5, TimeUnit.SECONDS)).isEqualTo(2);
    retention.stop().await(5, TimeUnit.SECONDS);
  }

  /**
   * Documents shaped as {@link ReviewStore#appendEvent} and {@link MongoOutboxStore} write them.
   */
  private static List<String> insert(
      int n, Instant occurredAt, Instant publishedAt, boolean claimed) throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      DomainEvent e =
          new DomainEvent(
              UUID.randomUUID(),
              "reviews.review.created",
              occurredAt,
              List.of("hotel:1"),
              new JsonObject().put("rating", 4));
      JsonObject doc = e.toJson();
      doc.put("_id", doc.remove("id"));
      if (publishedAt == null) doc.putNull("publishedAt");
      else doc.put("publishedAt", publishedAt.toString());
      if (claimed)
        doc.put("claimToken", UUID.randomUUID().toString())
            .put("claimedUntil", occurredAt.toEpochMilli());
      mongo.insert(COLLECTION, doc).await(5, TimeUnit.SECONDS);
      ids.add(e.id().toString());
    }
    return ids;
  }

  private static List<String> ids() throws Exception {
    return mongo
        .findWithOptions(
            COLLECTION,
            new JsonObject(),
            new FindOptions().setFields(new JsonObject().put("_id", 1)))
        .await(5, TimeUnit.SECONDS)
        .stream()
        .map(d -> String.valueOf(d.getValue("_id")))
        .toList();
  }

  private static double counter(String table) {
    Counter c =
        Metrics.registry().find("tarifa.events.retention.deleted").tag("table", table).counter();
    return c == null ? 0 : c.count();
  }
}
