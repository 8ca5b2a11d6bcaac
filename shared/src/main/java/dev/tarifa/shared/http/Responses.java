package dev.tarifa.shared.http;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Small helpers for writing JSON answers. */
public final class Responses {
  public static final String JSON = "application/json";

  private Responses() {}

  public static Future<Void> json(RoutingContext ctx, int status, JsonObject body) {
    return ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", JSON)
        .end(body.toBuffer());
  }

  public static Future<Void> json(RoutingContext ctx, JsonObject body) {
    return json(ctx, 200, body);
  }

  /**
   * The answer for a resource under optimistic concurrency: {@code ETag} of {@code version} ({@link
   * ETags}) and the JSON body.
   */
  public static Future<Void> versioned(
      RoutingContext ctx, int status, int version, JsonObject body) {
    ETags.put(ctx, version);
    return json(ctx, status, body);
  }

  public static Future<Void> json(RoutingContext ctx, JsonArray body) {
    return ctx.response().putHeader("Content-Type", JSON).end(body.toBuffer());
  }

  public static Future<Void> json(RoutingContext ctx, int status, Buffer body) {
    return ctx.response().setStatusCode(status).putHeader("Content-Type", JSON).end(body);
  }

  public static Future<Void> noContent(RoutingContext ctx) {
    return ctx.response().setStatusCode(204).end();
  }
}
