package dev.tarifa.hotels.domain;

import dev.tarifa.shared.money.Money;
import io.vertx.core.json.JsonObject;

/**
 * A provider's base nightly rate for a room type, before the date factors of {@link HotelPricing}.
 */
public record Rate(long roomTypeId, String providerCode, Money baseNightly, int version) {
  public JsonObject toJson() {
    return new JsonObject()
        .put("roomTypeId", roomTypeId)
        .put("provider", providerCode)
        .put("baseNightly", baseNightly.toJson())
        .put("version", version);
  }
}
