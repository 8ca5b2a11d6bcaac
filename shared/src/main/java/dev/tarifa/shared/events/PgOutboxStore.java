package dev.tarifa.shared.events;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * The {@code outbox} table of a PostgreSQL service (DDL in {@code db/events/V2__outbox.sql} then
 * {@code db/outbox.sql}; rows written by {@link Outbox#append}). A batch is claimed with {@code
 * SELECT ... FOR UPDATE SKIP LOCKED} in a transaction that stays open while the batch is published
 * (bounded by the publisher's confirm timeout). Sent rows stay until {@link #deleteSent} removes
 * them ({@link EventRetention}).
 */
public final class PgOutboxStore implements OutboxStore {
  private final Pool pool;

  public PgOutboxStore(Pool pool) {
    this.pool = pool;
  }

  @Override
  public <T> Future<T> withUnsent(int limit, Function<Batch, Future<T>> work) {
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(
                    "SELECT id, event_type, occurred_at, tags, payload, traceparent FROM outbox WHERE published_at IS NULL "
                        + "ORDER BY occurred_at LIMIT $1 FOR UPDATE SKIP LOCKED")
                .execute(Tuple.of(limit))
                .compose(
                    rows -> {
                      List<DomainEvent> events = new ArrayList<>(rows.size());
                      for (Row r : rows) events.add(event(r));
                      return work.apply(new PgBatch(conn, List.copyOf(events)));
                    }));
  }

  @Override
  public Future<Backlog> backlog() {
    return pool.query(
            "SELECT count(*) AS n, min(occurred_at) AS oldest FROM outbox WHERE published_at IS NULL")
        .execute()
        .map(
            rows -> {
              Row r = rows.iterator().next();
              OffsetDateTime oldest = r.getOffsetDateTime("oldest");
              return new Backlog(
                  r.getLong("n"), Optional.ofNullable(oldest).map(OffsetDateTime::toInstant));
            });
  }

  /**
   * Deletes at most {@code limit} rows that were marked sent more than {@code olderThan} ago (by
   * the database clock, which also stamped {@code published_at}), in one statement and so one short
   * transaction; succeeds with the number deleted. Unsent rows are never deleted, whatever their
   * age. Rows locked by another transaction (another instance's deletion) are skipped, so
   * concurrent callers delete disjoint rows; a result below {@code limit} therefore means "nothing
   * left" only when no other deletion ran at the same time. Uses the {@code outbox_sent} index
   * ({@code V5__events_retention.sql}) when the service's migrations have it.
   */
  public Future<Integer> deleteSent(Duration olderThan, int limit) {
    return pool.preparedQuery(
            "DELETE FROM outbox WHERE ctid = ANY (ARRAY("
                + "SELECT ctid FROM outbox WHERE published_at < now() - $1::bigint * interval '1 millisecond' "
                + "LIMIT $2 FOR UPDATE SKIP LOCKED))")
        .execute(Tuple.of(olderThan.toMillis(), limit))
        .map(rows -> rows.rowCount());
  }

  private static DomainEvent event(Row r) {
    String[] tags = r.getArrayOfStrings("tags");
    return new DomainEvent(
        r.getUUID("id"),
        r.getString("event_type"),
        r.getOffsetDateTime("occurred_at").toInstant(),
        tags == null ? List.of() : Arrays.asList(tags),
        r.getJsonObject("payload"),
        r.getString("traceparent"));
  }

  private record PgBatch(SqlConnection conn, List<DomainEvent> events) implements Batch {
    @Override
    public Future<Void> markSent(List<UUID> ids) {
      if (ids.isEmpty()) return Future.succeededFuture();
      return conn.preparedQuery("UPDATE outbox SET published_at = now() WHERE id = ANY($1)")
          .execute(Tuple.of(ids.toArray(UUID[]::new)))
          .mapEmpty();
    }

    @Override
    public Future<Void> markFailed(List<UUID> ids, String error) {
      if (ids.isEmpty()) return Future.succeededFuture();
      return conn.preparedQuery(
              "UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = ANY($1)")
          .execute(
              Tuple.of(
                  ids.toArray(UUID[]::new),
                  error.length() > 1000 ? error.substring(0, 1000) : error))
          .mapEmpty();
    }
  }
}
