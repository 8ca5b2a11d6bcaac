package dev.tarifa.shared.events;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BasicProperties;
import dev.tarifa.shared.tracing.Tracing;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.rabbitmq.QueueOptions;
import io.vertx.rabbitmq.RabbitMQClient;
import io.vertx.rabbitmq.RabbitMQConsumer;
import io.vertx.rabbitmq.RabbitMQMessage;
import java.net.URI;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RabbitMQ transport.
 *
 * <p>Topology, declared idempotently whenever a connection is (re)established:
 *
 * <ul>
 *   <li>{@value #EXCHANGE}: durable topic exchange; events are published to it with the event type
 *       as routing key
 *   <li>{@value #DLX}: durable direct exchange used for broker-side dead-lettering
 *   <li>per subscription {@code <queue>}: bound to {@value #EXCHANGE} with the binding patterns and
 *       to {@value #DLX} with key {@code <queue>}; rejected messages dead-letter to {@code
 *       <queue>.dlq}
 *   <li>{@code <queue>.retry.<ms>}: one per distinct retry delay; per-queue TTL, dead-letter back
 *       to {@code <queue>} through {@value #DLX}
 *   <li>{@code <queue>.dlq}: parked messages, see {@link DeadLetters}
 * </ul>
 *
 * A failed delivery is copied (with confirm) to the retry queue of its attempt, with headers
 * {@value #ATTEMPTS_HEADER} and {@value #ERROR_HEADER}, and only then acknowledged; after {@link
 * EventsConfig#maxRetries} retries it is copied to {@code <queue>.dlq} instead. Queue arguments are
 * part of the queue's identity in RabbitMQ: changing the ephemeral setting of an existing queue
 * needs the queue deleted ({@link #deleteQueues}). Retry queue names carry their delay, so changing
 * delays just adds queues.
 *
 * <p>Tracing: publishing a traced event is a producer span whose context travels in the AMQP header
 * {@code traceparent} (kept on retries); each delivery's handling is a consumer span, its child
 * (see {@link EventTracing}).
 *
 * <p>Connections: one for publishing (confirm mode), one per subscription, one for dead-letter
 * administration (opened on first use). Each reconnects on its own with back-off; subscriptions
 * check their queue (or declare it again) and resume. Each connection's calls run on a context of
 * its own ({@link AmqpConnection}); deliveries are handled on the subscriber's context. A process's
 * connections to one broker open one at a time ({@link AmqpOpenings}): publishers and ephemeral (a
 * replica's own) queues' consumers first, durable queues' consumers next, dead-letter
 * administration last.
 */
public final class RabbitMqTransport implements EventTransport {
  public static final String EXCHANGE = "tarifa.events";
  public static final String DLX = "tarifa.events.dlx";
  public static final String ATTEMPTS_HEADER = "x-tarifa-attempts";
  public static final String ERROR_HEADER = "x-tarifa-last-error";
  static final long CONFIRM_TIMEOUT_MS = 10_000;

  private static final Logger log = LoggerFactory.getLogger(RabbitMqTransport.class);

  private final Vertx vertx;
  private final URI url;
  private final EventsConfig config;
  private final String name;
  private final AmqpConnection publisher;

  /** The publisher's first connection attempt, once started (by {@link #start} or a publish). */
  private Future<Void> publisherStarted;

  private final List<RabbitSubscription> subscriptions = new CopyOnWriteArrayList<>();
  private final RabbitDeadLetters deadLetters;
  private final EventTracing tracing;

  private RabbitMqTransport(Vertx vertx, URI url, EventsConfig config, String name) {
    this.vertx = vertx;
    this.tracing = new EventTracing(Tracing.of(vertx), "rabbitmq");
    this.url = url;
    this.config = config;
    this.name = name;
    this.publisher =
        connection(
            "publisher",
            AmqpOpenings.Urgency.URGENT,
            c -> Future.all(declareExchanges(c), c.confirmSelect()).mapEmpty());
    this.deadLetters =
        new RabbitDeadLetters(
            connection("dead-letters", AmqpOpenings.Urgency.LOW, c -> c.confirmSelect()));
  }

  /**
   * A transport for {@code url} (connections are opened by {@link #start}); {@code name} labels
   * connections.
   */
  public static RabbitMqTransport create(Vertx vertx, URI url, EventsConfig config, String name) {
    return new RabbitMqTransport(vertx, url, config, name);
  }

  /**
   * Opens the publisher connection. Completes after the first attempt whatever its outcome: a
   * broker that is down at start-up is retried in the background, {@link #ready()} tells the state.
   * A transport that only subscribes need not be started: its publisher then opens on the first
   * publish, and {@link #ready()} tells its subscriptions' state.
   */
  public Future<RabbitMqTransport> start() {
    return startPublisher()
        .otherwise(
            e -> {
              log.warn(
                  "events: RabbitMQ not reachable at start-up ({}); publishing fails until it is",
                  e.getMessage());
              return null;
            })
        .map(this);
  }

  private synchronized Future<Void> startPublisher() {
    if (publisherStarted == null) publisherStarted = publisher.start();
    return publisherStarted;
  }

  private AmqpConnection connection(
      String role, AmqpOpenings.Urgency urgency, Function<RabbitMQClient, Future<Void>> onConnect) {
    return new AmqpConnection(
        vertx,
        url,
        name + "-" + role,
        urgency,
        config.reconnectMin(),
        config.reconnectMax(),
        onConnect);
  }

  @Override
  public Future<Void> publish(DomainEvent event) {
    return publishAll(List.of(event));
  }

  /** Publishes in order, then waits once for the broker's confirms of all of them. */
  @Override
  public Future<Void> publishAll(List<DomainEvent> events) {
    if (events.isEmpty()) return Future.succeededFuture();
    List<Span> spans = new ArrayList<>();
    List<String> traceparents = new ArrayList<>(events.size());
    for (DomainEvent e : events) {
      Span span = tracing.publish(e, EXCHANGE);
      if (span != null) spans.add(span);
      traceparents.add(EventTracing.traceparent(span));
    }
    Future<Void> sent =
        startPublisher()
            .transform(
                first ->
                    publisher.call(
                        c -> {
                          List<Future<Void>> sends = new ArrayList<>(events.size());
                          for (int i = 0; i < events.size(); i++) {
                            DomainEvent e = events.get(i);
                            sends.add(
                                c.basicPublish(
                                    EXCHANGE,
                                    e.type(),
                                    properties(e, traceparents.get(i)),
                                    e.toJson().toBuffer()));
                          }
                          return Future.all(sends)
                              .compose(v -> c.waitForConfirms(CONFIRM_TIMEOUT_MS));
                        }));
    return EventTracing.endAllWith(spans, sent)
        .onSuccess(v -> events.forEach(e -> EventMetrics.published(e.type())))
        .onFailure(e -> events.forEach(x -> EventMetrics.publishFailed()));
  }

  /**
   * Publishing is possible now; or, for a transport whose publisher was never started (one that
   * only subscribes), every subscription is consuming. Fails naming the reason otherwise.
   */
  @Override
  public Future<Void> ready() {
    synchronized (this) {
      if (publisherStarted != null) return publisher.available();
    }
    if (subscriptions.isEmpty())
      return Future.failedFuture(new IllegalStateException("RabbitMQ (" + name + "): not started"));
    for (RabbitSubscription s : subscriptions) {
      Future<Void> up = s.connection.available();
      if (up.failed()) return up;
    }
    return Future.succeededFuture();
  }

  @Override
  public boolean connected() {
    return publisher.connected();
  }

  @Override
  public void onConnected(Runnable listener) {
    publisher.onConnected(listener);
  }

  @Override
  public Future<Subscription> subscribe(
      String queue,
      List<String> bindingPatterns,
      Function<DomainEvent, Future<Void>> handler,
      SubscribeOptions options) {
    RabbitSubscription s =
        new RabbitSubscription(queue, List.copyOf(bindingPatterns), handler, options);
    subscriptions.add(s);
    return s.connection.start().map(s);
  }

  @Override
  public DeadLetters deadLetters() {
    return deadLetters;
  }

  /**
   * Deletes {@code queue}, its retry queues (for the configured delays) and its dead-letter queue,
   * with their messages. For tests and decommissioning; subscriptions on it should be cancelled
   * first.
   */
  public Future<Void> deleteQueues(String queue) {
    return deadLetters.withClient(
        c -> {
          List<Future<?>> all = new ArrayList<>();
          all.add(c.queueDelete(queue));
          all.add(c.queueDelete(queue + ".dlq"));
          for (long ms : retryDelaysMs()) all.add(c.queueDelete(retryQueue(queue, ms)));
          return Future.all(all).mapEmpty();
        });
  }

  @Override
  public Future<Void> close() {
    List<Future<Void>> all = new ArrayList<>();
    subscriptions.forEach(s -> all.add(s.cancel()));
    all.add(publisher.close());
    all.add(deadLetters.close());
    return Future.join(all).mapEmpty();
  }

  static BasicProperties properties(DomainEvent e) {
    return properties(e, null);
  }

  /** The message properties of {@code e}, with header {@code traceparent} when not null. */
  static BasicProperties properties(DomainEvent e, String traceparent) {
    AMQP.BasicProperties.Builder b =
        new AMQP.BasicProperties.Builder()
            .contentType("application/json")
            .deliveryMode(2)
            .messageId(e.id().toString())
            .type(e.type())
            .timestamp(Date.from(e.occurredAt()));
    if (traceparent != null) b.headers(Map.of(EventTracing.HEADER, traceparent));
    return b.build();
  }

  static Future<Void> declareExchanges(RabbitMQClient c) {
    return Future.all(
            c.exchangeDeclare(EXCHANGE, "topic", true, false),
            c.exchangeDeclare(DLX, "direct", true, false))
        .mapEmpty();
  }

  static String retryQueue(String queue, long delayMs) {
    return queue + ".retry." + delayMs + "ms";
  }

  private Set<Long> retryDelaysMs() {
    Set<Long> out = new LinkedHashSet<>();
    for (int i = 1; i <= config.maxRetries(); i++) out.add(config.retryDelay(i).toMillis());
    return out;
  }

  /**
   * Declares {@code queue}, its dead-letter queue, retry queues and bindings. The calls are issued
   * at once, not one after the other: the client runs one context's channel calls in order on a
   * worker thread (so a binding still follows its queue), and a reconnecting consumer then waits
   * one broker round trip per call, not one event-loop turn as well.
   */
  private Future<Void> declareQueues(
      RabbitMQClient c, String queue, List<String> patterns, SubscribeOptions options) {
    // Durable even when ephemeral (a replica's own queue, expiring once unused): a broker restart
    // must not drop the queue and the invalidations published to it while its replica reconnects.
    boolean durable = true;
    JsonObject work =
        expiring(
            options,
            new JsonObject()
                .put("x-dead-letter-exchange", DLX)
                .put("x-dead-letter-routing-key", queue + ".dlq"),
            0);
    List<Future<?>> calls = new ArrayList<>();
    calls.add(declareExchanges(c));
    calls.add(c.queueDeclare(queue, durable, false, false, work));
    calls.add(c.queueBind(queue, DLX, queue));
    calls.add(declareDeadLetterQueue(c, queue, options));
    calls.add(c.queueBind(queue + ".dlq", DLX, queue + ".dlq"));
    for (String p : patterns) calls.add(c.queueBind(queue, EXCHANGE, p));
    for (long ms : retryDelaysMs()) calls.add(declareRetryQueue(c, queue, ms, options));
    return Future.all(calls).mapEmpty();
  }

  private Future<Void> declareRetryQueue(
      RabbitMQClient c, String queue, long delayMs, SubscribeOptions options) {
    JsonObject args =
        new JsonObject()
            .put("x-message-ttl", delayMs)
            .put("x-dead-letter-exchange", DLX)
            .put("x-dead-letter-routing-key", queue);
    return c.queueDeclare(
            retryQueue(queue, delayMs), true, false, false, expiring(options, args, delayMs))
        .mapEmpty();
  }

  private Future<Void> declareDeadLetterQueue(
      RabbitMQClient c, String queue, SubscribeOptions options) {
    return c.queueDeclare(
            queue + ".dlq", true, false, false, expiring(options, new JsonObject(), 0))
        .mapEmpty();
  }

  private static JsonObject expiring(SubscribeOptions options, JsonObject args, long minMs) {
    // A retry queue must outlive the messages waiting in it (publishing does not count as use).
    options
        .ephemeral()
        .ifPresent(d -> args.put("x-expires", Math.max(d.toMillis(), 2 * minMs + 1000)));
    return args;
  }

  private final class RabbitSubscription implements Subscription {
    private final String queue;
    private final Function<DomainEvent, Future<Void>> handler;
    private final SubscribeOptions options;
    private final AmqpConnection connection;
    private final Timer timer;

    /** The topology was declared on an earlier connection. Connection's context only. */
    private boolean declared;

    /** The client whose channel is in confirm mode. Connection's context only. */
    private RabbitMQClient confirming;

    RabbitSubscription(
        String queue,
        List<String> patterns,
        Function<DomainEvent, Future<Void>> handler,
        SubscribeOptions options) {
      this.queue = queue;
      this.handler = handler;
      this.options = options;
      this.timer = EventMetrics.processing(queue);
      int prefetch = options.prefetch() > 0 ? options.prefetch() : config.prefetch();
      // A replica's own queue keeps its in-memory state fresh: it reconnects among the first.
      this.connection =
          connection(
              "consumer-" + queue,
              options.ephemeral().isPresent()
                  ? AmqpOpenings.Urgency.URGENT
                  : AmqpOpenings.Urgency.NORMAL,
              c -> consume(c, patterns, prefetch));
    }

    /**
     * Declares the topology on the first connection only: the queues and bindings are durable, so
     * after a lost connection or a broker restart they are still there and the consumer only has to
     * check its queue and consume again, which saves a reconnecting process a dozen broker calls
     * per queue. Should the queue be gone (a new broker, an ephemeral queue expired while its
     * replica was cut off), the check fails and the next attempt declares everything again.
     */
    private Future<Void> consume(RabbitMQClient c, List<String> patterns, int prefetch) {
      // The client reports consuming from a missing queue as a success (and loses the channel),
      // so a passive declaration checks the queue is there.
      Future<Void> topology =
          declared ? c.messageCount(queue).mapEmpty() : declareQueues(c, queue, patterns, options);
      // issued at once: the client runs them in order, so the consumer starts after the topology;
      // confirm mode waits for the first failed delivery to move (moveAndAck)
      Future<Void> qos = c.basicQos(prefetch);
      Future<RabbitMQConsumer> consumer =
          c.basicConsumer(queue, new QueueOptions().setAutoAck(false));
      return Future.all(topology, qos, consumer)
          .<Void>map(
              v -> {
                consumer.result().handler(m -> onMessage(c, m));
                declared = true;
                return null;
              })
          .onFailure(e -> declared = false);
    }

    @Override
    public String queue() {
      return queue;
    }

    @Override
    public Future<Void> cancel() {
      subscriptions.remove(this);
      return connection.close();
    }

    /**
     * A delivery, on the connection's context: parsed and checked for a duplicate there; the
     * handler runs on the subscriber's context; the outcome is settled on the channel it came from.
     */
    private void onMessage(RabbitMQClient c, RabbitMQMessage m) {
      long tag = m.envelope().getDeliveryTag();
      DomainEvent event;
      try {
        event = DomainEvent.fromJson(m.body().toJsonObject());
      } catch (RuntimeException e) {
        log.warn(
            "events: unparseable message {} on {} dead-lettered: {}",
            m.properties().getMessageId(),
            queue,
            e.getMessage());
        c.basicNack(tag, false, false)
            .onSuccess(v -> EventMetrics.consumed(queue, "dead_lettered"));
        return;
      }
      connection.onCreatingContext(() -> handle(c, m, tag, event));
    }

    /**
     * Subscriber's context, in delivery order: the duplicate check is made here, where the handlers
     * of the deliveries before have run, so a duplicate right behind its original is seen as one
     * once the original's handler succeeded.
     */
    private void handle(RabbitMQClient c, RabbitMQMessage m, long tag, DomainEvent event) {
      if (options.dedupe().map(d -> d.contains(event.id())).orElse(false)) {
        connection
            .run(() -> c.basicAck(tag, false))
            .onSuccess(v -> EventMetrics.consumed(queue, "duplicate"));
        return;
      }
      Timer.Sample sample = Timer.start(EventMetrics.registry());
      Future<Void> result =
          tracing.process(
              queue,
              event,
              traceparent(m),
              () -> HandlerInvocation.invoke(handler, event, config.handlerTimeout()));
      result.onComplete(
          ar -> {
            sample.stop(timer);
            if (ar.succeeded()) {
              options.dedupe().ifPresent(d -> d.add(event.id()));
              connection
                  .run(() -> c.basicAck(tag, false))
                  .onSuccess(v -> EventMetrics.consumed(queue, "ok"));
              return;
            }
            int failures = attempts(m) + 1;
            boolean retry = failures <= config.maxRetries();
            long delayMs = retry ? config.retryDelay(failures).toMillis() : 0;
            String target = retry ? retryQueue(queue, delayMs) : queue + ".dlq";
            String error = String.valueOf(ar.cause().getMessage());
            if (retry)
              log.debug(
                  "events: {} on {} failed (attempt {}), retrying: {}",
                  event.id(),
                  queue,
                  failures,
                  error);
            else
              log.warn(
                  "events: {} ({}) on {} failed {} times, parked in {}.dlq: {}",
                  event.id(),
                  event.type(),
                  queue,
                  failures,
                  queue,
                  error);
            connection
                .run(() -> moveAndAck(c, m, tag, retry, delayMs, target, failures, error))
                .onSuccess(v -> EventMetrics.consumed(queue, retry ? "retried" : "dead_lettered"))
                // Not acknowledged: the broker redelivers it after the reconnect.
                .onFailure(
                    e ->
                        log.warn(
                            "events: could not move {} to {}: {}",
                            event.id(),
                            target,
                            e.getMessage()));
          });
    }

    /** Connection's context: copies a failed delivery to {@code target}, then acknowledges it. */
    private Future<Void> moveAndAck(
        RabbitMQClient c,
        RabbitMQMessage m,
        long tag,
        boolean retry,
        long delayMs,
        String target,
        int failures,
        String error) {
      // An ephemeral queue's retry and dead-letter queues expire once unused, and a publish does
      // not count as use: unless declared again first, a failure long after the last connection
      // would be published to no queue, and the event lost.
      Future<Void> targetExists =
          options.ephemeral().isEmpty()
              ? Future.succeededFuture()
              : retry
                  ? declareRetryQueue(c, queue, delayMs, options)
                  : declareDeadLetterQueue(c, queue, options);
      Future<Void> confirms =
          confirming == c
              ? Future.succeededFuture()
              : c.confirmSelect().onSuccess(v -> confirming = c);
      return Future.all(confirms, targetExists)
          .compose(
              v ->
                  c.basicPublish(
                      "", target, withAttempts(m.properties(), failures, error), m.body()))
          .compose(v -> c.waitForConfirms(CONFIRM_TIMEOUT_MS))
          .compose(v -> c.basicAck(tag, false));
    }
  }

  /** The {@code traceparent} header of {@code m} (a string or the client's LongString), or null. */
  static String traceparent(RabbitMQMessage m) {
    Map<String, Object> headers = m.properties().getHeaders();
    Object v = headers == null ? null : headers.get(EventTracing.HEADER);
    return v == null ? null : v.toString();
  }

  static int attempts(RabbitMQMessage m) {
    Map<String, Object> headers = m.properties().getHeaders();
    Object v = headers == null ? null : headers.get(ATTEMPTS_HEADER);
    if (v instanceof Number n) return n.intValue();
    if (v != null) {
      try {
        return Integer.parseInt(v.toString());
      } catch (NumberFormatException ignored) {
        return 0;
      }
    }
    return 0;
  }

  static BasicProperties withAttempts(BasicProperties p, int attempts, String error) {
    Map<String, Object> headers =
        p.getHeaders() == null ? new HashMap<>() : new HashMap<>(p.getHeaders());
    headers.remove("x-death"); // broker bookkeeping of earlier TTL hops; not ours to carry around
    if (attempts > 0) {
      headers.put(ATTEMPTS_HEADER, attempts);
      headers.put(ERROR_HEADER, error.length() > 500 ? error.substring(0, 500) : error);
    } else {
      headers.remove(ATTEMPTS_HEADER);
      headers.remove(ERROR_HEADER);
    }
    return new AMQP.BasicProperties.Builder()
        .contentType(p.getContentType() == null ? "application/json" : p.getContentType())
        .deliveryMode(2)
        .messageId(p.getMessageId())
        .type(p.getType())
        .timestamp(p.getTimestamp())
        .headers(headers)
        .build();
  }
}
