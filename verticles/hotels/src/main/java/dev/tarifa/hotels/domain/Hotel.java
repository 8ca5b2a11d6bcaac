package dev.tarifa.hotels.domain;

import io.vertx.core.json.JsonObject;

/**
 * A hotel in a catalogue city. {@code version} increments on every change (optimistic concurrency,
 * ETag).
 */
public record Hotel(
    long id,
    String cityKey,
    String name,
    int stars,
    String district,
    String address,
    double latitude,
    double longitude,
    int version) {
  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("cityKey", cityKey)
        .put("name", name)
        .put("stars", stars)
        .put("district", district)
        .put("address", address)
        .put("location", new JsonObject().put("latitude", latitude).put("longitude", longitude))
        .put("version", version);
  }

  /** The cache tag of answers containing this hotel. */
  public static String tag(long id) {
    return dev.tarifa.shared.search.CacheTag.hotel(id).value();
  }

  public static String cityTag(String cityKey) {
    return dev.tarifa.shared.search.CacheTag.hotelCity(cityKey).value();
  }
}
