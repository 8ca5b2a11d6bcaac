package dev.tarifa.cars.domain;

import io.vertx.core.json.JsonObject;
import java.util.List;

/** A (fictional) car rental supplier whose rates are compared. */
public record Supplier(String code, String name) {
  public static final List<Supplier> ALL =
      List.of(
          new Supplier("roadrunner", "RoadRunner Rentals"),
          new Supplier("autovia", "Autovia"),
          new Supplier("drivenow", "DriveNow Compare"),
          new Supplier("carrousel", "Carrousel"),
          new Supplier("wheeldeal", "WheelDeal"));

  public JsonObject toJson() {
    return new JsonObject().put("code", code).put("name", name);
  }

  /** Cache tag of every answer that shows this supplier (its rating appears next to its offers). */
  public static String tag(String code) {
    return dev.tarifa.shared.search.CacheTag.supplier(code).value();
  }
}
