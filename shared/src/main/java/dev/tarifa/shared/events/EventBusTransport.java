package dev.tarifa.shared.events;

import dev.tarifa.shared.tracing.Tracing;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.tracing.TracingPolicy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded transport over the Vert.x event bus of one Vert.x instance (no broker).
 *
 * <p>Queues are emulated: {@link #subscribe} records the queue's binding patterns in a local map
 * and consumes from address {@value #ADDRESS_PREFIX}{@code <queue>}; {@link #publish} sends the
 * event (point to point) to every queue whose patterns match its type, so consumers of one queue
 * share its events (round robin) and different queues each get a copy. The handler contract is the
 * same as with RabbitMQ: retries after the configured delays (timers in the consumer), then parking
 * in an in-memory dead-letter queue of at most {@value #MAX_DEAD_LETTERS} entries per queue (beyond
 * that further dead letters are dropped with a warning). Everything is in memory: events in flight,
 * pending retries and dead letters are lost when the process stops, and an event published before
 * any subscription to its queue exists is not delivered to it.
 *
 * <p>Tracing: publishing a traced event is a producer span whose context travels in the message
 * header {@code traceparent}; each queue's handling is a consumer span, its child (see {@link
 * EventTracing}). Vert.x's own event-bus spans are turned off for these messages, so both
 * transports trace alike.
 */
public final class EventBusTransport implements EventTransport {
  public static final String ADDRESS_PREFIX = "tarifa.events.q.";
  static final int MAX_DEAD_LETTERS = 10_000;
  private static final String BINDINGS = "tarifa.events.bindings";
  private static final Logger log = LoggerFactory.getLogger(EventBusTransport.class);

  private final Vertx vertx;
  private final EventsConfig config;
  private final List<BusSubscription> subscriptions = new CopyOnWriteArrayList<>();
  private final BusDeadLetters deadLetters = new BusDeadLetters();
  private final EventTracing tracing;

  public EventBusTransport(Vertx vertx, EventsConfig config) {
    this.vertx = vertx;
    this.config = config;
    this.tracing = new EventTracing(Tracing.of(vertx), "vertx-eventbus");
  }

  private LocalMap<String, JsonArray> bindings() {
    return vertx.sharedData().getLocalMap(BINDINGS);
  }

  private LocalMap<String, JsonObject> dlq(String queue) {
    return vertx.sharedData().getLocalMap("tarifa.events.dlq." + queue);
  }

