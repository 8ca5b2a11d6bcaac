package dev.tarifa.flights.domain;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

/**
 * A catalogue airport; {@code utcOffsetMinutes} is the standard offset used for all schedule
 * arithmetic.
 */
public record Airport(
    String iata,
    String name,
    String city,
    String country,
    String countryCode,
    double latitude,
    double longitude,
    int utcOffsetMinutes,
    String tz,
    int routeCount) {
  public static final String COLUMNS =
      "iata, name, city, country, country_code, latitude, longitude, utc_offset_min, tz, route_count";

  public static Airport of(Row r) {
    return new Airport(
        r.getString(0),
        r.getString(1),
        r.getString(2),
        r.getString(3),
        r.getString(4),
        r.getDouble(5),
        r.getDouble(6),
        r.getInteger(7),
        r.getString(8),
        r.getInteger(9));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("iata", iata)
        .put("name", name)
        .put("city", city)
        .put("country", country)
        .put("countryCode", countryCode)
        .put("latitude", latitude)
        .put("longitude", longitude)
        .put("utcOffsetMinutes", utcOffsetMinutes)
        .put("tz", tz);
  }

  /** For the shared geometry ({@link dev.tarifa.shared.catalogue.OpenFlights#distanceKm}). */
  public dev.tarifa.shared.catalogue.OpenFlights.Airport toOpenFlights() {
    return new dev.tarifa.shared.catalogue.OpenFlights.Airport(
        iata, name, city, country, countryCode, latitude, longitude, utcOffsetMinutes / 60.0, tz);
  }

  /** The short form embedded in itineraries. */
  public JsonObject toRef() {
    return new JsonObject().put("iata", iata).put("name", name).put("city", city);
  }
}
