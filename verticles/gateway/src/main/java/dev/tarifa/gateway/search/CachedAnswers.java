package dev.tarifa.gateway.search;

import dev.tarifa.shared.cache.CacheResult;
import dev.tarifa.shared.cache.CachedResponse;
import dev.tarifa.shared.cache.Lookup;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * Writes a cache lookup: the cached bytes as-is (no JSON work) with {@code ETag}, {@code Cache-Control},
 * {@code Age}, {@code X-Cache} and, for stale-if-error answers, {@code X-Degraded: true} plus a {@code Warning};
 * a matching {@code If-None-Match} gives a 304 without a body.
 *
 * <p>Answers that waited on a load (everything but an L1 hit) also carry
 * {@code Server-Timing: cache;desc="<X-Cache>";dur=<ms>}, the milliseconds between the load's answer becoming
 * available in this gateway and this response being written: for a coalesced waiter, exactly what joining the
 * leader's load added on the server (the W3C Server-Timing header, visible in browsers' developer tools).
 */
public final class CachedAnswers {
  public static final CharSequence X_CACHE = HttpHeaders.createOptimized("X-Cache");
  public static final CharSequence X_DEGRADED = HttpHeaders.createOptimized("X-Degraded");
  private static final CharSequence TRUE = HttpHeaders.createOptimized("true");
  private static final CharSequence WARNING = HttpHeaders.createOptimized("Warning");
  private static final CharSequence STALE_WARNING = HttpHeaders.createOptimized("111 - \"Revalidation Failed\"");
  private static final CharSequence[] RESULT_VALUES = new CharSequence[CacheResult.values().length];
  public static final CharSequence SERVER_TIMING = HttpHeaders.createOptimized("Server-Timing");

  static {
    for (CacheResult r : CacheResult.values()) RESULT_VALUES[r.ordinal()] = HttpHeaders.createOptimized(r.header());
  }

  private CachedAnswers() {}

  public static void write(RoutingContext ctx, Lookup lookup) {
    CachedResponse r = lookup.response();
    long now = System.currentTimeMillis();
    HttpServerResponse out = ctx.response();
    MultiMap h = out.headers();
    h.set(HttpHeaders.ETAG, r.etag())
      .set(HttpHeaders.CACHE_CONTROL, "public, max-age=" + r.maxAgeSeconds(now) + ", stale-while-revalidate=" + r.staleWhileRevalidateSeconds())
      .set(HttpHeaders.AGE, Long.toString(r.age(now)))
      .set(X_CACHE, RESULT_VALUES[lookup.result().ordinal()]);
    if (lookup.degraded()) h.set(X_DEGRADED, TRUE).set(WARNING, STALE_WARNING);
    if (lookup.readyNanos() != 0) h.set(SERVER_TIMING, serverTiming(lookup));
    if (matches(ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH), r.etag())) {
      out.setStatusCode(304).end();
      return;
    }
    h.set(HttpHeaders.CONTENT_TYPE, r.contentType());
    out.end(r.body());
  }

  static String serverTiming(Lookup lookup) {
    long micros = Math.max(0, (System.nanoTime() - lookup.readyNanos()) / 1_000);
    return "cache;desc=\"" + lookup.result().header() + "\";dur=" + micros / 1000 + '.' + (char) ('0' + micros / 100 % 10)
      + (char) ('0' + micros / 10 % 10) + (char) ('0' + micros % 10);
  }

  /** RFC 9110 weak comparison of an If-None-Match list against a strong ETag. */
  static boolean matches(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null) return false;
    if (ifNoneMatch.equals(etag)) return true;
    for (String candidate : ifNoneMatch.split(",")) {
      String c = candidate.trim();
      if (c.equals("*")) return true;
      if (c.startsWith("W/")) c = c.substring(2);
      if (c.equals(etag)) return true;
    }
    return false;
  }

  public static void writeOriginError(RoutingContext ctx, OriginError e) {
    ctx.response().setStatusCode(e.status())
      .putHeader(HttpHeaders.CONTENT_TYPE, e.contentType())
      .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
      .end(e.body());
  }
}
