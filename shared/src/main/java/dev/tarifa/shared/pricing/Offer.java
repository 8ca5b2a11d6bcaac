package dev.tarifa.shared.pricing;

import dev.tarifa.shared.money.Money;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * One provider's price for one product: {@code {"provider": {"code","name"}, "price":
 * {"amount","currency"}}}.
 */
public record Offer(String providerCode, String providerName, Money price) {
  public Offer {
    Objects.requireNonNull(providerCode, "providerCode");
    Objects.requireNonNull(providerName, "providerName");
    Objects.requireNonNull(price, "price");
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("provider", new JsonObject().put("code", providerCode).put("name", providerName))
        .put("price", price.toJson());
  }
}
