package dev.tarifa.cars.domain;

import dev.tarifa.shared.pricing.Offer;
import dev.tarifa.shared.pricing.OfferComparison;
import dev.tarifa.shared.search.CarQuery;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a station's rate rows into search products: one per car class, with every supplier's total
 * for the rental ({@link CarPricing#total}) compared by {@link OfferComparison}.
 */
public final class CarOffers {
  /** One supplier's base daily rate for one class at the station, as read from the store. */
  public record OfferRow(CarClass carClass, Supplier supplier, long baseDaily) {}

  public record Product(Station station, CarClass carClass, OfferComparison comparison) {
    public JsonObject toJson(CarQuery q) {
      JsonObject json =
          new JsonObject()
              .put("id", station.iata() + ":" + carClass.code())
              .put("carClass", carClass.toJson())
              .put(
                  "station",
                  new JsonObject().put("iata", station.iata()).put("name", station.name()))
              .put("days", q.days());
      return comparison.writeTo(json);
    }
  }

  private CarOffers() {}

  /**
   * All products, sorted by cheapest total (sort=price) or class size (sort=class); ties by class
   * order.
   */
  public static List<Product> products(Station station, List<OfferRow> rows, CarQuery q) {
    Map<String, List<OfferRow>> byClass = new LinkedHashMap<>();
    for (OfferRow r : rows)
      byClass.computeIfAbsent(r.carClass().code(), k -> new ArrayList<>()).add(r);
    List<Product> out = new ArrayList<>();
    for (List<OfferRow> group : byClass.values()) {
      List<Offer> offers = new ArrayList<>(group.size());
      for (OfferRow r : group) {
        offers.add(
            new Offer(
                r.supplier().code(),
                r.supplier().name(),
                CarPricing.total(r.baseDaily(), q.pickUp(), q.dropOff())));
      }
      out.add(new Product(station, group.get(0).carClass(), OfferComparison.of(offers)));
    }
    Comparator<Product> byOrder = Comparator.comparingInt(p -> p.carClass().order());
    Comparator<Product> byPrice =
        Comparator.comparingLong(p -> p.comparison().cheapest().price().amount());
    out.sort(
        "class".equals(q.sort()) ? byOrder.thenComparing(byPrice) : byPrice.thenComparing(byOrder));
    return out;
  }
}
