package dev.tarifa.gateway.admin;

import dev.tarifa.shared.domain.DomainException;
import dev.tarifa.shared.domain.NotFound;
import dev.tarifa.shared.domain.Unavailable;
import dev.tarifa.shared.events.DeadLetters;
import dev.tarifa.shared.events.EventTransport;
import io.vertx.core.Future;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Operator access to the dead letters of a consumer's queue ({@code <queue>.dlq}, see {@link
 * DeadLetters}) through the gateway's event transport. Without a connected broker, or when the
 * broker fails the operation, every operation fails with {@link Unavailable}; replaying or
 * discarding a named dead letter that is not parked fails with {@link NotFound}.
 */
public final class DeadLetterAdmin {
  private final Supplier<EventTransport> transport;

  /**
   * @param transport the connected event transport, or null while there is none
   */
  public DeadLetterAdmin(Supplier<EventTransport> transport) {
    this.transport = transport;
  }

  /** Up to {@code limit} parked messages of {@code queue}. */
  public Future<DeadLetterList> list(String queue, int limit) {
    return with(d -> d.list(queue, limit).map(list -> new DeadLetterList(queue, list)));
  }

  /** Back to the work queue: the dead letter with {@code id}, or all when empty. */
  public Future<DeadLetterChange> replay(String queue, Optional<String> id) {
    return with(d -> changed(queue, id, true, d.replay(queue, id)));
  }

  /** Discarded: the dead letter with {@code id}, or all when empty. */
  public Future<DeadLetterChange> discard(String queue, Optional<String> id) {
    return with(d -> changed(queue, id, false, d.discard(queue, id)));
  }

  private static Future<DeadLetterChange> changed(
      String queue, Optional<String> id, boolean replayed, Future<Integer> count) {
    return count.compose(
        n ->
            id.isPresent() && n == 0
                ? Future.failedFuture(
                    new NotFound("no dead letter " + id.get() + " in " + queue + ".dlq"))
                : Future.succeededFuture(new DeadLetterChange(queue, replayed, n)));
  }

  private <T> Future<T> with(Function<DeadLetters, Future<T>> op) {
    EventTransport t = transport.get();
    if (t == null) return Future.failedFuture(new Unavailable("the event broker is not connected"));
    return op.apply(t.deadLetters())
        .recover(
            e ->
                Future.failedFuture(
                    e instanceof DomainException
                        ? e
                        : new Unavailable("dead letters unavailable: " + e.getMessage())));
  }
}
