package dev.tarifa.flights.domain;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A seller of flights: an operating airline selling direct (code = the airline's IATA code, name
 * "{airline} direct") or an online travel agency (fictional names, upper-case codes of four letters
 * or more).
 */
public record Provider(String code, String name) {
  /** The online travel agencies; every flight is also sold by 2–5 of them. */
  public static final List<Provider> AGENCIES =
      List.of(
          new Provider("SKYBASKET", "SkyBasket"),
          new Provider("FAREFINCH", "FareFinch"),
          new Provider("VOYAGO", "Voyago"),
          new Provider("TRIPTROVE", "TripTrove"),
          new Provider("JETCOMPARE", "JetCompare"),
          new Provider("AIRBAZAAR", "AirBazaar"));

  public static Provider direct(String airlineIata, String airlineName) {
    return new Provider(airlineIata, airlineName + " direct");
  }

  public JsonObject toJson() {
    return new JsonObject().put("code", code).put("name", name);
  }
}
