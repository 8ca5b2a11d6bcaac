package dev.tarifa.gateway.domain;

import dev.tarifa.shared.http.Params;
import dev.tarifa.shared.http.Problem;

import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;

/**
 * {@code GET /api/v1/trips/search?from&to&depart&return&adults}: a flight, a hotel near the destination airport
 * for the stay, and a car there from 10:00 on arrival day to 10:00 on return day. Each leg is an ordinary
 * (cached) search.
 */
public record TripQuery(String from, String to, LocalDate depart, LocalDate returnDate, int adults) {
  public static final LocalTime CAR_HANDOVER = LocalTime.of(10, 0);
  /** Offers per leg considered for bundles. */
  public static final int LEG_LIMIT = 10;

  public static TripQuery parse(Params p, Clock clock) {
    String from = p.airport("from");
    String to = p.airport("to");
    if (from.equals(to)) throw Problem.badRequest("to", "must differ from from");
    LocalDate depart = p.travelDate("depart", clock, SearchQuery.MAX_DAYS_AHEAD);
    LocalDate ret = p.date("return");
    long nights = ChronoUnit.DAYS.between(depart, ret);
    if (nights < 1) throw Problem.badRequest("return", "must be after depart");
    if (nights > HotelQuery.MAX_NIGHTS) throw Problem.badRequest("return", "must be at most " + HotelQuery.MAX_NIGHTS + " days after depart");
    return new TripQuery(from, to, depart, ret, p.integer("adults", 1, 1, 9));
  }

  public FlightQuery flight() {
    return new FlightQuery(from, to, depart, adults, "economy", 1, "price", LEG_LIMIT, 0);
  }

  public HotelQuery hotel() {
    // Two guests per room keeps every party (up to 9 adults, 5 rooms) within the rooms the hotels offer.
    return new HotelQuery(null, to, depart, returnDate, adults, (adults + 1) / 2, 1, "price", LEG_LIMIT, 0);
  }

  public CarQuery car() {
    return new CarQuery(to, depart.atTime(CAR_HANDOVER), returnDate.atTime(CAR_HANDOVER), CarQuery.ANY_CLASS, "price", LEG_LIMIT, 0);
  }
}
