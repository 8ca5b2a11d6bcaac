package dev.tarifa.shared.events;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.ZoneOffset;

/**
 * The transactional outbox of a PostgreSQL service. {@link #append} writes the event row with the
 * client of the transaction that makes the change, so the event exists if and only if the change
 * committed; a relay publishes unsent rows later. Every PostgreSQL service has the {@code outbox}
 * table: this module's {@code db/events/V2__outbox.sql}, which every service migrates with its own
 * ({@link dev.tarifa.shared.launch.ServiceFrame#prepareDatabase}), then {@code db/outbox.sql} for
 * what the services' later migrations added ({@code traceparent} since their {@code
 * V6__outbox_traceparent.sql}).
 */
public final class Outbox {
  private Outbox() {}

  /**
   * Appends {@code event} using {@code tx} (a connection inside the caller's transaction), with its
   * trace context ({@link DomainEvent#traceparent()}, column {@code traceparent}) so the relay's
   * publication joins the write's trace.
   */
  public static Future<Void> append(SqlClient tx, DomainEvent event) {
    return tx.preparedQuery(
            "INSERT INTO outbox (id, event_type, occurred_at, tags, payload, traceparent) VALUES ($1, $2, $3, $4, $5, $6)")
        .execute(
            Tuple.of(
                event.id(),
                event.type(),
                event.occurredAt().atOffset(ZoneOffset.UTC),
                event.tags().toArray(String[]::new),
                event.payload(),
                event.traceparent()))
        .mapEmpty();
  }
}
