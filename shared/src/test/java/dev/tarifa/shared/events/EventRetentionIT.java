package dev.tarifa.shared.events;

import static dev.tarifa.shared.events.EventsTesting.await;
import static dev.tarifa.shared.events.EventsTesting.unique;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tarifa.shared.db.Postgres;
import dev.tarifa.shared.metrics.Metrics;
import dev.tarifa.shared.testing.TestServers;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Retention of the outbox and processed_events tables against the real PostgreSQL. */
@ExtendWith(VertxExtension.class)
class EventRetentionIT {
  private static final Duration KEEP_SENT = Duration.ofDays(7);
  private static final Duration KEEP_MARKS = Duration.ofDays(14);

  private Pool pool;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    URI db = TestServers.freshPostgresDatabase("tarifa_events_retention_it");
    pool = Postgres.pool(vertx, db, 4);
    pool.query(resource("db/events/V2__outbox.sql")).execute().await(10, TimeUnit.SECONDS);
    pool.query(resource("db/outbox.sql")).execute().await(10, TimeUnit.SECONDS);
    pool.query(resource("db/processed_events.sql")).execute().await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (pool != null) pool.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void deletesExactlyTheExpiredRowsInBoundedBatches(Vertx vertx) throws Exception {
    // Outbox: sent 8 days ago (expired), sent 6 days ago and just now (kept), never sent though 30
    // days old (kept).
    List<UUID> oldSent = outbox(12, "now() - interval '8 days'", "now() - interval '8 days'");
    List<UUID> recentSent = outbox(3, "now() - interval '6 days'", "now() - interval '6 days'");
    List<UUID> justSent = outbox(2, "now()", "now()");
    List<UUID> oldUnsent = outbox(4, "now() - interval '30 days'", "NULL");
    pool.query(
            "UPDATE outbox SET attempts = 7, last_error = 'broker down' WHERE published_at IS NULL")
        .execute()
        .await(10, TimeUnit.SECONDS);
    // processed_events: 15 days old for two consumers (expired), 13 days old and new (kept).
    List<UUID> oldMarks = marks("hotels.ratings", 6, "now() - interval '15 days'");
    oldMarks.addAll(marks("cars.ratings", 5, "now() - interval '15 days'"));
    List<UUID> keptMarks = marks("hotels.ratings", 3, "now() - interval '13 days'");
    keptMarks.addAll(marks("cars.ratings", 2, "now()"));

    double outboxBefore = counter("outbox");
    double marksBefore = counter("processed_events");
    EventRetention retention = retention(vertx, unique("retention"), 5);
    // 12 rows in batches of 5: 5, 5, 2; 11 marks: 5, 5, 1.
    Map<String, Long> deleted = retention.runOnce().await(10, TimeUnit.SECONDS);

    assertThat(deleted)
        .containsExactly(Map.entry("outbox", 12L), Map.entry("processed_events", 11L));
    List<UUID> keptOutbox = new ArrayList<>(recentSent);
    keptOutbox.addAll(justSent);
    keptOutbox.addAll(oldUnsent);
    assertThat(ids("SELECT id FROM outbox"))
        .containsExactlyInAnyOrderElementsOf(keptOutbox)
        .doesNotContainAnyElementsOf(oldSent);
    assertThat(ids("SELECT event_id FROM processed_events"))
        .containsExactlyInAnyOrderElementsOf(keptMarks)
        .doesNotContainAnyElementsOf(oldMarks);
    // Unsent rows are untouched, failure records included.
    assertThat(
            scalar(
                "SELECT count(*) FROM outbox WHERE published_at IS NULL AND attempts = 7 AND last_error = 'broker down'"))
        .isEqualTo(4);
    assertThat(counter("outbox") - outboxBefore).isEqualTo(12);
    assertThat(counter("processed_events") - marksBefore).isEqualTo(11);

    // A second run finds nothing; an exact multiple of the batch size ends with an empty batch.
    assertThat(retention.runOnce().await(10, TimeUnit.SECONDS))
        .containsExactly(Map.entry("outbox", 0L), Map.entry("processed_events", 0L));
    outbox(10, "now() - interval '9 days'", "now() - interval '9 days'");
    assertThat(retention.runOnce().await(10, TimeUnit.SECONDS)).containsEntry("outbox", 10L);
    assertThat(ids("SELECT id FROM outbox")).containsExactlyInAnyOrderElementsOf(keptOutbox);
    retention.stop().await(10, TimeUnit.SECONDS);
  }

