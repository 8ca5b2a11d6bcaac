package dev.tarifa.hotels.domain;

import dev.tarifa.shared.http.Params;
import dev.tarifa.shared.http.Problem;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Set;

/**
 * A validated hotel search. Exactly one of {@code city} (name or city key) and {@code near} (IATA airport);
 * {@code checkIn} today .. 365 days ahead; 1–30 nights; guests 1–9; rooms 1–5 and not more than guests;
 * minStars 1–5; sort price|stars|name; limit 1–50; offset 0–1000. Every violation is a 400 naming the parameter.
 */
public record HotelQuery(String city, String near, LocalDate checkIn, LocalDate checkOut, int guests, int rooms,
                         int minStars, String sort, int limit, int offset) {
  public static final int MAX_DAYS_AHEAD = 365, MAX_NIGHTS = 30;
  public static final Set<String> SORTS = Set.of("price", "stars", "name");

  public static HotelQuery parse(Params p, Clock clock) {
    String city = p.string("city", 100, null);
    String near = p.raw("near") == null ? null : p.airport("near");
    if (city == null && near == null) throw Problem.badRequest("city", "city or near is required");
    if (city != null && near != null) throw Problem.badRequest("near", "give either city or near, not both");
    LocalDate checkIn = p.travelDate("checkIn", clock, MAX_DAYS_AHEAD);
    LocalDate checkOut = p.date("checkOut");
    if (!checkOut.isAfter(checkIn)) throw Problem.badRequest("checkOut", "must be after checkIn");
    if (ChronoUnit.DAYS.between(checkIn, checkOut) > MAX_NIGHTS) throw Problem.badRequest("checkOut", "the stay must be at most " + MAX_NIGHTS + " nights");
    int guests = p.integer("guests", 1, 1, 9);
    int rooms = p.integer("rooms", 1, 1, 5);
    if (rooms > guests) throw Problem.badRequest("rooms", "must not exceed guests");
    int minStars = p.integer("minStars", 1, 1, 5);
    String sort = p.oneOf("sort", SORTS, "price");
    int limit = p.integer("limit", 20, 1, 50);
    int offset = p.integer("offset", 0, 0, 1000);
    return new HotelQuery(city == null ? null : city.toLowerCase(Locale.ROOT), near, checkIn, checkOut, guests, rooms,
      minStars, sort, limit, offset);
  }

  public int nights() {
    return (int) ChronoUnit.DAYS.between(checkIn, checkOut);
  }

  /** Guests per room, rounded up: the least occupancy a room type needs to be offered. */
  public int occupancyNeeded() {
    return (guests + rooms - 1) / rooms;
  }

  /** The normalised query, with the resolved city key. */
  public JsonObject toJson(String cityKey) {
    JsonObject json = new JsonObject();
    if (near != null) json.put("near", near);
    json.put("city", cityKey).put("checkIn", checkIn.toString()).put("checkOut", checkOut.toString())
      .put("nights", nights()).put("guests", guests).put("rooms", rooms).put("minStars", minStars).put("sort", sort);
    return json;
  }
}
