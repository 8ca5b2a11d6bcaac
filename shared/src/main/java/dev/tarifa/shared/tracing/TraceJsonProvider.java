package dev.tarifa.shared.tracing;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.core.JsonGenerator;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.io.IOException;
import java.util.Map;
import net.logstash.logback.composite.AbstractJsonProvider;

/**
 * Adds {@code traceId} and {@code spanId} to JSON log lines ({@code TARIFA_LOG_FORMAT=json}): those
 * in the MDC when a statement put them there ({@link dev.tarifa.shared.http.RequestIds#log}, for
 * lines written after the request's span ended, such as the access log), else those of the span
 * current on the logging thread (on a Vert.x context: the request or message being handled). Lines
 * outside any trace get neither field.
 */
public final class TraceJsonProvider extends AbstractJsonProvider<ILoggingEvent> {
  public static final String TRACE_ID = "traceId";
  public static final String SPAN_ID = "spanId";

  @Override
  public void writeTo(JsonGenerator generator, ILoggingEvent event) throws IOException {
    Map<String, String> mdc = event.getMDCPropertyMap();
    String traceId = mdc == null ? null : mdc.get(TRACE_ID);
    String spanId = mdc == null ? null : mdc.get(SPAN_ID);
    if (traceId == null) {
      SpanContext sc = Span.current().getSpanContext();
      if (!sc.isValid()) return;
      traceId = sc.getTraceId();
      spanId = sc.getSpanId();
    }
    generator.writeStringField(TRACE_ID, traceId);
    if (spanId != null) generator.writeStringField(SPAN_ID, spanId);
  }
}
