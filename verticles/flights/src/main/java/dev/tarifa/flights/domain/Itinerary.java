package dev.tarifa.flights.domain;

import dev.tarifa.shared.pricing.Offer;
import dev.tarifa.shared.pricing.OfferComparison;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;

/**
 * One product of a flight search: one or two legs (the flights, each identified by carrier + number
 * + local departure) with every provider's offer for the whole itinerary, cheapest first.
 *
 * @param departureUtc minutes from 00:00 UTC of the searched date (orders departures across time
 *     zones)
 * @param duration door-to-door minutes, layover included
 */
public record Itinerary(
    String id, List<Leg> legs, OfferComparison offers, int departureUtc, int duration) {
  /** An itinerary with its {@link #idOf id}. */
  public Itinerary(List<Leg> legs, OfferComparison offers, int departureUtc, int duration) {
    this(idOf(legs), legs, offers, departureUtc, duration);
  }

  public record Leg(
      long flightId,
      Airline airline,
      int number,
      Airport from,
      Airport to,
      LocalDateTime departure,
      LocalDateTime arrival,
      int duration) {
    public String flight() {
      return airline.iata() + number;
    }

    public JsonObject toJson() {
      return new JsonObject()
          .put("flight", flight())
          .put("airline", airline.toRef())
          .put("from", from.toRef())
          .put("to", to.toRef())
          .put("departure", IsoTimes.minutes(departure))
          .put("arrival", IsoTimes.minutes(arrival))
          .put("durationMinutes", duration);
    }
  }

  /**
   * Stable product id: each leg's flight and local departure, joined by "+". Made once per
   * itinerary: the ranking's ties compare it.
   */
  public static String idOf(List<Leg> legs) {
    StringBuilder sb = new StringBuilder(24 * legs.size());
    for (Leg l : legs) {
      if (!sb.isEmpty()) sb.append('+');
      sb.append(l.airline().iata())
          .append(l.number())
          .append('@')
          .append(IsoTimes.minutes(l.departure()));
    }
    return sb.toString();
  }

  public Offer cheapest() {
    return offers.cheapest();
  }

  public LocalDateTime departure() {
    return legs.get(0).departure();
  }

  public JsonObject toJson() {
    JsonArray legsJson = new JsonArray();
    for (Leg l : legs) legsJson.add(l.toJson());
    Leg first = legs.get(0), last = legs.get(legs.size() - 1);
    JsonObject json =
        new JsonObject()
            .put("id", id())
            .put("stops", legs.size() - 1)
            .put("departure", IsoTimes.minutes(first.departure()))
            .put("arrival", IsoTimes.minutes(last.arrival()))
            .put("durationMinutes", duration)
            .put("legs", legsJson);
    if (legs.size() > 1) {
      json.put(
          "layoverMinutes",
          (int)
              Duration.between(
                      first.arrival().minusMinutes(first.to().utcOffsetMinutes()),
                      legs.get(1).departure().minusMinutes(legs.get(1).from().utcOffsetMinutes()))
                  .toMinutes());
    }
    return offers.writeTo(json);
  }
}
