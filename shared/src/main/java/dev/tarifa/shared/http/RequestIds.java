package dev.tarifa.shared.http;

import dev.tarifa.shared.tracing.TraceJsonProvider;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.MDC;

/**
 * Gives every request an id (the caller's {@code X-Request-Id} when it is sane, else a new one),
 * echoes it in the response and keeps it in the routing context. Event loops interleave requests,
 * so the id is not kept in the MDC; {@link #log(RoutingContext, Runnable)} puts it there around one
 * log statement, with the request's {@code traceId} and {@code spanId} when it is traced
 * (remembered here, as the span has ended by the time an end handler logs).
 */
public final class RequestIds implements Handler<RoutingContext> {
  public static final String HEADER = "X-Request-Id";
  public static final String KEY = "requestId";
  private static final String SPAN = "tarifa.span";
  private static final CharSequence HEADER_NAME =
      io.vertx.core.http.HttpHeaders.createOptimized(HEADER);
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  @Override
  public void handle(RoutingContext ctx) {
    String id = ctx.request().getHeader(HEADER);
    if (id == null || !sane(id)) id = newId();
    ctx.put(KEY, id);
    SpanContext span = Span.current().getSpanContext();
    if (span.isValid()) ctx.put(SPAN, span);
    ctx.response().putHeader(HEADER_NAME, id);
    ctx.next();
  }

  public static String of(RoutingContext ctx) {
    String id = ctx.get(KEY);
    return id == null ? "-" : id;
  }

  /** Runs {@code logStatement} with the request id in the MDC, so every log layout can print it. */
  public static void log(RoutingContext ctx, Runnable logStatement) {
    boolean traced = enter(ctx);
    try {
      logStatement.run();
    } finally {
      leave(traced);
    }
  }

  public static <T> T log(RoutingContext ctx, Supplier<T> logStatement) {
    boolean traced = enter(ctx);
    try {
      return logStatement.get();
    } finally {
      leave(traced);
    }
  }

  private static boolean enter(RoutingContext ctx) {
    MDC.put(KEY, of(ctx));
    SpanContext span = ctx.get(SPAN);
    if (span == null) return false;
    MDC.put(TraceJsonProvider.TRACE_ID, span.getTraceId());
    MDC.put(TraceJsonProvider.SPAN_ID, span.getSpanId());
    return true;
  }

  private static void leave(boolean traced) {
    MDC.remove(KEY);
    if (traced) {
      MDC.remove(TraceJsonProvider.TRACE_ID);
      MDC.remove(TraceJsonProvider.SPAN_ID);
    }
  }

  /** [A-Za-z0-9._-]{1,64}, without a regex on every request. */
  static boolean sane(String id) {
    int n = id.length();
    if (n == 0 || n > 64) return false;
    for (int i = 0; i < n; i++) {
      char c = id.charAt(i);
      if (!((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '.'
          || c == '_'
          || c == '-')) return false;
    }
    return true;
  }

  static String newId() {
    long v = ThreadLocalRandom.current().nextLong();
    char[] out = new char[16];
    for (int i = 15; i >= 0; i--) {
      out[i] = HEX[(int) (v & 0xf)];
      v >>>= 4;
    }
    return new String(out);
  }
}
