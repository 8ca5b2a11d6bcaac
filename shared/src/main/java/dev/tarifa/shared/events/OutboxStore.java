package dev.tarifa.shared.events;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Where a service's unsent events wait for the {@link OutboxRelay}: the PostgreSQL {@code outbox}
 * table ({@link PgOutboxStore}) or, for the reviews service, a MongoDB collection (implemented
 * there).
 */
public interface OutboxStore {
  /**
   * Claims up to {@code limit} unsent events, oldest first, and runs {@code work} on them; the
   * claim ends when the future {@code work} returns completes (PostgreSQL: one transaction with row
   * locks, committed when {@code work} succeeds, rolled back when it fails). Rows claimed by
   * another relay are skipped, so concurrent relays do not publish the same event in the normal
   * case. An empty batch is passed to {@code work} as well.
   */
  <T> Future<T> withUnsent(int limit, Function<Batch, Future<T>> work);

  /** The number of unsent events and the occurrence time of the oldest. */
  Future<Backlog> backlog();

  /** Claimed events; marks take effect when the claim ends successfully. */
  interface Batch {
    List<DomainEvent> events();

    /**
     * Records that these events were confirmed by the transport (they will not be fetched again).
     */
    Future<Void> markSent(List<UUID> ids);

    /** Records a failed attempt (attempt counter + 1, last error); the events stay unsent. */
    Future<Void> markFailed(List<UUID> ids, String error);
  }

  record Backlog(long count, Optional<Instant> oldest) {}
}
