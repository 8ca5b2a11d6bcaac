package dev.tarifa.gateway.domain;

import dev.tarifa.shared.http.Params;
import dev.tarifa.shared.http.Problem;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code GET /api/v1/cars/search?location=IATA&pickUp&dropOff&carClass&sort&limit&offset}; times to the minute.
 * Same rules as the cars service: rentals of at most 30 days, {@code carClass} an optional four-letter ACRISS code
 * (whether the station offers it is the service's answer, passed through and never cached).
 */
public record CarQuery(String location, LocalDateTime pickUp, LocalDateTime dropOff, String carClass, String sort,
                       int limit, int offset) implements SearchQuery {
  public static final int MAX_RENTAL_DAYS = 30;
  /** Canonical value for "no class filter"; never sent upstream. */
  public static final String ANY_CLASS = "";
  private static final Pattern ACRISS = Pattern.compile("[A-Z]{4}");
  public static final Set<String> SORTS = Set.of("price", "class");

  public static CarQuery parse(Params p, Clock clock) {
    String location = p.airport("location");
    LocalDateTime pickUp = p.dateTime("pickUp");
    LocalDateTime dropOff = p.dateTime("dropOff");
    LocalDateTime now = LocalDateTime.now(clock).withSecond(0).withNano(0);
    if (pickUp.toLocalDate().isBefore(now.toLocalDate())) throw Problem.badRequest("pickUp", "must not be in the past");
    if (pickUp.isAfter(now.plusDays(MAX_DAYS_AHEAD))) throw Problem.badRequest("pickUp", "must be at most " + MAX_DAYS_AHEAD + " days ahead");
    if (!dropOff.isAfter(pickUp)) throw Problem.badRequest("dropOff", "must be after pickUp");
    if (Duration.between(pickUp, dropOff).compareTo(Duration.ofDays(MAX_RENTAL_DAYS)) > 0) {
      throw Problem.badRequest("dropOff", "must be at most " + MAX_RENTAL_DAYS + " days after pickUp");
    }
    return new CarQuery(location, pickUp, dropOff,
      carClass(p),
      p.oneOf("sort", SORTS, "price"),
      p.integer("limit", 20, 1, 50),
      p.integer("offset", 0, 0, 1000));
  }

  private static String carClass(Params p) {
    String raw = p.raw("carClass");
    if (raw == null) return ANY_CLASS;
    String code = raw.toUpperCase(Locale.ROOT);
    if (!ACRISS.matcher(code).matches()) throw Problem.badRequest("carClass", "must be a four-letter ACRISS code");
    return code;
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
    if (!carClass.isEmpty()) m.put("carClass", carClass);
    m.put("sort", sort);
    m.put("limit", Integer.toString(limit));
    m.put("offset", Integer.toString(offset));
    return m;
  }
}
