package dev.tarifa.shared.search;

import dev.tarifa.shared.http.Params;
import dev.tarifa.shared.http.Problem;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * {@code GET /api/v1/flights/search}: {@code from} and {@code to} IATA airport codes (different),
 * {@code date} within the {@link Horizon}, {@code adults} 1–9 (1), {@code cabin}
 * economy|premium|business|first (economy), {@code maxStops} 0–1 (1), {@code sort}
 * price|duration|departure (price), {@code limit} 1–50 (20), {@code offset} 0–1000 (0).
 */
public record FlightQuery(
    String from,
    String to,
    LocalDate date,
    int adults,
    String cabin,
    int maxStops,
    String sort,
    int limit,
    int offset)
    implements SearchQuery {
  public static final Set<String> CABINS = Set.of("economy", "premium", "business", "first");
  public static final Set<String> SORTS = Set.of("price", "duration", "departure");

  /**
   * The query, checked against everything but the airport reference (what the gateway can know).
   *
   * @throws Problem 400 naming the first bad parameter, in the order of the record's components
   */
  public static FlightQuery parse(Params p, Clock clock) {
    String from = p.airport("from");
    String to = p.airport("to");
    if (from.equals(to)) throw Problem.badRequest("to", "must differ from 'from'");
    return new FlightQuery(
        from,
        to,
        Horizon.travelDate(p, "date", clock),
        p.integer("adults", 1, 1, 9),
        p.oneOf("cabin", CABINS, "economy"),
        p.integer("maxStops", 1, 0, 1),
        p.oneOf("sort", SORTS, "price"),
        p.integer("limit", DEFAULT_LIMIT, 1, MAX_LIMIT),
        p.integer("offset", 0, 0, MAX_OFFSET));
  }

  /**
   * {@link #parse(Params, Clock)}, then both airports checked against the reference (the service's
   * parse). A well-formed query naming an unknown airport passes the gateway and is refused here,
   * so every other mistake is reported alike at both, and this one by the service (whose answer the
   * gateway passes through).
   *
   * @param knownAirport whether an IATA code is in the airport reference
   * @throws Problem 400 naming {@code from} or {@code to}: "unknown airport XYZ"
   */
  public static FlightQuery parse(Params p, Clock clock, Predicate<String> knownAirport) {
    FlightQuery q = parse(p, clock);
    if (!knownAirport.test(q.from)) throw Problem.badRequest("from", "unknown airport " + q.from);
    if (!knownAirport.test(q.to)) throw Problem.badRequest("to", "unknown airport " + q.to);
    return q;
  }

  @Override
  public String domain() {
    return "flights";
  }

  @Override
  public Map<String, String> params() {
    return Map.of(
        "from",
        from,
        "to",
        to,
        "date",
        date.toString(),
        "adults",
        Integer.toString(adults),
        "cabin",
        cabin,
        "maxStops",
        Integer.toString(maxStops),
        "sort",
        sort,
        "limit",
        Integer.toString(limit),
        "offset",
        Integer.toString(offset));
  }

  /** The normalised query as the answer's {@code query}. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("from", from)
        .put("to", to)
        .put("date", date.toString())
        .put("adults", adults)
        .put("cabin", cabin)
        .put("maxStops", maxStops)
        .put("sort", sort)
        .put("limit", limit)
        .put("offset", offset);
  }
}
