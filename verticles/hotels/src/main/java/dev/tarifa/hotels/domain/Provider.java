package dev.tarifa.hotels.domain;

import io.vertx.core.json.JsonObject;
import java.util.List;

/** A (fictional) hotel booking provider whose rates are compared. */
public record Provider(String code, String name) {
  public static final List<Provider> ALL =
      List.of(
          new Provider("staycompare", "StayCompare"),
          new Provider("nightnest", "NightNest"),
          new Provider("roomradar", "RoomRadar"),
          new Provider("bookbee", "BookBee"),
          new Provider("hotelhop", "HotelHop"));

  public JsonObject toJson() {
    return new JsonObject().put("code", code).put("name", name);
  }
}
