package dev.tarifa.gateway.upstream;

import dev.tarifa.shared.http.RequestIds;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;

/**
 * Pass-through to an owning service: same method, path, query and body, the caller's {@code
 * Authorization}, content negotiation and request id; the answer's status, body and relevant
 * headers come back unchanged. A failed call (timeout, refused, circuit open) is a 503/504 problem.
 */
public final class Forwarder {
  private static final List<CharSequence> REQUEST_HEADERS =
      List.of(
          HttpHeaders.AUTHORIZATION,
          HttpHeaders.CONTENT_TYPE,
          HttpHeaders.ACCEPT,
          HttpHeaders.IF_MATCH,
          HttpHeaders.IF_NONE_MATCH,
          HttpHeaders.ACCEPT_LANGUAGE);
  private static final List<CharSequence> RESPONSE_HEADERS =
      List.of(
          HttpHeaders.CONTENT_TYPE,
          HttpHeaders.LOCATION,
          HttpHeaders.ETAG,
          HttpHeaders.CACHE_CONTROL,
          "WWW-Authenticate",
          HttpHeaders.RETRY_AFTER,
          HttpHeaders.ALLOW,
          HttpHeaders.LAST_MODIFIED,
          "X-Cache-Tags");

  private Forwarder() {}

  public static Handler<RoutingContext> to(Upstream upstream) {
    return ctx -> {
      MultiMap headers = MultiMap.caseInsensitiveMultiMap();
      for (CharSequence h : REQUEST_HEADERS) {
        String v = ctx.request().getHeader(h);
        if (v != null) headers.set(h, v);
      }
      headers.set(RequestIds.HEADER, RequestIds.of(ctx));
      Buffer body = ctx.body() == null ? null : ctx.body().buffer();
      if (body != null && body.length() == 0) body = null;
      upstream
          .send(ctx.request().method(), ctx.request().uri(), headers, body)
          .onSuccess(r -> relay(ctx, r))
          .onFailure(e -> ctx.fail(upstream.problem(e)));
    };
  }

  static void relay(RoutingContext ctx, HttpResponse<Buffer> r) {
    HttpServerResponse out = ctx.response().setStatusCode(r.statusCode());
    for (CharSequence h : RESPONSE_HEADERS) {
      String v = r.getHeader(h.toString());
      if (v != null) out.putHeader(h, v);
    }
    Buffer body = r.body();
    if (body == null) out.end();
    else out.end(body);
  }
}
