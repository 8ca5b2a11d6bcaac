package dev.tarifa.shared.events;

import dev.tarifa.shared.tracing.Tracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The spans of the event transports and the outbox relay, and the trace context they carry in
 * message headers ({@value #HEADER}, W3C trace context), so that a write, its relay, the broker hop
 * and every consumer's handling are one trace. Only events that carry a trace context are traced
 * (like Vert.x's {@code PROPAGATE} policy): the relay's polling and untraced producers start no
 * trace. All methods are cheap no-ops when tracing is off.
 */
final class EventTracing {
  /** The message header (AMQP header, event-bus header) carrying the producer span's context. */
  static final String HEADER = "traceparent";

  static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
  static final AttributeKey<String> DESTINATION =
      AttributeKey.stringKey("messaging.destination.name");
  static final AttributeKey<String> OPERATION = AttributeKey.stringKey("messaging.operation.type");
  static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");
  static final AttributeKey<String> EVENT_TYPE = AttributeKey.stringKey("tarifa.event.type");
  static final AttributeKey<String> OUTBOX = AttributeKey.stringKey("tarifa.outbox");

  private final Tracer tracer;
  private final boolean enabled;
  private final String system;

  EventTracing(Tracing tracing, String system) {
    this.tracer = tracing.tracer();
    this.enabled = tracing.enabled();
    this.system = system;
  }

  /**
   * Starts the producer span of publishing {@code event} to {@code destination}, child of the
   * event's stored trace context, else of the current span; null when there is neither (or tracing
   * is off).
   */
  Span publish(DomainEvent event, String destination) {
    if (!enabled) return null;
    Context parent =
        event.traceparent() != null ? Tracing.contextOf(event.traceparent()) : Context.current();
    if (!Span.fromContext(parent).getSpanContext().isValid()) return null;
    return tracer
        .spanBuilder("publish " + event.type())
        .setSpanKind(SpanKind.PRODUCER)
        .setParent(parent)
        .setAttribute(SYSTEM, system)
        .setAttribute(DESTINATION, destination)
        .setAttribute(OPERATION, "publish")
        .setAttribute(MESSAGE_ID, event.id().toString())
        .setAttribute(EVENT_TYPE, event.type())
        .startSpan();
  }

  /** Writes {@code span}'s context as the {@value #HEADER} header (nothing for a null span). */
  static void inject(Span span, BiConsumer<String, String> headers) {
    String tp = traceparent(span);
    if (tp != null) headers.accept(HEADER, tp);
  }

  /** The {@value #HEADER} value of {@code span}, null for a null span. */
  static String traceparent(Span span) {
    return span == null ? null : Tracing.traceparent(span.getSpanContext());
  }

  /** Ends {@code spans} with the outcome of {@code done}. */
  static <T> Future<T> endAllWith(List<Span> spans, Future<T> done) {
    if (spans.isEmpty()) return done;
    return done.andThen(
        ar -> {
          for (Span span : spans) {
            if (ar.failed()) failed(span, ar.cause());
            span.end();
          }
        });
  }

  /** Ends {@code span} (if any) with the outcome of {@code done}. */
  static <T> Future<T> endWith(Span span, Future<T> done) {
    if (span == null) return done;
    return done.andThen(
        ar -> {
          if (ar.failed()) failed(span, ar.cause());
          span.end();
        });
  }

  /**
   * Runs {@code handler} for {@code event} received from {@code queue} inside a consumer span,
   * child of the producer's context ({@code header}, else the event's stored context); without
   * either the handler runs untraced. The span is current while the handler runs synchronously
   * (spans it starts then are its children) and ends when the handler's future completes.
   */
  Future<Void> process(
      String queue, DomainEvent event, String header, Supplier<Future<Void>> handler) {
    if (!enabled) return handler.get();
    Context parent = Tracing.contextOf(header != null ? header : event.traceparent());
    if (!Span.fromContext(parent).getSpanContext().isValid()) return handler.get();
    Span span =
        tracer
            .spanBuilder("process " + event.type())
            .setSpanKind(SpanKind.CONSUMER)
            .setParent(parent)
            .setAttribute(SYSTEM, system)
            .setAttribute(DESTINATION, queue)
            .setAttribute(OPERATION, "process")
            .setAttribute(MESSAGE_ID, event.id().toString())
            .setAttribute(EVENT_TYPE, event.type())
            .startSpan();
    Future<Void> result;
    try (Scope ignored = parent.with(span).makeCurrent()) {
      result = handler.get();
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    return endWith(span, result);
  }

  /**
   * Starts the relay span of an event read back from outbox {@code outbox}, child of the write that
   * stored it; null when the event carries no trace context (or tracing is off).
   */
  Span relay(String outbox, DomainEvent event) {
    if (!enabled || event.traceparent() == null) return null;
    Context parent = Tracing.contextOf(event.traceparent());
    if (!Span.fromContext(parent).getSpanContext().isValid()) return null;
    return tracer
        .spanBuilder("outbox relay " + event.type())
        .setSpanKind(SpanKind.INTERNAL)
        .setParent(parent)
        .setAttribute(OUTBOX, outbox)
        .setAttribute(MESSAGE_ID, event.id().toString())
        .setAttribute(EVENT_TYPE, event.type())
        .startSpan();
  }

  static void failed(Span span, Throwable cause) {
    span.setStatus(StatusCode.ERROR, String.valueOf(cause.getMessage()));
    span.recordException(cause);
  }
}
