package dev.tarifa.gateway.search;

import dev.tarifa.shared.cache.CacheResult;
import dev.tarifa.shared.cache.CachedResponse;
import dev.tarifa.shared.cache.Lookup;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * Writes a cache lookup: the cached bytes as-is (no JSON work, no compression) with {@code ETag},
 * {@code Cache-Control}, {@code Age}, {@code X-Cache}, {@code Vary: Accept-Encoding} and, for
 * stale-if-error answers, {@code X-Degraded: true} plus a {@code Warning}; a matching {@code
 * If-None-Match} gives a 304 without a body.
 *
 * <p>Two representations: a client whose {@code Accept-Encoding} takes gzip ({@link
 * AcceptEncoding}) gets the entry's gzip form, made once when it was filled, with {@code
 * Content-Encoding: gzip} and the gzip form's own ETag; every other client (and every answer too
 * small to have a gzip form) gets the identity bytes and their ETag. {@code If-None-Match} is
 * compared with the ETag of the representation being answered. The HTTP server's own compression is
 * off ({@code HttpVerticle}); were it on, Netty leaves a response that already carries a {@code
 * Content-Encoding} as it is, so nothing is compressed twice.
 *
 * <p>{@code max-age} and {@code stale-while-revalidate} are the entry's own, each capped at the
 * gateway's client cap ({@code TARIFA_GATEWAY_CLIENT_MAX_AGE}): an admin change evicts the
 * gateways' caches within a second but cannot reach a browser's or a CDN's.
 *
 * <p>Answers that waited on a load (everything but an L1 hit) also carry {@code Server-Timing:
 * cache;desc="<X-Cache>";dur=<ms>}, the milliseconds between the load's answer becoming available
 * in this gateway and this response being written: for a coalesced waiter, exactly what joining the
 * leader's load added on the server (the W3C Server-Timing header, visible in browsers' developer
 * tools).
 */
public final class CachedAnswers {
  public static final CharSequence X_CACHE = HttpHeaders.createOptimized("X-Cache");
  public static final CharSequence X_DEGRADED = HttpHeaders.createOptimized("X-Degraded");
  private static final CharSequence TRUE = HttpHeaders.createOptimized("true");
  private static final CharSequence WARNING = HttpHeaders.createOptimized("Warning");
  private static final CharSequence STALE_WARNING =
      HttpHeaders.createOptimized("111 - \"Revalidation Failed\"");
  private static final CharSequence[] RESULT_VALUES = new CharSequence[CacheResult.values().length];
  public static final CharSequence SERVER_TIMING = HttpHeaders.createOptimized("Server-Timing");
  private static final CharSequence GZIP = HttpHeaders.createOptimized("gzip");
  private static final CharSequence ACCEPT_ENCODING =
      HttpHeaders.createOptimized("Accept-Encoding");

  static {
    for (CacheResult r : CacheResult.values())
      RESULT_VALUES[r.ordinal()] = HttpHeaders.createOptimized(r.header());
  }

  private CachedAnswers() {}

  /**
   * @param clientMaxAgeSeconds the most {@code max-age} and {@code stale-while-revalidate} may say
   */
  public static void write(RoutingContext ctx, Lookup lookup, long clientMaxAgeSeconds) {
    CachedResponse r = lookup.response();
    long now = System.currentTimeMillis();
    HttpServerResponse out = ctx.response();
    MultiMap h = out.headers();
    Buffer body = r.body();
    String etag = r.etag();
    boolean gzip =
        r.gzipBody() != null
            && AcceptEncoding.prefersGzip(ctx.request().getHeader(HttpHeaders.ACCEPT_ENCODING));
    if (gzip) {
      body = r.gzipBody();
      etag = r.gzipEtag();
    }
    h.set(HttpHeaders.ETAG, etag)
        .add(HttpHeaders.VARY, ACCEPT_ENCODING) // added: the CORS handler may have set Vary: Origin
        .set(
            HttpHeaders.CACHE_CONTROL,
            "public, max-age="
                + Math.min(r.maxAgeSeconds(now), clientMaxAgeSeconds)
                + ", stale-while-revalidate="
                + Math.min(r.staleWhileRevalidateSeconds(), clientMaxAgeSeconds))
        .set(HttpHeaders.AGE, Long.toString(r.age(now)))
        .set(X_CACHE, RESULT_VALUES[lookup.result().ordinal()]);
    if (lookup.degraded()) h.set(X_DEGRADED, TRUE).set(WARNING, STALE_WARNING);
    if (lookup.readyNanos() != 0) h.set(SERVER_TIMING, serverTiming(lookup));
    if (matches(ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH), etag)) {
      out.setStatusCode(304).end();
      return;
    }
    h.set(HttpHeaders.CONTENT_TYPE, r.contentType());
    if (gzip) h.set(HttpHeaders.CONTENT_ENCODING, GZIP);
    out.end(body);
  }

  static String serverTiming(Lookup lookup) {
    long micros = Math.max(0, (System.nanoTime() - lookup.readyNanos()) / 1_000);
    return "cache;desc=\""
        + lookup.result().header()
        + "\";dur="
        + micros / 1000
        + '.'
        + (char) ('0' + micros / 100 % 10)
        + (char) ('0' + micros / 10 % 10)
        + (char) ('0' + micros % 10);
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
    ctx.response()
        .setStatusCode(e.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, e.contentType())
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end(e.body());
  }
}
