package dev.tarifa.gateway.admin;

import dev.tarifa.shared.events.DeadLetters.DeadLetter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The dead letters parked for a consumer's queue, oldest first (best effort), and how many were
 * listed.
 */
public record DeadLetterList(String queue, List<DeadLetter> deadLetters) {
  public JsonObject toJson() {
    return new JsonObject()
        .put("queue", queue)
        .put("deadLetters", new JsonArray(deadLetters.stream().map(DeadLetter::toJson).toList()))
        .put("count", deadLetters.size());
  }
}
