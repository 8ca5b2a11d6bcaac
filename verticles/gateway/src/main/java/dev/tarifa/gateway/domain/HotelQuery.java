package dev.tarifa.gateway.domain;

import dev.tarifa.shared.http.Params;
import dev.tarifa.shared.http.Problem;

import java.time.Clock;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /api/v1/hotels/search}, the hotels service's rules: exactly one of {@code city} (lower-cased) and
 * {@code near} (IATA airport); {@code checkIn} today .. 365 days ahead; 1–30 nights; guests 1–9; rooms 1–5 and
 * not more than guests; minStars 1–5; sort price|stars|name; limit 1–50 (20); offset 0–1000.
 */
public record HotelQuery(String city, String near, LocalDate checkIn, LocalDate checkOut, int guests, int rooms,
                         int minStars, String sort, int limit, int offset) implements SearchQuery {
  public static final int MAX_NIGHTS = 30;
  public static final Set<String> SORTS = Set.of("price", "stars", "name");

  public static HotelQuery parse(Params p, Clock clock) {
    String city = p.string("city", 100, null);
    String near = p.optionalAirport("near");
    if (city == null && near == null) throw Problem.badRequest("city", "city or near is required");
    if (city != null && near != null) throw Problem.badRequest("near", "give either city or near, not both");
    LocalDate checkIn = p.travelDate("checkIn", clock, MAX_DAYS_AHEAD);
    LocalDate checkOut = p.date("checkOut");
    if (!checkOut.isAfter(checkIn)) throw Problem.badRequest("checkOut", "must be after checkIn");
    if (ChronoUnit.DAYS.between(checkIn, checkOut) > MAX_NIGHTS) {
      throw Problem.badRequest("checkOut", "the stay must be at most " + MAX_NIGHTS + " nights");
    }
    int guests = p.integer("guests", 1, 1, 9);
    int rooms = p.integer("rooms", 1, 1, 5);
    if (rooms > guests) throw Problem.badRequest("rooms", "must not exceed guests");
    return new HotelQuery(city == null ? null : city.toLowerCase(Locale.ROOT), near, checkIn, checkOut, guests, rooms,
      p.integer("minStars", 1, 1, 5),
      p.oneOf("sort", SORTS, "price"),
      p.integer("limit", 20, 1, 50),
      p.integer("offset", 0, 0, 1000));
  }

  @Override
  public String domain() {
    return "hotels";
  }

  @Override
  public Map<String, String> params() {
    Map<String, String> m = new HashMap<>(16);
    if (city != null) m.put("city", city);
    if (near != null) m.put("near", near);
    m.put("checkIn", checkIn.toString());
    m.put("checkOut", checkOut.toString());
    m.put("guests", Integer.toString(guests));
    m.put("rooms", Integer.toString(rooms));
    m.put("minStars", Integer.toString(minStars));
    m.put("sort", sort);
    m.put("limit", Integer.toString(limit));
    m.put("offset", Integer.toString(offset));
    return m;
  }
}
