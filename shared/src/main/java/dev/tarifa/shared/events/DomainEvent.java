package dev.tarifa.shared.events;

import dev.tarifa.shared.tracing.Tracing;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A domain event: what changed, when, which cache tags it affects, and the payload. The {@code
 * type} is the routing key ({@code flights.offer.changed}, {@code hotels.offer.changed}, {@code
 * cars.offer.changed}, {@code reviews.review.created}, ...). The id makes handling idempotent.
 *
 * @param traceparent the W3C trace context of the work that produced the event (the admin write
 *     being served when {@link #of} was called), or null when there was none or tracing is off.
 *     Stored with the event (outbox column {@code traceparent}, the {@code traceparent} field of
 *     {@link #toJson()}) so that its later relay and publication continue the write's trace.
 */
public record DomainEvent(
    UUID id,
    String type,
    Instant occurredAt,
    List<String> tags,
    JsonObject payload,
    String traceparent) {
  public DomainEvent {
    tags = List.copyOf(tags);
  }

  /** An event without trace context. */
  public DomainEvent(
      UUID id, String type, Instant occurredAt, List<String> tags, JsonObject payload) {
    this(id, type, occurredAt, tags, payload, null);
  }

  /**
   * A new event (random id, now), carrying the trace context of the current span if there is one.
   */
  public static DomainEvent of(String type, List<String> tags, JsonObject payload) {
    return new DomainEvent(
        UUID.randomUUID(), type, Instant.now(), tags, payload, Tracing.currentTraceparent());
  }

  /** This event with another trace context (null for none). */
  public DomainEvent withTraceparent(String traceparent) {
    return new DomainEvent(id, type, occurredAt, tags, payload, traceparent);
  }

  public JsonObject toJson() {
    JsonObject json =
        new JsonObject()
            .put("id", id.toString())
            .put("type", type)
            .put("occurredAt", occurredAt.toString())
            .put("tags", new JsonArray(tags))
            .put("payload", payload);
    if (traceparent != null) json.put("traceparent", traceparent);
    return json;
  }

  public static DomainEvent fromJson(JsonObject json) {
    return new DomainEvent(
        UUID.fromString(json.getString("id")),
        json.getString("type"),
        Instant.parse(json.getString("occurredAt")),
        json.getJsonArray("tags", new JsonArray()).stream().map(String::valueOf).toList(),
        json.getJsonObject("payload", new JsonObject()),
        json.getString("traceparent"));
  }
}
