package dev.tarifa.shared.search;

import dev.tarifa.shared.http.Params;
import dev.tarifa.shared.http.Problem;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /api/v1/hotels/search}: exactly one of {@code city} (lower-cased; a name or a city
 * key) and {@code near} (IATA airport); {@code checkIn} within the {@link Horizon}; {@code
 * checkOut} 1–30 nights later; {@code guests} 1–9 (1); {@code rooms} 1–5 (1) and not more than
 * guests; {@code minStars} 1–5 (1); {@code sort} price|stars|name (price); {@code limit} 1–50 (20);
 * {@code offset} 0–1000 (0). Whether the city or airport has hotels is the service's answer (a 400
 * naming {@code city} or {@code near}).
 */
public record HotelQuery(
    String city,
    String near,
    LocalDate checkIn,
    LocalDate checkOut,
    int guests,
    int rooms,
    int minStars,
    String sort,
    int limit,
    int offset)
    implements SearchQuery {
  public static final int MAX_NIGHTS = 30;
  public static final Set<String> SORTS = Set.of("price", "stars", "name");

  /**
   * @throws Problem 400 naming the first bad parameter
   */
  public static HotelQuery parse(Params p, Clock clock) {
    String city = p.string("city", 100, null);
    String near = p.optionalAirport("near");
    if (city == null && near == null) throw Problem.badRequest("city", "city or near is required");
    if (city != null && near != null)
      throw Problem.badRequest("near", "give either city or near, not both");
    LocalDate checkIn = Horizon.travelDate(p, "checkIn", clock);
    LocalDate checkOut = p.date("checkOut");
    if (!checkOut.isAfter(checkIn)) throw Problem.badRequest("checkOut", "must be after checkIn");
    if (ChronoUnit.DAYS.between(checkIn, checkOut) > MAX_NIGHTS) {
      throw Problem.badRequest("checkOut", "the stay must be at most " + MAX_NIGHTS + " nights");
    }
    int guests = p.integer("guests", 1, 1, 9);
    int rooms = p.integer("rooms", 1, 1, 5);
    if (rooms > guests) throw Problem.badRequest("rooms", "must not exceed guests");
    return new HotelQuery(
        city == null ? null : city.toLowerCase(Locale.ROOT),
        near,
        checkIn,
        checkOut,
        guests,
        rooms,
        p.integer("minStars", 1, 1, 5),
        p.oneOf("sort", SORTS, "price"),
        p.integer("limit", DEFAULT_LIMIT, 1, MAX_LIMIT),
        p.integer("offset", 0, 0, MAX_OFFSET));
  }

  public int nights() {
    return (int) ChronoUnit.DAYS.between(checkIn, checkOut);
  }

  /** Guests per room, rounded up: the least occupancy a room type needs to be offered. */
  public int occupancyNeeded() {
    return (guests + rooms - 1) / rooms;
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

  /** The normalised query as the answer's {@code query}, with the city key the service resolved. */
  public JsonObject toJson(String cityKey) {
    JsonObject json = new JsonObject();
    if (near != null) json.put("near", near);
    json.put("city", cityKey)
        .put("checkIn", checkIn.toString())
        .put("checkOut", checkOut.toString())
        .put("nights", nights())
        .put("guests", guests)
        .put("rooms", rooms)
        .put("minStars", minStars)
        .put("sort", sort);
    return json;
  }
}
