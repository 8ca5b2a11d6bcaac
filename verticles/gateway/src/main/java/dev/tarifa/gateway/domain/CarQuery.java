package dev.tarifa.gateway.domain;

import dev.tarifa.shared.http.Params;
import dev.tarifa.shared.http.Problem;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.Set;

/** {@code GET /api/v1/cars/search?location=IATA&pickUp&dropOff&carClass&sort&limit&offset}; times to the minute. */
public record CarQuery(String location, LocalDateTime pickUp, LocalDateTime dropOff, String carClass, String sort,
                       int limit, int offset) implements SearchQuery {
  public static final int MAX_RENTAL_DAYS = 60;
  public static final Set<String> CLASSES = Set.of("any", "mini", "economy", "compact", "intermediate", "standard",
    "fullsize", "premium", "suv", "van");
  public static final Set<String> SORTS = Set.of("price", "class");

  public static CarQuery parse(Params p, Clock clock) {
    String location = p.airport("location");
    LocalDateTime pickUp = p.dateTime("pickUp");
    LocalDateTime dropOff = p.dateTime("dropOff");
    LocalDateTime now = LocalDateTime.now(clock).withSecond(0).withNano(0);
    if (pickUp.toLocalDate().isBefore(now.toLocalDate())) throw Problem.badRequest("pickUp", "must not be in the past");
    if (pickUp.isAfter(now.plusDays(MAX_DAYS_AHEAD))) throw Problem.badRequest("pickUp", "must be at most " + MAX_DAYS_AHEAD + " days ahead");
    if (!dropOff.isAfter(pickUp)) throw Problem.badRequest("dropOff", "must be after pickUp");
    if (Duration.between(pickUp, dropOff).toDays() > MAX_RENTAL_DAYS) {
      throw Problem.badRequest("dropOff", "must be at most " + MAX_RENTAL_DAYS + " days after pickUp");
    }
    return new CarQuery(location, pickUp, dropOff,
      p.oneOf("carClass", CLASSES, "any"),
      p.oneOf("sort", SORTS, "price"),
      p.integer("limit", 20, 1, 50),
      p.integer("offset", 0, 0, 1000));
  }

  @Override
  public String domain() {
    return "cars";
  }

  @Override
  public Map<String, String> params() {
    return Map.of("location", location, "pickUp", pickUp.toString(), "dropOff", dropOff.toString(), "carClass", carClass,
      "sort", sort, "limit", Integer.toString(limit), "offset", Integer.toString(offset));
  }
}
