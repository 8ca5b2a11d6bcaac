package dev.tarifa.shared.events;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A domain event: what changed, when, which cache tags it affects, and the payload. The {@code type} is the
 * routing key ({@code flights.offer.changed}, {@code hotels.offer.changed}, {@code cars.offer.changed},
 * {@code reviews.review.created}, ...). The id makes handling idempotent.
 */
public record DomainEvent(UUID id, String type, Instant occurredAt, List<String> tags, JsonObject payload) {
  public DomainEvent {
    tags = List.copyOf(tags);
  }

  public static DomainEvent of(String type, List<String> tags, JsonObject payload) {
    return new DomainEvent(UUID.randomUUID(), type, Instant.now(), tags, payload);
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("id", id.toString())
      .put("type", type)
      .put("occurredAt", occurredAt.toString())
      .put("tags", new JsonArray(tags))
      .put("payload", payload);
  }

  public static DomainEvent fromJson(JsonObject json) {
    return new DomainEvent(UUID.fromString(json.getString("id")), json.getString("type"),
      Instant.parse(json.getString("occurredAt")),
      json.getJsonArray("tags", new JsonArray()).stream().map(String::valueOf).toList(),
      json.getJsonObject("payload", new JsonObject()));
  }
}
