package dev.tarifa.shared.events;

import io.vertx.core.Future;
import java.util.List;
import java.util.function.Function;

/**
 * Consumes events from a named queue bound to topic patterns ({@code *} matches one dot-separated
 * word, {@code #} zero or more; e.g. {@code *.offer.changed}).
 *
 * <p>Handler contract (both transports): the handler runs on the subscribing context; the message
 * is acknowledged only after the handler's future succeeds. A failed future (or a thrown exception)
 * schedules a redelivery after {@link EventsConfig#retryDelay} (so does a future not completed
 * within {@link EventsConfig#handlerTimeout}) for at most {@link EventsConfig#maxRetries} retries;
 * after that the event is parked in the queue's dead-letter queue {@code <queue>.dlq} (see {@link
 * DeadLetters}). Delivery is at-least-once: the same event may arrive more than once (reconnects,
 * relay retries), so handlers must be idempotent; {@link ProcessedEvents} helps. Order is not
 * guaranteed across retries. Subscribing several times to the same queue name (verticle instances,
 * replicas) shares its events among them.
 */
public interface EventSubscriber {
  default Future<Subscription> subscribe(
      String queue, List<String> bindingPatterns, Function<DomainEvent, Future<Void>> handler) {
    return subscribe(queue, bindingPatterns, handler, SubscribeOptions.DEFAULT);
  }

  /**
   * Declares the queue (idempotently) with its bindings, retry and dead-letter queues, and starts
   * consuming. The future succeeds once consuming started. With RabbitMQ it fails if the first
   * connection attempt fails (broker unreachable, or the queue exists with other arguments); the
   * subscription nevertheless keeps reconnecting with back-off until the transport is closed, and
   * after every reconnect it re-declares and resumes consuming. Unacknowledged deliveries of a lost
   * connection are redelivered by the broker.
   */
  Future<Subscription> subscribe(
      String queue,
      List<String> bindingPatterns,
      Function<DomainEvent, Future<Void>> handler,
      SubscribeOptions options);

  /** A running consumer. */
  interface Subscription {
    String queue();

    /**
     * Stops consuming; unacknowledged events are redelivered to other consumers of the queue.
     * Queues stay.
     */
    Future<Void> cancel();
  }
}
