package dev.tarifa.flights.domain;

import dev.tarifa.shared.money.Money;
import dev.tarifa.shared.pricing.Offer;
import dev.tarifa.shared.pricing.OfferComparison;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns candidate flight combinations and their stored fares into priced, grouped and ordered
 * itineraries. Pure: no I/O, so it is unit-tested directly.
 *
 * <ul>
 *   <li>Each candidate (one or two legs) becomes one itinerary; duplicates (same legs) are merged.
 *   <li>A provider offers a two-leg itinerary only if it sells both legs in the cabin; its price is
 *       the sum of the legs' {@link Pricing#price} on each leg's local departure date.
 *   <li>Offers are compared by the shared {@link OfferComparison} (sorted by price, then provider
 *       code).
 *   <li>Itineraries without any offer are dropped.
 *   <li>Order: price (cheapest offer, then duration), departure (then price) or duration (then
 *       price); ties by id.
 * </ul>
 */
public final class Itineraries {
  private Itineraries() {}

  /** A leg candidate; times in minutes from 00:00 UTC of the searched date. */
  public record LegRow(
      long flightId, String airline, int number, String from, String to, int depUtc, int arrUtc) {}

  /** A provider's stored base fare for one flight in the searched cabin. */
  public record FareRow(String provider, long amount) {}

  public static List<Itinerary> build(
      SearchQuery q,
      LocalDate today,
      Reference ref,
      List<List<LegRow>> candidates,
      Map<Long, List<FareRow>> fares) {
    Map<String, Itinerary> byId = new LinkedHashMap<>();
    for (List<LegRow> candidate : candidates) {
      List<Itinerary.Leg> legs = new ArrayList<>(candidate.size());
      for (LegRow r : candidate) {
        Airport from = ref.airports().get(r.from()), to = ref.airports().get(r.to());
        Airline airline = ref.airlines().get(r.airline());
        if (from == null || to == null || airline == null) continue;
        legs.add(
            new Itinerary.Leg(
                r.flightId(),
                airline,
                r.number(),
                from,
                to,
                local(q.date(), r.depUtc(), from),
                local(q.date(), r.arrUtc(), to),
                r.arrUtc() - r.depUtc()));
      }
      if (legs.size() != candidate.size()) continue;
      List<Offer> offers = offers(legs, fares, today, q.adults(), ref);
      if (offers.isEmpty()) continue;
      int depUtc = candidate.get(0).depUtc();
      int duration = candidate.get(candidate.size() - 1).arrUtc() - depUtc;
      Itinerary it = new Itinerary(List.copyOf(legs), OfferComparison.of(offers), depUtc, duration);
      byId.putIfAbsent(it.id(), it);
    }
    List<Itinerary> all = new ArrayList<>(byId.values());
    all.sort(order(q.sort()));
    return all;
  }

  /**
   * The offers of the providers selling every leg. A provider's fares are a handful per flight, so
   * each is looked up in the other legs' lists directly, rather than through a map of prices per
   * leg (that map and its boxed prices were most of this method's cost in a search miss).
   */
  static List<Offer> offers(
      List<Itinerary.Leg> legs,
      Map<Long, List<FareRow>> fares,
      LocalDate today,
      int adults,
      Reference ref) {
    int n = legs.size();
    List<List<FareRow>> byLeg = new ArrayList<>(n);
    for (Itinerary.Leg leg : legs) {
      List<FareRow> l = fares.get(leg.flightId());
      if (l == null || l.isEmpty()) return new ArrayList<>();
      byLeg.add(l);
    }
    List<FareRow> first = byLeg.get(0);
    List<Offer> offers = new ArrayList<>(first.size());
    next:
    for (FareRow f : first) {
      long total = Pricing.price(f.amount(), legs.get(0).departure().toLocalDate(), today, adults);
      for (int i = 1; i < n; i++) {
        FareRow other = find(byLeg.get(i), f.provider());
        if (other == null) continue next;
        total +=
            Pricing.price(other.amount(), legs.get(i).departure().toLocalDate(), today, adults);
      }
      Provider p = ref.providers().get(f.provider());
      offers.add(
          p == null
              ? new Offer(f.provider(), f.provider(), Money.eur(total))
              : new Offer(p.code(), p.name(), Money.eur(total)));
    }
    return offers;
  }

  private static FareRow find(List<FareRow> fares, String provider) {
    for (int i = 0, n = fares.size(); i < n; i++) {
      FareRow f = fares.get(i);
      if (f.provider().equals(provider)) return f;
    }
    return null;
  }

  private static LocalDateTime local(LocalDate date, int utcMinutes, Airport airport) {
    return date.atStartOfDay().plusMinutes(utcMinutes + airport.utcOffsetMinutes());
  }

  static Comparator<Itinerary> order(SearchQuery.Sort sort) {
    Comparator<Itinerary> price = Comparator.comparingLong(i -> i.cheapest().price().amount());
    Comparator<Itinerary> duration = Comparator.comparingInt(Itinerary::duration);
    Comparator<Itinerary> departure = Comparator.comparingInt(Itinerary::departureUtc);
    Comparator<Itinerary> primary =
        switch (sort) {
          case PRICE -> price.thenComparing(duration);
          case DEPARTURE -> departure.thenComparing(price);
          case DURATION -> duration.thenComparing(price);
        };
    return primary.thenComparing(Itinerary::id);
  }
}
