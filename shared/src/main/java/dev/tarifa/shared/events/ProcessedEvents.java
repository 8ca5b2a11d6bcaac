package dev.tarifa.shared.events;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.UUID;

/**
 * Idempotency for consumers, keyed by event id.
 *
 * <p>In memory ({@link #inMemory}): a bounded set of recently processed ids (Caffeine, evicting the
 * least recently used beyond {@code maximumSize}), for handlers whose effect is itself in memory
 * (cache eviction). Pass it with {@link SubscribeOptions#withDedupe}; a duplicate older than the
 * window is processed again.
 *
 * <p>In PostgreSQL ({@link #markProcessed}): a {@code processed_events} row inserted in the same
 * transaction as the handler's change (DDL in {@code db/processed_events.sql}, to copy into the
 * service's migrations), so the change and the "processed" mark commit or roll back together. Marks
 * are kept for a bounded time only: {@link EventRetention} deletes them with {@link
 * #deleteOlderThan} once they are older than {@code TARIFA_PROCESSED_EVENTS_RETENTION} (14 days by
 * default), after which a duplicate of the event would be applied again.
 */
public final class ProcessedEvents {
  /** DDL of the table used by {@link #markProcessed}. */
  public static final String DDL =
      """
    CREATE TABLE IF NOT EXISTS processed_events (
      consumer     text        NOT NULL,
      event_id     uuid        NOT NULL,
      processed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (consumer, event_id)
    )""";

  private final Cache<UUID, Boolean> seen;

  private ProcessedEvents(long maximumSize) {
    this.seen = Caffeine.newBuilder().maximumSize(maximumSize).build();
  }

  /** A set of at most {@code maximumSize} ids. */
  public static ProcessedEvents inMemory(long maximumSize) {
    return new ProcessedEvents(maximumSize);
  }

  public boolean contains(UUID eventId) {
    return seen.getIfPresent(eventId) != null;
  }

  public void add(UUID eventId) {
    seen.put(eventId, Boolean.TRUE);
  }

  /**
   * Records that {@code consumer} processed {@code eventId} using {@code tx} (a connection inside
   * the handler's transaction). Succeeds with {@code true} the first time, {@code false} when
   * already recorded (the handler then skips its change and lets the transaction commit). The
   * consumer name (usually the queue name) keeps two consumers of the same event in one database
   * independent.
   */
  public static Future<Boolean> markProcessed(SqlClient tx, String consumer, UUID eventId) {
    return tx.preparedQuery(
            "INSERT INTO processed_events (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .execute(Tuple.of(consumer, eventId))
        .map(rows -> rows.rowCount() == 1);
  }

  /**
   * Deletes at most {@code limit} marks recorded more than {@code olderThan} ago (by the database
   * clock, which also stamped {@code processed_at}), for every consumer, in one statement and so
   * one short transaction; succeeds with the number deleted. Rows locked by another transaction are
   * skipped (see {@link PgOutboxStore#deleteSent}). Uses the {@code processed_events_processed_at}
   * index when the service's migrations have it.
   */
  public static Future<Integer> deleteOlderThan(SqlClient client, Duration olderThan, int limit) {
    return client
        .preparedQuery(
            "DELETE FROM processed_events WHERE ctid = ANY (ARRAY("
                + "SELECT ctid FROM processed_events WHERE processed_at < now() - $1::bigint * interval '1 millisecond' "
                + "LIMIT $2 FOR UPDATE SKIP LOCKED))")
        .execute(Tuple.of(olderThan.toMillis(), limit))
        .map(rows -> rows.rowCount());
  }
}
