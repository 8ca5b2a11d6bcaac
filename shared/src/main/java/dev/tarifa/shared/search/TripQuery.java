package dev.tarifa.shared.search;

import dev.tarifa.shared.http.Params;
import dev.tarifa.shared.http.Problem;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /api/v1/trips/search?from&to&depart[&return | &nights]&adults&rooms&limit}.
 *
 * <ul>
 *   <li>Round trip ({@code return} given): the outbound flight {@code from → to} on {@code depart},
 *       the return flight {@code to → from} on {@code return}, a hotel near {@code to} for the
 *       nights in between and a car there from 10:00 on arrival day to 10:00 on return day.
 *   <li>One way (no {@code return}): the outbound flight; with {@code nights}, also a hotel for
 *       those nights and a car for those days from arrival day at 10:00.
 * </ul>
 *
 * Every leg is an ordinary (cached) search, sorted by price. The party is {@code adults} (1–9) in
 * {@code rooms} (1–5, at most one per adult; default one room per two adults, so double rooms fit
 * them; the hotels service offers only room types taking {@code ceil(adults / rooms)} guests);
 * flights are priced for every adult, the hotel for every room and night, the car (one) for the
 * days. {@code limit} (1–20, 5) is the number of bundles.
 */
public record TripQuery(
    String from,
    String to,
    LocalDate depart,
    LocalDate returnDate,
    int nights,
    int adults,
    int rooms,
    int limit) {
  public static final LocalTime CAR_HANDOVER = LocalTime.of(10, 0);

  /** Offers per leg considered for bundles. */
  public static final int LEG_LIMIT = 10;

  public static final int MAX_BUNDLES = 20;

  /**
   * The legs a trip may have, in answer order; also the keys of {@code legs} and of each bundle's
   * parts.
   */
  public static final String OUTBOUND = "outbound", RETURN = "return", HOTEL = "hotel", CAR = "car";

  /** One leg: its name and the ordinary search that answers it. */
  public record Leg(String name, SearchQuery search) {}

  public static TripQuery parse(Params p, Clock clock) {
    String from = p.airport("from");
    String to = p.airport("to");
    if (from.equals(to)) throw Problem.badRequest("to", "must differ from 'from'");
    LocalDate depart = Horizon.travelDate(p, "depart", clock);
    LocalDate ret = null;
    int nights = 0;
    if (p.raw("return") != null) {
      if (p.raw("nights") != null)
        throw Problem.badRequest("nights", "give either return or nights, not both");
      ret = Horizon.travelDate(p, "return", clock);
      long between = ChronoUnit.DAYS.between(depart, ret);
      if (between < 1) throw Problem.badRequest("return", "must be after depart");
      if (between > HotelQuery.MAX_NIGHTS) {
        throw Problem.badRequest(
            "return", "must be at most " + HotelQuery.MAX_NIGHTS + " days after depart");
      }
      nights = (int) between;
    } else {
      nights = p.integer("nights", 0, 1, HotelQuery.MAX_NIGHTS);
    }
    int adults = p.integer("adults", 1, 1, 9);
    int rooms = p.integer("rooms", Math.min(5, (adults + 1) / 2), 1, 5);
    if (rooms > adults) throw Problem.badRequest("rooms", "must not exceed adults");
    return new TripQuery(
        from, to, depart, ret, nights, adults, rooms, p.integer("limit", 5, 1, MAX_BUNDLES));
  }

  public boolean roundTrip() {
    return returnDate != null;
  }

  /**
   * The last day of the stay: the return date, or {@code depart + nights} one way (equal to depart
   * without nights).
   */
  public LocalDate stayEnd() {
    return depart.plusDays(nights);
  }

  public List<Leg> legs() {
    List<Leg> legs = new ArrayList<>(4);
    legs.add(new Leg(OUTBOUND, outbound()));
    if (roundTrip()) legs.add(new Leg(RETURN, inbound()));
    if (nights > 0) {
      legs.add(new Leg(HOTEL, hotel()));
      legs.add(new Leg(CAR, car()));
    }
    return legs;
  }

  public FlightQuery outbound() {
    return new FlightQuery(from, to, depart, adults, "economy", 1, "price", LEG_LIMIT, 0);
  }

  /** The return flight: destination → origin on the return date (round trips only). */
  public FlightQuery inbound() {
    return new FlightQuery(to, from, returnDate, adults, "economy", 1, "price", LEG_LIMIT, 0);
  }

  public HotelQuery hotel() {
    return new HotelQuery(null, to, depart, stayEnd(), adults, rooms, 1, "price", LEG_LIMIT, 0);
  }

  public CarQuery car() {
    return new CarQuery(
        to,
        depart.atTime(CAR_HANDOVER),
        stayEnd().atTime(CAR_HANDOVER),
        null,
        "price",
        LEG_LIMIT,
        0);
  }
}
