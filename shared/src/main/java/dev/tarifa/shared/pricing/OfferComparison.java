package dev.tarifa.shared.pricing;

import dev.tarifa.shared.money.Money;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The providers' offers for one product, compared: offers sorted by price (ties by provider code,
 * so the order is stable), the cheapest, and the spread (most expensive minus cheapest; zero for a
 * single offer). All offers must share one currency ({@link IllegalArgumentException} otherwise)
 * and there must be at least one.
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

  /**
   * Puts {@code offers}, {@code cheapest} and {@code spread} into {@code product} (the search
   * contract's fields).
   */
  public JsonObject writeTo(JsonObject product) {
    JsonArray arr = new JsonArray();
    for (Offer o : offers) arr.add(o.toJson());
    return product
        .put("offers", arr)
        .put("cheapest", cheapest.toJson())
        .put("spread", spread.toJson());
  }

  /** The cheapest and the most expensive offer of a product, in one currency. */
  public record PriceRange(Money cheapest, Money dearest) {}

  /**
   * Reads back what {@link #writeTo} wrote (the search contract's product, e.g. from a cached
   * answer): the {@code cheapest} offer's price and the highest price among {@code offers}, both in
   * {@code currency} (other currencies are ignored; the dearest is never below the cheapest). Empty
   * when the product has no cheapest offer in {@code currency} or is not in that shape.
   */
  public static Optional<PriceRange> read(JsonObject product, String currency) {
    long cheapest = amount(product == null ? null : product.getValue("cheapest"), currency);
    if (cheapest < 0) return Optional.empty();
    long dearest = cheapest;
    if (product.getValue("offers") instanceof JsonArray offers)
      for (Object o : offers) dearest = Math.max(dearest, amount(o, currency));
    return Optional.of(new PriceRange(new Money(cheapest, currency), new Money(dearest, currency)));
  }

  /** An offer's amount in {@code currency}, or -1 when absent, malformed or in another currency. */
  private static long amount(Object offer, String currency) {
    if (!(offer instanceof JsonObject o) || !(o.getValue("price") instanceof JsonObject price))
      return -1;
    return price.getValue("amount") instanceof Number n
            && currency.equals(price.getValue("currency"))
        ? n.longValue()
        : -1;
  }
}
