package dev.tarifa.gateway.admin;

import io.vertx.core.json.JsonObject;

/** How many dead letters of a consumer's queue were replayed to it, or discarded. */
public record DeadLetterChange(String queue, boolean replayed, int count) {
  public JsonObject toJson() {
    return new JsonObject().put("queue", queue).put(replayed ? "replayed" : "discarded", count);
  }
}
