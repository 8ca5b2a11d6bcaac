package dev.tarifa.shared.events;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.rabbitmq.RabbitMQClient;
import io.vertx.rabbitmq.RabbitMQMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@link DeadLetters} over RabbitMQ: basic.get without auto-ack, then ack, or nack with requeue.
 */
final class RabbitDeadLetters implements DeadLetters {
  /**
   * Bound on messages held unacknowledged by one operation (replay/discard of "all" beyond it needs
   * repeats).
   */
  static final int MAX_PER_OPERATION = 10_000;

  private final AmqpConnection connection;
  private Future<?> tail = Future.succeededFuture();
  private boolean started;

  RabbitDeadLetters(AmqpConnection connection) {
    this.connection = connection;
  }

  /** Runs {@code op} after the previous operation, on a started connection. */
  synchronized <T> Future<T> withClient(Function<RabbitMQClient, Future<T>> op) {
    Promise<T> result = Promise.promise();
    Future<?> previous = tail;
    tail = result.future();
    previous.onComplete(
        ignored -> {
          Future<Void> ready;
          synchronized (this) {
            ready = started && connection.connected() ? Future.succeededFuture() : startOnce();
          }
          ready.compose(v -> connection.call(op)).onComplete(result);
        });
    return result.future();
  }

  private Future<Void> startOnce() {
    if (started)
      return Future.succeededFuture(); // reconnecting on its own; call() tells if it is up
    started = true;
    return connection.start();
  }

  @Override
  public Future<List<DeadLetter>> list(String queue, int limit) {
    return withClient(
        c ->
            take(c, queue + ".dlq", Math.min(limit, MAX_PER_OPERATION), new ArrayList<>())
                .compose(
                    messages ->
                        settle(c, messages, m -> false, m -> Future.succeededFuture())
                            .map(
                                n -> messages.stream().map(RabbitDeadLetters::describe).toList())));
  }

  @Override
  public Future<Integer> replay(String queue, Optional<String> messageId) {
    // Take until empty rather than trusting message_count, which may briefly miss messages just
    // requeued.
    return withClient(
        c ->
            take(c, queue + ".dlq", MAX_PER_OPERATION, new ArrayList<>())
                .compose(
                    messages ->
                        settle(
                            c,
                            messages,
                            m -> matches(m, messageId),
                            m ->
                                // A fresh retry budget; the copy is confirmed before the dead
                                // letter is removed.
                                c.basicPublish(
                                        "",
                                        queue,
                                        RabbitMqTransport.withAttempts(m.properties(), 0, ""),
                                        m.body())
                                    .compose(
                                        v ->
                                            c.waitForConfirms(
                                                RabbitMqTransport.CONFIRM_TIMEOUT_MS)))));
  }

  @Override
  public Future<Integer> discard(String queue, Optional<String> messageId) {
    // Take until empty rather than trusting message_count, which may briefly miss messages just
    // requeued.
    return withClient(
        c ->
            take(c, queue + ".dlq", MAX_PER_OPERATION, new ArrayList<>())
                .compose(
                    messages ->
                        settle(
                            c,
                            messages,
                            m -> matches(m, messageId),
                            m -> Future.succeededFuture())));
  }

  @Override
  public Future<Long> count(String queue) {
    return withClient(c -> c.messageCount(queue + ".dlq"));
  }

  Future<Void> close() {
    return connection.close();
  }

  private static boolean matches(RabbitMQMessage m, Optional<String> messageId) {
    return messageId.map(id -> id.equals(m.properties().getMessageId())).orElse(true);
  }

  private static Future<List<RabbitMQMessage>> take(
      RabbitMQClient c, String dlq, int limit, List<RabbitMQMessage> acc) {
    if (acc.size() >= limit) return Future.succeededFuture(acc);
    return c.basicGet(dlq, false)
        .compose(
            m -> {
              if (m == null) return Future.succeededFuture(acc);
              acc.add(m);
              return take(c, dlq, limit, acc);
            });
  }

  /**
   * For each taken message in order: selected ones get {@code action} then an ack, the others a
   * nack with requeue. A failed action nacks (requeues) that message and every later one, and fails
   * the operation.
   */
  private static Future<Integer> settle(
      RabbitMQClient c,
      List<RabbitMQMessage> messages,
      java.util.function.Predicate<RabbitMQMessage> selected,
      Function<RabbitMQMessage, Future<Void>> action) {
    Future<Integer> f = Future.succeededFuture(0);
    for (RabbitMQMessage m : messages) {
      long tag = m.envelope().getDeliveryTag();
      f =
          f.compose(
              n ->
                  selected.test(m)
                      ? action
                          .apply(m)
                          .compose(v -> c.basicAck(tag, false))
                          .map(v -> n + 1)
                          .recover(
                              e ->
                                  c.basicNack(tag, false, true)
                                      .transform(ar -> Future.<Integer>failedFuture(e)))
                      : c.basicNack(tag, false, true).map(v -> n),
              e -> c.basicNack(tag, false, true).transform(ar -> Future.<Integer>failedFuture(e)));
    }
    return f;
  }

  private static DeadLetter describe(RabbitMQMessage m) {
    JsonObject body;
    try {
      body = m.body().toJsonObject();
    } catch (RuntimeException e) {
      body = new JsonObject().put("raw", m.body().toString());
    }
    var headers = m.properties().getHeaders();
    Object error = headers == null ? null : headers.get(RabbitMqTransport.ERROR_HEADER);
    String id =
        m.properties().getMessageId() != null
            ? m.properties().getMessageId()
            : body.getString("id");
    String type =
        m.properties().getType() != null ? m.properties().getType() : body.getString("type");
    return new DeadLetter(
        id,
        type,
        RabbitMqTransport.attempts(m),
        error == null ? "rejected (unparseable or nacked)" : error.toString(),
        body);
  }
}
