package dev.tarifa.shared.pricing;

import dev.tarifa.shared.money.Money;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The providers' offers for one product, compared: offers sorted by price (ties by provider code, so the order
 * is stable), the cheapest, and the spread (most expensive minus cheapest; zero for a single offer). All offers
 * must share one currency ({@link IllegalArgumentException} otherwise) and there must be at least one.
 */
public record OfferComparison(List<Offer> offers, Offer cheapest, Money spread) {
  public static final Comparator<Offer> BY_PRICE =
    Comparator.comparing(Offer::price).thenComparing(Offer::providerCode);

  public static OfferComparison of(Collection<Offer> offers) {
    if (offers.isEmpty()) throw new IllegalArgumentException("no offers to compare");
    List<Offer> sorted = new ArrayList<>(offers);
    sorted.sort(BY_PRICE);
    Offer cheapest = sorted.get(0);
    Money spread = sorted.get(sorted.size() - 1).price().minus(cheapest.price());
    return new OfferComparison(List.copyOf(sorted), cheapest, spread);
  }

  /** Puts {@code offers}, {@code cheapest} and {@code spread} into {@code product} (the search contract's fields). */
  public JsonObject writeTo(JsonObject product) {
    JsonArray arr = new JsonArray();
    for (Offer o : offers) arr.add(o.toJson());
    return product.put("offers", arr).put("cheapest", cheapest.toJson()).put("spread", spread.toJson());
  }
}
