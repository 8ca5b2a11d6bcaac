package dev.tarifa.cars.domain;

import io.vertx.core.json.JsonObject;

/** A rental station at an airport. {@code version} increments on every change (optimistic concurrency, ETag). */
public record Station(String iata, String name, String cityKey, String city, String country, double latitude,
                      double longitude, int version) {
  public JsonObject toJson() {
    return new JsonObject().put("iata", iata).put("name", name).put("cityKey", cityKey).put("city", city)
      .put("country", country)
      .put("location", new JsonObject().put("latitude", latitude).put("longitude", longitude))
      .put("version", version);
  }

  /** The cache tag of answers about this station. */
  public static String tag(String iata) {
    return dev.tarifa.shared.search.CacheTag.station(iata).value();
  }
}
