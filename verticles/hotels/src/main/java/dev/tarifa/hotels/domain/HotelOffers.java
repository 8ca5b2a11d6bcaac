package dev.tarifa.hotels.domain;

import dev.tarifa.shared.pricing.Offer;
import dev.tarifa.shared.pricing.OfferComparison;
import dev.tarifa.shared.search.HotelQuery;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the rate rows of a city into search products: one per hotel room type, with every
 * provider's price for the whole stay ({@link HotelPricing#stay}) compared by {@link
 * OfferComparison}.
 */
public final class HotelOffers {
  /** One provider's base rate for one room type of one hotel, as read from the store. */
  public record OfferRow(Hotel hotel, RoomType room, Provider provider, long baseNightly) {}

  /** A product of the answer. */
  public record Product(Hotel hotel, RoomType room, OfferComparison comparison) {
    public JsonObject toJson(HotelQuery q) {
      JsonObject json =
          new JsonObject()
              .put("id", hotel.id() + ":" + room.code())
              .put(
                  "hotel",
                  new JsonObject()
                      .put("id", hotel.id())
                      .put("name", hotel.name())
                      .put("stars", hotel.stars())
                      .put("district", hotel.district())
                      .put("address", hotel.address())
                      .put(
                          "location",
                          new JsonObject()
                              .put("latitude", hotel.latitude())
                              .put("longitude", hotel.longitude())))
              .put(
                  "room",
                  new JsonObject()
                      .put("code", room.code())
                      .put("maxOccupancy", room.maxOccupancy()))
              .put("nights", q.nights())
              .put("rooms", q.rooms());
      return comparison.writeTo(json);
    }
  }

  private HotelOffers() {}

  /** All products for the query, sorted as it asks (ties by hotel id, then room code). */
  public static List<Product> products(List<OfferRow> rows, HotelQuery q, LocalDate today) {
    Map<Long, List<OfferRow>> byRoom = new LinkedHashMap<>();
    for (OfferRow r : rows) byRoom.computeIfAbsent(r.room().id(), k -> new ArrayList<>()).add(r);
    List<Product> out = new ArrayList<>(byRoom.size());
    for (List<OfferRow> group : byRoom.values()) {
      List<Offer> offers = new ArrayList<>(group.size());
      for (OfferRow r : group) {
        offers.add(
            new Offer(
                r.provider().code(),
                r.provider().name(),
                HotelPricing.stay(r.baseNightly(), q.checkIn(), q.checkOut(), q.rooms(), today)));
      }
      OfferRow first = group.get(0);
      out.add(new Product(first.hotel(), first.room(), OfferComparison.of(offers)));
    }
    Comparator<Product> cheapest =
        Comparator.comparingLong(p -> p.comparison().cheapest().price().amount());
    Comparator<Product> tie =
        Comparator.<Product>comparingLong(p -> p.hotel().id()).thenComparing(p -> p.room().code());
    Comparator<Product> order =
        switch (q.sort()) {
          case "stars" ->
              Comparator.<Product>comparingInt(p -> -p.hotel().stars()).thenComparing(cheapest);
          case "name" ->
              Comparator.<Product, String>comparing(p -> p.hotel().name()).thenComparing(cheapest);
          default -> cheapest;
        };
    out.sort(order.thenComparing(tie));
    return out;
  }
}
