package dev.tarifa.shared.events;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.UUID;

/**
 * Idempotency for consumers, keyed by event id.
 *
 * <p>In memory ({@link #inMemory}): a bounded set of recently processed ids (Caffeine, evicting the least
 * recently used beyond {@code maximumSize}), for handlers whose effect is itself in memory (cache eviction). Pass
 * it with {@link SubscribeOptions#withDedupe}; a duplicate older than the window is processed again.
 *
 * <p>In PostgreSQL ({@link #markProcessed}): a {@code processed_events} row inserted in the same transaction
 * as the handler's change (DDL in {@code db/processed_events.sql}, to copy into the service's migrations), so
 * the change and the "processed" mark commit or roll back together. Rows are never deleted by this class.
 */
public final class ProcessedEvents {
  /** DDL of the table used by {@link #markProcessed}. */
  public static final String DDL = """
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
   * Records that {@code consumer} processed {@code eventId} using {@code tx} (a connection inside the handler's
   * transaction). Succeeds with {@code true} the first time, {@code false} when already recorded (the handler
   * then skips its change and lets the transaction commit). The consumer name (usually the queue name) keeps
   * two consumers of the same event in one database independent.
   */
  public static Future<Boolean> markProcessed(SqlClient tx, String consumer, UUID eventId) {
    return tx.preparedQuery("INSERT INTO processed_events (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
      .execute(Tuple.of(consumer, eventId))
      .map(rows -> rows.rowCount() == 1);
  }
}
