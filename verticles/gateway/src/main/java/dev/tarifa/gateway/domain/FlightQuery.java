package dev.tarifa.gateway.domain;

import dev.tarifa.shared.http.Params;
import dev.tarifa.shared.http.Problem;

import java.time.Clock;
import java.time.LocalDate;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /api/v1/flights/search}, the flights service's rules: from/to IATA codes (different), date today .. 365
 * days ahead, adults 1–9, cabin economy|premium|business|first, maxStops 0–1 (1), sort price|duration|departure,
 * limit 1–50 (20), offset 0–1000. Whether an airport exists is the service's call (a 400 passed through, not cached).
 */
public record FlightQuery(String from, String to, LocalDate date, int adults, String cabin, int maxStops,
                          String sort, int limit, int offset) implements SearchQuery {
  public static final Set<String> CABINS = Set.of("economy", "premium", "business", "first");
  public static final Set<String> SORTS = Set.of("price", "duration", "departure");

  public static FlightQuery parse(Params p, Clock clock) {
    String from = p.airport("from");
    String to = p.airport("to");
    if (from.equals(to)) throw Problem.badRequest("to", "must differ from from");
    return new FlightQuery(from, to,
      p.travelDate("date", clock, MAX_DAYS_AHEAD),
      p.integer("adults", 1, 1, 9),
      p.oneOf("cabin", CABINS, "economy"),
      p.integer("maxStops", 1, 0, 1),
      p.oneOf("sort", SORTS, "price"),
      p.integer("limit", 20, 1, 50),
      p.integer("offset", 0, 0, 1000));
  }

  @Override
  public String domain() {
    return "flights";
  }

  @Override
  public Map<String, String> params() {
    return Map.of("from", from, "to", to, "date", date.toString(), "adults", Integer.toString(adults), "cabin", cabin,
      "maxStops", Integer.toString(maxStops), "sort", sort, "limit", Integer.toString(limit), "offset", Integer.toString(offset));
  }
}
