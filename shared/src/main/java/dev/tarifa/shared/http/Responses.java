package dev.tarifa.shared.http;

import dev.tarifa.shared.search.CacheTag;
import dev.tarifa.shared.search.SearchSummary;
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

  /**
   * The answer for a resource under optimistic concurrency whose body names its version: 200,
   * {@code ETag} of the body's integer {@code version} and the body.
   *
   * @throws NullPointerException if {@code body} has no {@code version}
   * @throws ClassCastException if its {@code version} is not a number
   */
  public static Future<Void> versioned(RoutingContext ctx, JsonObject body) {
    return versioned(ctx, 200, body.getInteger("version"), body);
  }

  /**
   * The answer to a create: 201, {@code Location} of the new resource, {@code ETag} of its {@code
   * version} and its JSON body.
   *
   * @param location the new resource's path ({@code /admin/v1/hotels/42})
   */
  public static Future<Void> created(
      RoutingContext ctx, String location, int version, JsonObject body) {
    ctx.response().putHeader("Location", location);
    return versioned(ctx, 201, version, body);
  }

  /**
   * A 200 JSON answer that shows one cached thing, named in {@link SearchSummary#TAGS_HEADER} so
   * that the gateway's cache evicts it by {@code tag} (a hotel's details by {@link
   * CacheTag#hotel}).
   */
  public static Future<Void> tagged(RoutingContext ctx, CacheTag tag, JsonObject body) {
    ctx.response().putHeader(SearchSummary.TAGS_HEADER, tag.value());
    return json(ctx, body);
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