  @Test
  void rowsLockedByAnotherTransactionAreSkippedNotWaitedFor(Vertx vertx) throws Exception {
    List<UUID> old = outbox(6, "now() - interval '8 days'", "now() - interval '8 days'");
    List<UUID> locked = old.subList(0, 2);
    SqlConnection holder = pool.getConnection().await(10, TimeUnit.SECONDS);
    try {
      Transaction tx = holder.begin().await(10, TimeUnit.SECONDS);
      holder
          .preparedQuery("SELECT id FROM outbox WHERE id = ANY($1) FOR UPDATE")
          .execute(Tuple.of(locked.toArray(UUID[]::new)))
          .await(10, TimeUnit.SECONDS);
      EventRetention retention = retention(vertx, unique("retention"), 100);
      assertThat(retention.runOnce().await(10, TimeUnit.SECONDS)).containsEntry("outbox", 4L);
      assertThat(ids("SELECT id FROM outbox")).containsExactlyInAnyOrderElementsOf(locked);

      tx.commit().await(10, TimeUnit.SECONDS);
      assertThat(retention.runOnce().await(10, TimeUnit.SECONDS)).containsEntry("outbox", 2L);
      assertThat(scalar("SELECT count(*) FROM outbox")).isZero();
    } finally {
      holder.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void concurrentRunsFromSeveralInstancesDeleteEachRowOnce(Vertx vertx) throws Exception {
    outbox(1000, "now() - interval '8 days'", "now() - interval '8 days'");
    List<UUID> kept = outbox(5, "now()", "now()");
    // Different names, as in different processes: the per-process guard does not serialise them.
    EventRetention a = retention(vertx, unique("retention-a"), 40);
    EventRetention b = retention(vertx, unique("retention-b"), 40);
    EventRetention c = retention(vertx, unique("retention-c"), 40);
    var runs = List.of(a.runOnce(), b.runOnce(), c.runOnce());
    long total = 0;
    for (var run : runs) total += run.await(30, TimeUnit.SECONDS).get("outbox");
    // A run may stop early on a short batch caused by the others' locks; a last run takes what is
    // left.
    total += a.runOnce().await(30, TimeUnit.SECONDS).get("outbox");
    assertThat(total).isEqualTo(1000);
    assertThat(ids("SELECT id FROM outbox")).containsExactlyInAnyOrderElementsOf(kept);
  }

  @Test
  void theScheduleRunsPeriodicallyAndStopsWithTheTimer(Vertx vertx) throws Exception {
    EventRetention retention =
        new EventRetention(
                vertx,
                unique("retention"),
                List.of(
                    EventRetention.outbox(new PgOutboxStore(pool), KEEP_SENT),
                    EventRetention.processedEvents(pool, KEEP_MARKS)),
                Duration.ofMillis(200),
                Duration.ofMillis(50),
                100)
            .start();
    outbox(3, "now() - interval '8 days'", "now() - interval '8 days'");
    marks("hotels.ratings", 3, "now() - interval '15 days'");
    await(
        "the first run",
        Duration.ofSeconds(10),
        () ->
            scalar("SELECT count(*) FROM outbox") == 0
                && scalar("SELECT count(*) FROM processed_events") == 0);
    outbox(2, "now() - interval '8 days'", "now() - interval '8 days'");
    await("a later run", Duration.ofSeconds(10), () -> scalar("SELECT count(*) FROM outbox") == 0);

    retention.stop().await(10, TimeUnit.SECONDS);
    outbox(2, "now() - interval '8 days'", "now() - interval '8 days'");
    Thread.sleep(800);
    assertThat(scalar("SELECT count(*) FROM outbox")).isEqualTo(2);
    // Stopped: runOnce deletes nothing.
    assertThat(retention.runOnce().await(10, TimeUnit.SECONDS)).isEmpty();
  }

  @Test
  void theConfiguredPeriodsAreUsed(Vertx vertx) throws Exception {
    outbox(2, "now() - interval '3 hours'", "now() - interval '3 hours'");
    List<UUID> kept = outbox(1, "now() - interval '1 hour'", "now() - interval '1 hour'");
    marks("cars.ratings", 4, "now() - interval '3 days'");
    EventsConfig config =
        EventsConfig.defaults().withRetention(Duration.ofHours(2), Duration.ofDays(2));
    EventRetention retention = EventRetention.forPostgres(vertx, unique("retention"), pool, config);
    assertThat(retention.runOnce().await(10, TimeUnit.SECONDS))
        .containsExactly(Map.entry("outbox", 2L), Map.entry("processed_events", 4L));
    assertThat(ids("SELECT id FROM outbox")).containsExactlyElementsOf(kept);
  }

  private EventRetention retention(Vertx vertx, String name, int batchSize) {
    return new EventRetention(
        vertx,
        name,
        List.of(
            EventRetention.outbox(new PgOutboxStore(pool), KEEP_SENT),
            EventRetention.processedEvents(pool, KEEP_MARKS)),
        Duration.ofHours(1),
        Duration.ofHours(1),
        batchSize);
  }

  /** Inserts {@code n} outbox rows; the expressions are constants of this test, never input. */
  private List<UUID> outbox(int n, String occurredAt, String publishedAt) throws Exception {
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) ids.add(UUID.randomUUID());
    pool.preparedQuery(
            "INSERT INTO outbox (id, event_type, occurred_at, payload, published_at) "
                + "SELECT id, 'it.offer.changed', "
                + occurredAt
                + ", '{}'::jsonb, "
                + publishedAt
                + " FROM unnest($1::uuid[]) AS id")
        .execute(Tuple.of(ids.toArray(UUID[]::new)))
        .await(10, TimeUnit.SECONDS);
    return ids;
  }

  private List<UUID> marks(String consumer, int n, String processedAt) throws Exception {
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) ids.add(UUID.randomUUID());
    pool.preparedQuery(
            "INSERT INTO processed_events (consumer, event_id, processed_at) "
                + "SELECT $1, id, "
                + processedAt
                + " FROM unnest($2::uuid[]) AS id")
        .execute(Tuple.of(consumer, (Object) ids.toArray(UUID[]::new)))
        .await(10, TimeUnit.SECONDS);
    return ids;
  }

  private Set<UUID> ids(String sql) throws Exception {
    Set<UUID> out = new HashSet<>();
    for (Row r : pool.query(sql).execute().await(10, TimeUnit.SECONDS)) out.add(r.getUUID(0));
    return out;
  }

  private long scalar(String sql) {
    try {
      Row r = pool.query(sql).execute().await(10, TimeUnit.SECONDS).iterator().next();
      return ((Number) r.getValue(0)).longValue();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static double counter(String table) {
    Counter c =
        Metrics.registry().find("tarifa.events.retention.deleted").tag("table", table).counter();
    return c == null ? 0 : c.count();
  }

  private static String resource(String path) throws Exception {
    try (InputStream in = EventRetentionIT.class.getClassLoader().getResourceAsStream(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
