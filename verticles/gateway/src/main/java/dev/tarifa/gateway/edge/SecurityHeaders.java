package dev.tarifa.gateway.edge;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;

/** Security headers on every answer (set first, so problem answers carry them too). */
public final class SecurityHeaders implements Handler<RoutingContext> {
  public static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    + "img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
    + "form-action 'self'; frame-ancestors 'none'";
  private static final String HSTS = "max-age=31536000; includeSubDomains";

  private final boolean hsts;

  /** @param hsts whether to send {@code Strict-Transport-Security} (only when served behind TLS) */
  public SecurityHeaders(boolean hsts) {
    this.hsts = hsts;
  }

  @Override
  public void handle(RoutingContext ctx) {
    MultiMap h = ctx.response().headers();
    h.add("X-Content-Type-Options", "nosniff")
      .add("X-Frame-Options", "DENY")
      .add("Referrer-Policy", "no-referrer")
      .add("Content-Security-Policy", CSP);
    if (hsts) h.add("Strict-Transport-Security", HSTS);
    ctx.next();
  }
}
