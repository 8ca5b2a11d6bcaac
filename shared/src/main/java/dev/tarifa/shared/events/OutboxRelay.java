package dev.tarifa.shared.events;

import dev.tarifa.shared.tracing.Tracing;
import io.opentelemetry.api.trace.Span;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the events of an {@link OutboxStore}: every poll interval, and at once after {@link
 * #nudge()}, it claims a batch of unsent events (oldest first), publishes them with confirms and
 * marks them sent; a full batch is followed immediately by the next. While the publisher is not
 * {@link EventPublisher#connected() connected} the relay claims nothing and publishes nothing (so
 * events collect no failed attempts during a broker outage) and goes the moment the publisher
 * {@link EventPublisher#onConnected reconnects}. When publishing fails while connected the batch is
 * marked failed (attempts, last error) and the relay backs off exponentially from the poll interval
 * up to the cap, ignoring nudges, until a publish succeeds again or the publisher reconnects. An
 * event is marked sent only after the transport confirmed it, so none is lost; it can be published
 * twice (confirm received but the mark not committed, or a claim lost), which consumers absorb by
 * event id. One cycle runs at a time per relay; several relays on one store share the work through
 * the store's claims.
 *
 * <p>Tracing: an event stored with a trace context ({@link DomainEvent#traceparent()}, the write's)
 * is relayed in a span {@code outbox relay <type>} that continues the write's trace, and published
 * as its child, so the delay between the write and its publication shows in the trace.
 *
 * <p>Meters (tag {@code relay}): {@code tarifa_outbox_backlog} and {@code
 * tarifa_outbox_oldest_age_seconds} gauges, refreshed after each cycle that published and otherwise
 * at most once per second; publish counters come from the transport ({@code
 * tarifa_events_published_total{type}}, {@code tarifa_events_publish_failures_total}).
 */
public final class OutboxRelay {
  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
  public static final int DEFAULT_BATCH = 100;

  private final Vertx vertx;
  private final Context context;
  private final String name;
  private final OutboxStore store;
  private final EventPublisher publisher;
  private final long pollMs;
  private final long maxBackoffMs;
  private final int batchSize;
  private final AtomicLong backlog;
  private final AtomicLong oldestAge;
  private final EventTracing tracing;

  private boolean started;
  private boolean stopped;
  private boolean running;
  private boolean nudged;
  private long timer = -1;
  private long backoffMs;
  private long lastGaugeRefresh;
  private Promise<Void> idle;

  public OutboxRelay(
      Vertx vertx,
      String name,
      OutboxStore store,
      EventPublisher publisher,
      Duration poll,
      Duration maxBackoff,
      int batchSize) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.name = name;
    this.store = store;
    this.publisher = publisher;
    this.pollMs = Math.max(1, poll.toMillis());
    this.maxBackoffMs = Math.max(pollMs, maxBackoff.toMillis());
    this.batchSize = batchSize;
    this.backlog = EventMetrics.gauge("tarifa.outbox.backlog", name, null, "Unsent outbox events");
    this.oldestAge =
        EventMetrics.gauge(
            "tarifa.outbox.oldest.age", name, "seconds", "Age of the oldest unsent outbox event");
    this.tracing = new EventTracing(Tracing.of(vertx), "outbox");
    publisher.onConnected(this::reconnected);
  }

  /**
   * A relay with the configured poll interval ({@code TARIFA_OUTBOX_POLL}); failed publishes while
   * connected back off up to {@link #MAX_BACKOFF} (or {@code TARIFA_EVENTS_RECONNECT_MAX} if
   * longer).
   */
  public static OutboxRelay create(
      Vertx vertx, String name, OutboxStore store, EventPublisher publisher, EventsConfig config) {
    Duration cap =
        config.reconnectMax().compareTo(MAX_BACKOFF) > 0 ? config.reconnectMax() : MAX_BACKOFF;
    return new OutboxRelay(vertx, name, store, publisher, config.outboxPoll(), cap, DEFAULT_BATCH);
  }

  /** Default cap of the back-off after publishes that failed while the publisher was connected. */
  public static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

  /** The publisher is connected again: publish the backlog now, whatever the back-off. */
  private void reconnected() {
    context.runOnContext(
        v -> {
          if (!started || stopped) return;
          backoffMs = 0;
          if (running) {
            nudged = true;
            return;
          }
          schedule(0);
        });
  }

  /** Starts polling (first cycle at once). Idempotent. */
  public OutboxRelay start() {
    context.runOnContext(
        v -> {
          if (started || stopped) return;
          started = true;
          schedule(0);
        });
    return this;
  }

  /**
   * Asks for a cycle now (after a write that appended events); ignored while backing off. Any
   * thread.
   */
  public void nudge() {
    context.runOnContext(
        v -> {
          if (!started || stopped || backoffMs > 0) return;
          if (running) {
            nudged = true;
            return;
          }
          schedule(0);
        });
  }

  /** Stops polling; completes when the running cycle (if any) finished. */
  public Future<Void> stop() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(
        v -> {
          stopped = true;
          vertx.cancelTimer(timer);
          if (running) {
            idle = done;
          } else {
            done.complete();
          }
        });
    return done.future();
  }

  private void schedule(long delayMs) {
    vertx.cancelTimer(timer);
    if (delayMs <= 0) {
      timer = -1;
      cycle();
    } else {
      timer = vertx.setTimer(delayMs, t -> cycle());
    }
  }

  private void cycle() {
    if (stopped || running) return;
    if (!publisher.connected()) {
      // the broker is away: no claim, no attempt; reconnected() runs the next cycle at once, the
      // poll is a safety net
      running = true;
      nudged = false;
      refreshGauges(false)
          .onComplete(
              g -> {
                running = false;
                if (stopped) {
                  if (idle != null) idle.complete();
                  return;
                }
                schedule(nudged ? 0 : Math.max(pollMs, backoffMs));
              });
      return;
    }
    running = true;
    nudged = false;
    store
        .<Integer>withUnsent(
            batchSize,
            batch -> {
              List<DomainEvent> events = batch.events();
              if (events.isEmpty()) return Future.succeededFuture(0);
              List<java.util.UUID> ids = events.stream().map(DomainEvent::id).toList();
              List<Span> spans = new ArrayList<>();
              List<DomainEvent> traced = new ArrayList<>(events.size());
              for (DomainEvent e : events) {
                Span span = tracing.relay(name, e);
                if (span != null) spans.add(span);
                traced.add(span == null ? e : e.withTraceparent(EventTracing.traceparent(span)));
              }
              return EventTracing.endAllWith(spans, publisher.publishAll(traced))
                  .transform(
                      ar ->
                          ar.succeeded()
                              ? batch.markSent(ids).map(v -> events.size())
                              // Commit the failure record; the relay's result still says "failed"
                              // so it backs off.
                              : batch
                                  .markFailed(ids, String.valueOf(ar.cause().getMessage()))
                                  .map(v -> -1));
            })
        .onComplete(
            ar -> {
              int published = ar.succeeded() ? ar.result() : -1;
              if (ar.failed())
                log.warn("outbox relay {}: cycle failed: {}", name, ar.cause().getMessage());
              long next;
              if (published < 0) {
                backoffMs = backoffMs == 0 ? pollMs : Math.min(maxBackoffMs, backoffMs * 2);
                next = backoffMs;
                log.debug("outbox relay {}: publish failed, next attempt in {} ms", name, next);
              } else {
                if (backoffMs > 0) log.info("outbox relay {}: publishing again", name);
                backoffMs = 0;
                next = published >= batchSize || nudged ? 0 : pollMs;
              }
              refreshGauges(published > 0)
                  .onComplete(
                      g -> {
                        running = false;
                        if (stopped) {
                          if (idle != null) idle.complete();
                          return;
                        }
                        schedule(next);
                      });
            });
  }

  private Future<Void> refreshGauges(boolean force) {
    long now = System.nanoTime();
    if (!force && now - lastGaugeRefresh < 1_000_000_000L) return Future.succeededFuture();
    lastGaugeRefresh = now;
    return store
        .backlog()
        .onSuccess(
            b -> {
              backlog.set(b.count());
              oldestAge.set(
                  b.oldest()
                      .map(o -> Math.max(0, Duration.between(o, Instant.now()).toSeconds()))
                      .orElse(0L));
            })
        .<Void>mapEmpty()
        .otherwiseEmpty();
  }

  /** The last observed number of unsent events (as exported by the gauge). */
  public long backlog() {
    return backlog.get();
  }
}
