package dev.tarifa.shared.events;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;

/**
 * Operator access to a consumer's dead-letter queue {@code <queue>.dlq}: events whose handler kept
 * failing after all retries (or whose body could not be parsed). Operations on one transport are
 * serialised.
 *
 * <p>With RabbitMQ, {@link #list} takes messages with {@code basic.get} and returns them with
 * {@code basic.nack(requeue)}: nothing is lost, a message being listed is briefly invisible to
 * another operator call, and order may change. {@link #replay} republishes (with confirm) to the
 * work queue and only then removes the dead letter, so a failure leaves it parked; a replayed event
 * starts with a fresh retry budget.
 */
public interface DeadLetters {
  /** Up to {@code limit} parked messages, oldest first (best effort). */
  Future<List<DeadLetter>> list(String queue, int limit);

  /**
   * Puts the message with this id back on the work queue (all parked messages when empty); the
   * count moved.
   */
  Future<Integer> replay(String queue, Optional<String> messageId);

  /** Deletes the message with this id (all when empty); the count removed. */
  Future<Integer> discard(String queue, Optional<String> messageId);

  /**
   * Number of parked messages; with RabbitMQ the broker's message count, which may lag briefly
   * after an operation.
   */
  Future<Long> count(String queue);

  /**
   * One parked message.
   *
   * @param messageId the event id (or the AMQP message id of an unparseable message)
   * @param type the routing key it was published with
   * @param attempts how many times the handler failed
   * @param lastError the last handler failure, or why it was parked
   * @param body the message body (the event JSON), or {@code {"raw": "..."}} when it is not JSON
   */
  record DeadLetter(
      String messageId, String type, int attempts, String lastError, JsonObject body) {
    public JsonObject toJson() {
      return new JsonObject()
          .put("messageId", messageId)
          .put("type", type)
          .put("attempts", attempts)
          .put("lastError", lastError)
          .put("body", body);
    }
  }
}
