package dev.tarifa.cars.domain;

import dev.tarifa.shared.http.Params;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * A rental station at an airport. {@code version} increments on every change (optimistic
 * concurrency, ETag).
 */
public record Station(
    String iata,
    String name,
    String cityKey,
    String city,
    String country,
    double latitude,
    double longitude,
    int version) {
  /**
   * Validates a create/replace body for the station at {@code iata}; every failure is a 400 naming
   * the field.
   */
  public static Station parse(String iata, JsonObject body) {
    Params p = Params.of(body);
    String city = p.required("city", 100);
    String country = p.required("country", 100);
    String cityKey = p.required("cityKey", 100).toLowerCase(Locale.ROOT);
    return new Station(
        iata,
        p.required("name", 150),
        cityKey,
        city,
        country,
        p.decimal("latitude", -90, 90),
        p.decimal("longitude", -180, 180),
        1);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("iata", iata)
        .put("name", name)
        .put("cityKey", cityKey)
        .put("city", city)
        .put("country", country)
        .put("location", new JsonObject().put("latitude", latitude).put("longitude", longitude))
        .put("version", version);
  }

  /** The cache tag of answers about this station. */
  public static String tag(String iata) {
    return dev.tarifa.shared.search.CacheTag.station(iata).value();
  }
}