  @Override
  public Future<Void> publish(DomainEvent event) {
    JsonObject body = event.toJson();
    Span span = tracing.publish(event, "tarifa.events");
    DeliveryOptions options = new DeliveryOptions().setTracingPolicy(TracingPolicy.IGNORE);
    EventTracing.inject(span, options::addHeader);
    for (Map.Entry<String, JsonArray> b : bindings().entrySet()) {
      if (b.getValue().stream().anyMatch(p -> Topics.matches(p.toString(), event.type()))) {
        vertx.eventBus().send(ADDRESS_PREFIX + b.getKey(), body, options);
      }
    }
    if (span != null) span.end();
    EventMetrics.published(event.type());
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> ready() {
    return Future.succeededFuture();
  }

  @Override
  public Future<Subscription> subscribe(
      String queue,
      List<String> bindingPatterns,
      Function<DomainEvent, Future<Void>> handler,
      SubscribeOptions options) {
    // Like a queue declaration: bindings accumulate, the first declaration's set plus later
    // additions.
    JsonArray merged = bindings().getOrDefault(queue, new JsonArray()).copy();
    for (String p : bindingPatterns) if (!merged.contains(p)) merged.add(p);
    bindings().put(queue, merged);
    BusSubscription s = new BusSubscription(queue, handler, options);
    subscriptions.add(s);
    return s.consumer.completion().map(s);
  }

  @Override
  public DeadLetters deadLetters() {
    return deadLetters;
  }

  @Override
  public Future<Void> close() {
    List<Future<Void>> all = new ArrayList<>();
    subscriptions.forEach(s -> all.add(s.cancel()));
    return Future.join(all).mapEmpty();
  }

  private final class BusSubscription implements Subscription {
    private final String queue;
    private final Function<DomainEvent, Future<Void>> handler;
    private final SubscribeOptions options;
    private final MessageConsumer<JsonObject> consumer;
    private final Timer timer;
    private volatile boolean cancelled;

    BusSubscription(
        String queue, Function<DomainEvent, Future<Void>> handler, SubscribeOptions options) {
      this.queue = queue;
      this.handler = handler;
      this.options = options;
      this.timer = EventMetrics.processing(queue);
      this.consumer =
          vertx
              .eventBus()
              .<JsonObject>consumer(
                  ADDRESS_PREFIX + queue, m -> deliver(m.body(), traceparent(m), 0));
    }

    @Override
    public String queue() {
      return queue;
    }

    @Override
    public Future<Void> cancel() {
      cancelled = true;
      subscriptions.remove(this);
      return consumer.unregister();
    }

    private static String traceparent(Message<JsonObject> m) {
      return m.headers().isEmpty() ? null : m.headers().get(EventTracing.HEADER);
    }

    private void deliver(JsonObject body, String traceparent, int failures) {
      if (cancelled) return;
      DomainEvent event;
      try {
        event = DomainEvent.fromJson(body);
      } catch (RuntimeException e) {
        park(body, 0, "unparseable: " + e.getMessage());
        EventMetrics.consumed(queue, "dead_lettered");
        return;
      }
      if (options.dedupe().map(d -> d.contains(event.id())).orElse(false)) {
        EventMetrics.consumed(queue, "duplicate");
        return;
      }
      Timer.Sample sample = Timer.start(EventMetrics.registry());
      Future<Void> result =
          tracing.process(
              queue,
              event,
              traceparent,
              () -> HandlerInvocation.invoke(handler, event, config.handlerTimeout()));
      result.onComplete(
          ar -> {
            sample.stop(timer);
            if (ar.succeeded()) {
              options.dedupe().ifPresent(d -> d.add(event.id()));
              EventMetrics.consumed(queue, "ok");
              return;
            }
            int attempts = failures + 1;
            if (attempts <= config.maxRetries()) {
              EventMetrics.consumed(queue, "retried");
              vertx.setTimer(
                  Math.max(1, config.retryDelay(attempts).toMillis()),
                  t -> deliver(body, traceparent, attempts));
            } else {
              log.warn(
                  "events: {} ({}) on {} failed {} times, parked: {}",
                  event.id(),
                  event.type(),
                  queue,
                  attempts,
                  ar.cause().getMessage());
              park(body, attempts, String.valueOf(ar.cause().getMessage()));
              EventMetrics.consumed(queue, "dead_lettered");
            }
          });
    }

    private void park(JsonObject body, int attempts, String error) {
      LocalMap<String, JsonObject> dlq = dlq(queue);
      if (dlq.size() >= MAX_DEAD_LETTERS) {
        log.warn("events: dead-letter queue {}.dlq full, dropping {}", queue, body.getString("id"));
        return;
      }
      String id = body.getString("id", java.util.UUID.randomUUID().toString());
      dlq.put(
          id,
          new JsonObject()
              .put("body", body)
              .put("attempts", attempts)
              .put("lastError", error)
              .put("parkedAt", System.nanoTime()));
    }
  }

  private final class BusDeadLetters implements DeadLetters {
    private List<Map.Entry<String, JsonObject>> sorted(String queue) {
      List<Map.Entry<String, JsonObject>> all = new ArrayList<>(dlq(queue).entrySet());
      all.sort(Comparator.comparingLong(e -> e.getValue().getLong("parkedAt")));
      return all;
    }

    @Override
    public Future<List<DeadLetter>> list(String queue, int limit) {
      return Future.succeededFuture(
          sorted(queue).stream()
              .limit(limit)
              .map(
                  e -> {
                    JsonObject body = e.getValue().getJsonObject("body");
                    return new DeadLetter(
                        e.getKey(),
                        body.getString("type"),
                        e.getValue().getInteger("attempts"),
                        e.getValue().getString("lastError"),
                        body);
                  })
              .toList());
    }

    @Override
    public Future<Integer> replay(String queue, Optional<String> messageId) {
      int n = 0;
      for (var e : sorted(queue)) {
        if (messageId.isPresent() && !messageId.get().equals(e.getKey())) continue;
        if (dlq(queue).remove(e.getKey()) == null) continue;
        vertx.eventBus().send(ADDRESS_PREFIX + queue, e.getValue().getJsonObject("body"));
        n++;
      }
      return Future.succeededFuture(n);
    }

    @Override
    public Future<Integer> discard(String queue, Optional<String> messageId) {
      int n = 0;
      for (var e : sorted(queue)) {
        if (messageId.isPresent() && !messageId.get().equals(e.getKey())) continue;
        if (dlq(queue).remove(e.getKey()) != null) n++;
      }
      return Future.succeededFuture(n);
    }

    @Override
    public Future<Long> count(String queue) {
      return Future.succeededFuture((long) dlq(queue).size());
    }
  }
}
