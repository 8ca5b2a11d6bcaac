package dev.tarifa.shared.search;

import dev.tarifa.shared.http.Params;
import dev.tarifa.shared.http.Problem;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * {@code GET /api/v1/cars/search}: {@code location} (IATA of a station); {@code pickUp}
 * (yyyy-MM-ddTHH:mm, seconds dropped) on a day within the {@link Horizon} (the time of day does not
 * count); {@code dropOff} after pickUp and at most {@link #MAX_RENTAL_DAYS} days later; optional
 * {@code carClass} (a four-letter ACRISS code, upper-cased); {@code sort} price|class (price);
 * {@code limit} 1–50 (20); {@code offset} 0–1000 (0). Whether the station exists is the service's
 * answer.
 *
 * @param carClass the class filter, or null for every class
 */
public record CarQuery(
    String location,
    LocalDateTime pickUp,
    LocalDateTime dropOff,
    String carClass,
    String sort,
    int limit,
    int offset)
    implements SearchQuery {
  public static final int MAX_RENTAL_DAYS = 30;
  public static final Set<String> SORTS = Set.of("price", "class");
  private static final Pattern ACRISS = Pattern.compile("[A-Z]{4}");
  private static final long MINUTES_A_DAY = 24 * 60;

  /**
   * The query, checked against everything but the catalogue of car classes (what the gateway can
   * know).
   *
   * @throws Problem 400 naming the first bad parameter
   */
  public static CarQuery parse(Params p, Clock clock) {
    String location = p.airport("location");
    LocalDateTime pickUp = p.dateTime("pickUp");
    Horizon.check("pickUp", pickUp.toLocalDate(), clock);
    LocalDateTime dropOff = p.dateTime("dropOff");
    if (!dropOff.isAfter(pickUp)) throw Problem.badRequest("dropOff", "must be after pickUp");
    if (Duration.between(pickUp, dropOff).compareTo(Duration.ofDays(MAX_RENTAL_DAYS)) > 0) {
      throw Problem.badRequest(
          "dropOff", "the rental must be at most " + MAX_RENTAL_DAYS + " days");
    }
    String carClass = p.raw("carClass");
    if (carClass != null) {
      carClass = carClass.toUpperCase(Locale.ROOT);
      if (!ACRISS.matcher(carClass).matches())
        throw Problem.badRequest("carClass", "must be a four-letter ACRISS code");
    }
    return new CarQuery(
        location,
        pickUp,
        dropOff,
        carClass,
        p.oneOf("sort", SORTS, "price"),
        p.integer("limit", DEFAULT_LIMIT, 1, MAX_LIMIT),
        p.integer("offset", 0, 0, MAX_OFFSET));
  }

  /**
   * {@link #parse(Params, Clock)}, then the class checked against the catalogue (the service's
   * parse): every other mistake is reported alike at the gateway and the service, this one by the
   * service.
   *
   * @param knownClass whether an ACRISS code is in the catalogue
   * @throws Problem 400 naming {@code carClass}: "unknown car class XXXX"
   */
  public static CarQuery parse(Params p, Clock clock, Predicate<String> knownClass) {
    CarQuery q = parse(p, clock);
    if (q.carClass != null && !knownClass.test(q.carClass))
      throw Problem.badRequest("carClass", "unknown car class " + q.carClass);
    return q;
  }

  /** Rental days: started 24-hour periods, at least one. */
  public int days() {
    long minutes = Duration.between(pickUp, dropOff).toMinutes();
    return (int) Math.max(1, (minutes + MINUTES_A_DAY - 1) / MINUTES_A_DAY);
  }

  @Override
  public String domain() {
    return "cars";
  }

  @Override
  public Map<String, String> params() {
    Map<String, String> m = new HashMap<>();
    m.put("location", location);
    m.put("pickUp", pickUp.toString());
    m.put("dropOff", dropOff.toString());
    if (carClass != null) m.put("carClass", carClass);
    m.put("sort", sort);
    m.put("limit", Integer.toString(limit));
    m.put("offset", Integer.toString(offset));
    return m;
  }

  /** The normalised query as the answer's {@code query}. */
  public JsonObject toJson() {
    JsonObject json =
        new JsonObject()
            .put("location", location)
            .put("pickUp", pickUp.toString())
            .put("dropOff", dropOff.toString())
            .put("days", days());
    if (carClass != null) json.put("carClass", carClass);
    return json.put("sort", sort);
  }
}
