package dev.tarifa.gateway.edge;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * Security headers on every answer (set first, so problem answers carry them too). JSON answers
 * under {@code /api/} and {@code /admin/} get the short policy OWASP recommends for APIs ({@code
 * default-src 'none'}: nothing a browser could render from them may load anything); the web page
 * and its assets get the page policy.
 */
public final class SecurityHeaders implements Handler<RoutingContext> {
  public static final String API_CSP = "default-src 'none'; frame-ancestors 'none'";
  public static final String CSP =
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
          + "img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
          + "form-action 'self'; frame-ancestors 'none'";
  // pre-encoded (AsciiString) names and values: written on every answer, so no per-request encoding
  private static final CharSequence HSTS =
      HttpHeaders.createOptimized("max-age=31536000; includeSubDomains");
  private static final CharSequence NOSNIFF_NAME =
      HttpHeaders.createOptimized("X-Content-Type-Options");
  private static final CharSequence NOSNIFF = HttpHeaders.createOptimized("nosniff");
  private static final CharSequence FRAME_OPTIONS_NAME =
      HttpHeaders.createOptimized("X-Frame-Options");
  private static final CharSequence DENY = HttpHeaders.createOptimized("DENY");
  private static final CharSequence REFERRER_POLICY_NAME =
      HttpHeaders.createOptimized("Referrer-Policy");
  private static final CharSequence NO_REFERRER = HttpHeaders.createOptimized("no-referrer");
  private static final CharSequence CSP_NAME =
      HttpHeaders.createOptimized("Content-Security-Policy");
  private static final CharSequence CSP_VALUE = HttpHeaders.createOptimized(CSP);
  private static final CharSequence API_CSP_VALUE = HttpHeaders.createOptimized(API_CSP);
  private static final CharSequence HSTS_NAME =
      HttpHeaders.createOptimized("Strict-Transport-Security");

  private final boolean hsts;

  /**
   * @param hsts whether to send {@code Strict-Transport-Security} (only when served behind TLS)
   */
  public SecurityHeaders(boolean hsts) {
    this.hsts = hsts;
  }

  @Override
  public void handle(RoutingContext ctx) {
    MultiMap h = ctx.response().headers();
    h.add(NOSNIFF_NAME, NOSNIFF)
        .add(FRAME_OPTIONS_NAME, DENY)
        .add(REFERRER_POLICY_NAME, NO_REFERRER)
        .add(CSP_NAME, isApi(ctx.request().path()) ? API_CSP_VALUE : CSP_VALUE);
    if (hsts) h.add(HSTS_NAME, HSTS);
    ctx.next();
  }

  private static boolean isApi(String path) {
    return path != null && (path.startsWith("/api/") || path.startsWith("/admin/"));
  }
}
