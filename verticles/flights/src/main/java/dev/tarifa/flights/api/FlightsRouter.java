package dev.tarifa.flights.api;

import dev.tarifa.flights.domain.Airline;
import dev.tarifa.flights.domain.Airport;
import dev.tarifa.flights.domain.Cabin;
import dev.tarifa.flights.domain.Itineraries;
import dev.tarifa.flights.domain.Itinerary;
import dev.tarifa.flights.domain.Reference;
import dev.tarifa.flights.domain.SearchQuery;
import dev.tarifa.flights.store.FlightStore;
import dev.tarifa.shared.health.Health;
import dev.tarifa.shared.http.Params;
import dev.tarifa.shared.http.Problem;
import dev.tarifa.shared.http.Responses;
import dev.tarifa.shared.http.Routers;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/** The flights service's HTTP API. */
public final class FlightsRouter {
  public static final int MAX_DAYS_AHEAD = 365;
  private static final Set<String> SORTS = Set.of("price", "departure", "duration");

  private final Vertx vertx;
  private final Health health;
  private final FlightStore store;
  private final Reference ref;
  private final Clock clock;

  public FlightsRouter(Vertx vertx, Health health, FlightStore store, Reference ref, Clock clock) {
    this.vertx = vertx;
    this.health = health;
    this.store = store;
    this.ref = ref;
    this.clock = clock;
  }

  public Router router() {
    Router router = Routers.create(vertx, health);
    router.get("/api/v1/flights/search").handler(this::search);
    router.get("/api/v1/airports").handler(this::autocomplete);
    router.get("/api/v1/airports/:iata").handler(this::airport);
    router.get("/api/v1/airlines/:iata").handler(this::airline);
    return router;
  }

  /** Nonstop and one-stop itineraries for a date, each with all providers' offers. */
  private void search(RoutingContext ctx) {
    SearchQuery q;
    try {
      q = searchQuery(Params.of(ctx));
    } catch (Problem p) {
      ctx.fail(p);
      return;
    }
    LocalDate today = LocalDate.now(clock);
    store.candidates(q)
      .compose(candidates -> store.fares(candidates, q.cabin().code())
        .map(fares -> Itineraries.build(q, today, ref, candidates, fares)))
      .onSuccess(all -> {
        List<Itinerary> page = all.subList(Math.min(q.offset(), all.size()), Math.min(q.offset() + q.limit(), all.size()));
        JsonArray results = new JsonArray();
        for (Itinerary it : page) results.add(it.toJson());
        // Tags name every leg of every ranked itinerary, not only this page: a fare change on any of them can
        // move results across pages.
        Set<String> answered = new TreeSet<>();
        Set<String> tags = new TreeSet<>();
        for (Itinerary it : all) {
          for (Itinerary.Offer o : it.offers()) answered.add(o.provider().code());
          for (Itinerary.Leg l : it.legs()) tags.add("route:" + l.from().iata() + "-" + l.to().iata());
        }
        StringBuilder header = new StringBuilder("flights:").append(q.from()).append('-').append(q.to());
        for (String t : tags) header.append(' ').append(t);
        JsonObject body = new JsonObject()
          .put("query", q.toJson())
          .put("results", results)
          .put("total", all.size())
          .put("limit", q.limit())
          .put("offset", q.offset())
          .put("providers", new JsonObject().put("answered", new JsonArray(List.copyOf(answered))));
        ctx.response().putHeader("X-Cache-Tags", header.toString());
        Responses.json(ctx, body);
      })
      .onFailure(ctx::fail);
  }

  private SearchQuery searchQuery(Params p) {
    String from = knownAirport(p, "from");
    String to = knownAirport(p, "to");
    if (from.equals(to)) throw Problem.badRequest("to", "must differ from 'from'");
    LocalDate date = p.travelDate("date", clock, MAX_DAYS_AHEAD);
    int adults = p.integer("adults", 1, 1, 9);
    Cabin cabin = Cabin.of(p.oneOf("cabin", Cabin.CODES, "economy"));
    int maxStops = p.integer("maxStops", 1, 0, 1);
    SearchQuery.Sort sort = SearchQuery.Sort.valueOf(p.oneOf("sort", SORTS, "price").toUpperCase(Locale.ROOT));
    int limit = p.integer("limit", 20, 1, 50);
    int offset = p.integer("offset", 0, 0, 1000);
    return new SearchQuery(from, to, date, adults, cabin, maxStops, sort, limit, offset);
  }

  private String knownAirport(Params p, String name) {
    String iata = p.airport(name);
    if (!ref.airports().containsKey(iata)) throw Problem.badRequest(name, "unknown airport " + iata);
    return iata;
  }

  /** Airports whose IATA code, city or name starts with q; busiest first, at most 10. */
  private void autocomplete(RoutingContext ctx) {
    String q;
    try {
      q = Params.of(ctx).required("q");
      if (q.length() < 2 || q.length() > 50) throw Problem.badRequest("q", "must be 2 to 50 characters");
    } catch (Problem p) {
      ctx.fail(p);
      return;
    }
    store.autocomplete(q)
      .onSuccess(list -> {
        JsonArray results = new JsonArray();
        for (Airport a : list) results.add(a.toJson());
        Responses.json(ctx, new JsonObject().put("query", q).put("results", results));
      })
      .onFailure(ctx::fail);
  }

  private void airport(RoutingContext ctx) {
    Airport a = ref.airports().get(ctx.pathParam("iata").toUpperCase(Locale.ROOT));
    if (a == null) {
      ctx.fail(Problem.notFound("no airport " + ctx.pathParam("iata")));
      return;
    }
    Responses.json(ctx, a.toJson());
  }

  private void airline(RoutingContext ctx) {
    Airline a = ref.airlines().get(ctx.pathParam("iata").toUpperCase(Locale.ROOT));
    if (a == null) {
      ctx.fail(Problem.notFound("no airline " + ctx.pathParam("iata")));
      return;
    }
    Responses.json(ctx, a.toJson());
  }
}
