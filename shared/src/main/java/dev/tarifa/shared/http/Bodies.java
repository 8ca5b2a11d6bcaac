package dev.tarifa.shared.http;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Request body access that turns absent or malformed JSON into a 400 naming {@code body}. */
public final class Bodies {
  private Bodies() {}

  public static JsonObject json(RoutingContext ctx) {
    JsonObject json;
    try {
      json = ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      throw Problem.badRequest("body", "must be a JSON object");
    }
    if (json == null) throw Problem.badRequest("body", "a JSON object is required");
    return json;
  }
}
