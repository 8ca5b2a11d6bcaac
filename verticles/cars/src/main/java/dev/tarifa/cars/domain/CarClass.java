package dev.tarifa.cars.domain;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A car class by its ACRISS code (category, type, transmission, fuel/air), with the base daily
 * price in EUR cents from which stations and suppliers derive their rates. {@code order} ranks
 * classes from smallest to largest.
 */
public record CarClass(
    String code,
    String name,
    int seats,
    int doors,
    String transmission,
    long baseDailyCents,
    int order) {
  public static final List<CarClass> ALL =
      List.of(
          new CarClass("MBMR", "Mini", 4, 2, "manual", 2_500, 1),
          new CarClass("ECMR", "Economy", 4, 4, "manual", 3_000, 2),
          new CarClass("CDMR", "Compact", 5, 4, "manual", 3_600, 3),
          new CarClass("IDAR", "Intermediate", 5, 4, "automatic", 4_400, 4),
          new CarClass("SDAR", "Standard", 5, 4, "automatic", 5_200, 5),
          new CarClass("FDAR", "Full-size", 5, 4, "automatic", 6_200, 6),
          new CarClass("IFAR", "Intermediate SUV", 5, 4, "automatic", 7_000, 7),
          new CarClass("MVMR", "Minivan", 7, 5, "manual", 7_800, 8),
          new CarClass("PDAR", "Premium", 5, 4, "automatic", 8_500, 9),
          new CarClass("LDAR", "Luxury", 5, 4, "automatic", 12_500, 10));

  /** The class for an ACRISS code, or null. */
  public static CarClass of(String code) {
    for (CarClass c : ALL) if (c.code.equals(code)) return c;
    return null;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("code", code)
        .put("name", name)
        .put("seats", seats)
        .put("doors", doors)
        .put("transmission", transmission);
  }
}
