package dev.tarifa.hotels.domain;

import io.vertx.core.json.JsonObject;

/** A room type of a hotel ({@link RoomKind} code) and how many guests one room takes. */
public record RoomType(long id, long hotelId, String code, int maxOccupancy, int version) {
  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("hotelId", hotelId)
        .put("code", code)
        .put("maxOccupancy", maxOccupancy)
        .put("version", version);
  }
}
