package dev.tarifa.shared.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.util.List;

/**
 * Wraps the configured sampler so that liveness, readiness and scrape requests ({@code
 * /health/...}, {@code /metrics}) never start a trace: a Prometheus scrape every 15 s and two
 * probes per pod would otherwise make most of the traces. Requests that arrive inside a trace (a
 * {@code traceparent} header) are left to the configured sampler.
 */
final class ProbeFilter implements Sampler {
  static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");

  private final Sampler delegate;

  ProbeFilter(Sampler delegate) {
    this.delegate = delegate;
  }

  @Override
  public SamplingResult shouldSample(
      Context parentContext,
      String traceId,
      String name,
      SpanKind spanKind,
      Attributes attributes,
      List<LinkData> parentLinks) {
    if (spanKind == SpanKind.SERVER
        && !Span.fromContext(parentContext).getSpanContext().isValid()) {
      String path = attributes.get(URL_PATH);
      if (path != null && (path.equals("/metrics") || path.startsWith("/health/")))
        return SamplingResult.drop();
    }
    return delegate.shouldSample(parentContext, traceId, name, spanKind, attributes, parentLinks);
  }

  @Override
  public String getDescription() {
    return "ProbeFilter{" + delegate.getDescription() + "}";
  }

  @Override
  public String toString() {
    return getDescription();
  }
}
