package dev.tarifa.gateway.edge;

import dev.tarifa.shared.http.Problem;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * A 414 problem for request targets longer than the limit. The HTTP server's own initial-line limit
 * is set a little above this (see GatewayVerticle), so lines between the two get a problem detail
 * from here and only absurd ones are cut by the server (which also answers 414, without a body).
 */
public final class UriLimit implements Handler<RoutingContext> {
  private final int maxLength;

  public UriLimit(int maxLength) {
    this.maxLength = maxLength;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.request().uri().length() > maxLength) {
      ctx.fail(
          new Problem(
              414, "URI Too Long", "the request target exceeds " + maxLength + " characters"));
    } else {
      ctx.next();
    }
  }
}
