package dev.tarifa.shared.events;

import io.vertx.core.Future;

/**
 * Publisher, subscriber and dead-letter administration over one transport: RabbitMQ ({@link
 * RabbitMqTransport}) or the Vert.x event bus ({@link EventBusTransport}). Pick one with {@link
 * EventTransports#fromEnv}.
 */
public interface EventTransport extends EventPublisher, EventSubscriber {
  DeadLetters deadLetters();

  /** Cancels subscriptions and closes connections. Idempotent. */
  Future<Void> close();
}
