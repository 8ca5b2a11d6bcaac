package dev.tarifa.shared.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per request (logger {@code tarifa.access}) with method, path, status and duration,
 * and the request id in the MDC so the text and JSON layouts both carry it. Off unless {@code
 * TARIFA_ACCESS_LOG=true}: at cache-hit rates a line per request costs more than the request
 * itself.
 */
public final class AccessLog implements Handler<RoutingContext> {
  private static final Logger log = LoggerFactory.getLogger("tarifa.access");

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    ctx.addEndHandler(
        ar ->
            RequestIds.log(
                ctx,
                () ->
                    log.info(
                        "{} {} {} {} ms",
                        ctx.request().method(),
                        ctx.request().path(),
                        ctx.response().getStatusCode(),
                        (System.nanoTime() - start) / 1_000_000)));
    ctx.next();
  }
}
