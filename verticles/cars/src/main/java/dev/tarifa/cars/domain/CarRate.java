package dev.tarifa.cars.domain;

import dev.tarifa.shared.money.Money;
import io.vertx.core.json.JsonObject;

/**
 * A supplier's base daily rate for a car class at a station, before the factors of {@link
 * CarPricing}.
 */
public record CarRate(
    String stationIata, String classCode, String supplierCode, Money baseDaily, int version) {
  public JsonObject toJson() {
    return new JsonObject()
        .put("station", stationIata)
        .put("carClass", classCode)
        .put("supplier", supplierCode)
        .put("baseDaily", baseDaily.toJson())
        .put("version", version);
  }
}
