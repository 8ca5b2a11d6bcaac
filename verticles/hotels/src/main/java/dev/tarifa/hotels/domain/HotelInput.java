package dev.tarifa.hotels.domain;

import dev.tarifa.shared.http.Params;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * The fields of a hotel as an administrator creates or replaces it (the id and version are the
 * store's).
 */
public record HotelInput(
    String cityKey,
    String name,
    int stars,
    String district,
    String address,
    double latitude,
    double longitude) {

  /**
   * Validates a create/replace body; every failure is a 400 naming the field. The city is checked
   * when stored.
   */
  public static HotelInput parse(JsonObject body) {
    Params p = Params.of(body);
    return new HotelInput(
        p.required("cityKey", 100).toLowerCase(Locale.ROOT),
        p.required("name", 120),
        p.requiredInteger("stars", 1, 5),
        p.string("district", 100, ""),
        p.required("address", 200),
        p.decimal("latitude", -90, 90),
        p.decimal("longitude", -180, 180));
  }
}
