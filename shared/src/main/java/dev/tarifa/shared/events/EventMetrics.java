package dev.tarifa.shared.events;

import dev.tarifa.shared.metrics.Metrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The event meters, in the shared registry. */
final class EventMetrics {
  private static final Map<String, AtomicLong> GAUGES = new ConcurrentHashMap<>();

  private EventMetrics() {}

  static MeterRegistry registry() {
    return Metrics.registry();
  }

  static void published(String type) {
    Counter.builder("tarifa.events.published")
        .description("Events confirmed by the transport")
        .tag("type", type)
        .register(registry())
        .increment();
  }

  static void publishFailed() {
    Counter.builder("tarifa.events.publish.failures")
        .description("Publish attempts not confirmed")
        .register(registry())
        .increment();
  }

  /** outcome: ok, retried, dead_lettered, duplicate. */
  static void consumed(String queue, String outcome) {
    Counter.builder("tarifa.events.consumed")
        .description("Deliveries handled by outcome")
        .tag("queue", queue)
        .tag("outcome", outcome)
        .register(registry())
        .increment();
  }

  /**
   * The outcomes of {@link #consumed}; registered at 0 when a consumer starts, so rates and alerts
   * see a series.
   */
  static final List<String> OUTCOMES = List.of("ok", "retried", "dead_lettered", "duplicate");

  /**
   * Registers the publish-failure counter at 0 (when a transport is created), so rates and alerts
   * see a series.
   */
  static void publishMeters() {
    Counter.builder("tarifa.events.publish.failures")
        .description("Publish attempts not confirmed")
        .register(registry());
  }

  /** The handler timer of a consumer's queue; also registers its outcome counters at 0. */
  static Timer processing(String queue) {
    for (String outcome : OUTCOMES) {
      Counter.builder("tarifa.events.consumed")
          .description("Deliveries handled by outcome")
          .tag("queue", queue)
          .tag("outcome", outcome)
          .register(registry());
    }
    return Timer.builder("tarifa.events.processing")
        .description("Handler time per delivery")
        .tag("queue", queue)
        .register(registry());
  }

  /** Rows (or documents) deleted by {@link EventRetention}, by table or collection. */
  static Counter retentionDeleted(String table) {
    return Counter.builder("tarifa.events.retention.deleted")
        .description("Expired event rows deleted by the retention")
        .tag("table", table)
        .register(registry());
  }

  /**
   * A gauge value holder; the same name and relay share one holder (the registry keeps the first).
   */
  static AtomicLong gauge(String name, String relay, String unit, String description) {
    return GAUGES.computeIfAbsent(
        name + "|" + relay,
        k -> {
          AtomicLong v = new AtomicLong();
          Gauge.builder(name, v, AtomicLong::get)
              .description(description)
              .baseUnit(unit)
              .tag("relay", relay)
              .register(registry());
          return v;
        });
  }
}
