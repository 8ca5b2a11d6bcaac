package dev.tarifa.cars.domain;

import dev.tarifa.shared.http.Params;
import dev.tarifa.shared.http.Problem;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A validated car search: {@code location} (IATA of a station); {@code pickUp} (yyyy-MM-ddTHH:mm) from today up to
 * 365 days ahead; {@code dropOff} after pickUp and at most 30 days later; optional {@code carClass} (a four-letter
 * ACRISS code of the catalogue); sort price|class; limit 1–50; offset 0–1000. Each violation is a 400 naming the
 * parameter.
 */
public record CarQuery(String location, LocalDateTime pickUp, LocalDateTime dropOff, String carClass, String sort,
                       int limit, int offset) {
  public static final int MAX_DAYS_AHEAD = 365, MAX_DAYS = 30;
  public static final Set<String> SORTS = Set.of("price", "class");
  private static final Pattern ACRISS = Pattern.compile("[A-Z]{4}");

  public static CarQuery parse(Params p, Clock clock) {
    String location = p.airport("location");
    LocalDateTime pickUp = p.dateTime("pickUp");
    LocalDate today = LocalDate.now(clock);
    if (pickUp.toLocalDate().isBefore(today)) throw Problem.badRequest("pickUp", "must not be in the past");
    if (pickUp.toLocalDate().isAfter(today.plusDays(MAX_DAYS_AHEAD))) throw Problem.badRequest("pickUp", "must be at most " + MAX_DAYS_AHEAD + " days ahead");
    LocalDateTime dropOff = p.dateTime("dropOff");
    if (!dropOff.isAfter(pickUp)) throw Problem.badRequest("dropOff", "must be after pickUp");
    if (Duration.between(pickUp, dropOff).compareTo(Duration.ofDays(MAX_DAYS)) > 0) throw Problem.badRequest("dropOff", "the rental must be at most " + MAX_DAYS + " days");
    String carClass = p.raw("carClass");
    if (carClass != null) {
      carClass = carClass.toUpperCase(Locale.ROOT);
      if (!ACRISS.matcher(carClass).matches()) throw Problem.badRequest("carClass", "must be a four-letter ACRISS code");
      if (CarClass.of(carClass) == null) throw Problem.badRequest("carClass", "unknown car class " + carClass);
    }
    String sort = p.oneOf("sort", SORTS, "price");
    int limit = p.integer("limit", 20, 1, 50);
    int offset = p.integer("offset", 0, 0, 1000);
    return new CarQuery(location, pickUp, dropOff, carClass, sort, limit, offset);
  }

  public int days() {
    return CarPricing.rentalDays(pickUp, dropOff);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("location", location).put("pickUp", pickUp.toString())
      .put("dropOff", dropOff.toString()).put("days", days());
    if (carClass != null) json.put("carClass", carClass);
    return json.put("sort", sort);
  }
}
