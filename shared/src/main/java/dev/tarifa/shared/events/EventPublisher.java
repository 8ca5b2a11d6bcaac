package dev.tarifa.shared.events;

import io.vertx.core.Future;
import java.util.List;

/**
 * Publishes {@link DomainEvent}s with the event type as routing key.
 *
 * <p>Guarantees: with RabbitMQ, the returned future succeeds only after the broker confirmed the
 * message (publisher confirms; persistent, {@code application/json}, message-id = event id), and
 * fails when the broker is unreachable, refuses the message or does not confirm in time. A failed
 * future means the event may or may not have been delivered; callers retry (the outbox relay does)
 * and consumers deduplicate by event id. An event whose routing key matches no binding is confirmed
 * and dropped. Over the event bus the future succeeds once the event is handed to the bus (in
 * memory: no durability).
 */
public interface EventPublisher {
  Future<Void> publish(DomainEvent event);

  /**
   * Publishes {@code events} in order and completes when all are confirmed; fails if any may not
   * have been (then, with RabbitMQ, any of them may still have been delivered).
   */
  default Future<Void> publishAll(List<DomainEvent> events) {
    return Future.all(events.stream().map(this::publish).toList()).mapEmpty();
  }

  /**
   * Succeeds when the transport can publish now (for a readiness check); fails naming the reason
   * otherwise.
   */
  Future<Void> ready();

  /**
   * Whether the transport is connected now, so a publish can succeed; while it is not, publishing
   * fails at once and the outbox relay waits for {@link #onConnected} instead of trying. Always
   * true without a connection to keep.
   */
  default boolean connected() {
    return true;
  }

  /**
   * Registers {@code listener}, run (on any thread) every time the transport's connection to the
   * broker is (re)established, so waiting publishers can go at once. Never run by transports
   * without a connection.
   */
  default void onConnected(Runnable listener) {}
}
