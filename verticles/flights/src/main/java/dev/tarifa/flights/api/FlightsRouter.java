package dev.tarifa.flights.api;

import dev.tarifa.flights.domain.Airline;
import dev.tarifa.flights.domain.Airport;
import dev.tarifa.flights.domain.Cabin;
import dev.tarifa.flights.domain.Reference;
import dev.tarifa.flights.domain.FareEntry;
import dev.tarifa.flights.domain.Schedule;
import dev.tarifa.flights.store.AdminStore;
import dev.tarifa.flights.search.FlightSearch;
import dev.tarifa.flights.store.FlightStore;
import dev.tarifa.shared.auth.JwtVerifier;
import dev.tarifa.shared.http.Bodies;
import dev.tarifa.shared.http.ETags;
import dev.tarifa.shared.health.Health;
import dev.tarifa.shared.http.Params;
import dev.tarifa.shared.http.Problem;
import dev.tarifa.shared.http.Responses;
import dev.tarifa.shared.http.Routers;
import dev.tarifa.shared.search.CacheTag;
import dev.tarifa.shared.search.FlightQuery;
import dev.tarifa.shared.search.SearchSummary;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The flights service's HTTP API: the public search and reference lookups (same paths as the gateway's), and the
 * admin API for schedules and provider fares (role admin; ETag / If-Match optimistic concurrency).
 */
public final class FlightsRouter {
  private final Vertx vertx;
  private final Health health;
  private final FlightStore store;
  private final Reference ref;
  private final AdminStore admin;
  private final JwtVerifier auth;
  private final Clock clock;
  private final FlightSearch flightSearch;

  public FlightsRouter(Vertx vertx, Health health, FlightStore store, AdminStore admin, Reference ref, JwtVerifier auth,
                       Clock clock) {
    this.vertx = vertx;
    this.health = health;
    this.store = store;
    this.admin = admin;
    this.ref = ref;
    this.auth = auth;
    this.clock = clock;
    this.flightSearch = new FlightSearch(store, ref, clock);
  }

  public Router router() {
    Router router = Routers.create(vertx, health);
    router.get("/api/v1/flights/search").handler(this::search);
    router.get("/api/v1/airports").handler(this::autocomplete);
    router.get("/api/v1/airports/:iata").handler(this::airport);
    router.get("/api/v1/airlines/:iata").handler(this::airline);

    router.route("/admin/v1/flights*").handler(auth.requireRole("admin"));
    router.get("/admin/v1/flights").handler(this::listSchedules);
    router.post("/admin/v1/flights").handler(this::createSchedule);
    router.get("/admin/v1/flights/:id").handler(this::getSchedule);
    router.put("/admin/v1/flights/:id").handler(this::replaceSchedule);
    router.delete("/admin/v1/flights/:id").handler(this::deleteSchedule);
    router.get("/admin/v1/flights/:id/fares").handler(this::listFares);
    router.get("/admin/v1/flights/:id/fares/:cabin/:provider").handler(this::getFare);
    router.put("/admin/v1/flights/:id/fares/:cabin/:provider").handler(this::putFare);
    router.patch("/admin/v1/flights/:id/fares/:cabin/:provider").handler(this::patchFare);
    router.delete("/admin/v1/flights/:id/fares/:cabin/:provider").handler(this::deleteFare);
    return router;
  }

  /** Nonstop and one-stop itineraries for a date, each with all providers' offers. */
  private void search(RoutingContext ctx) {
    flightSearch.search(FlightQuery.parse(Params.of(ctx), clock, flightSearch::knownAirport))
      .onSuccess(answer -> answer.writeTo(ctx))
      .onFailure(ctx::fail);
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
    store.ratings(List.of(a.iata())).onSuccess(r -> {
      ctx.response().putHeader(SearchSummary.TAGS_HEADER, CacheTag.airline(a.iata()).value());
      Responses.json(ctx, a.toJson().put("rating", r.get(a.iata())));
    }).onFailure(ctx::fail);
  }

  // ---- admin: schedules ----

  private void listSchedules(RoutingContext ctx) {
    String from, to;
    try {
      Params p = Params.of(ctx);
      from = p.airport("from");
      to = p.airport("to");
    } catch (Problem e) {
      ctx.fail(e);
      return;
    }
    admin.schedules(from, to)
      .onSuccess(list -> {
        JsonArray results = new JsonArray();
        for (Schedule s : list) results.add(s.toJson());
        Responses.json(ctx, new JsonObject().put("from", from).put("to", to).put("results", results));
      })
      .onFailure(ctx::fail);
  }

  private void getSchedule(RoutingContext ctx) {
    long id;
    try {
      id = id(ctx);
    } catch (Problem e) {
      ctx.fail(e);
      return;
    }
    admin.schedule(id).onSuccess(s -> writeSchedule(ctx, 200, s)).onFailure(ctx::fail);
  }

  private void createSchedule(RoutingContext ctx) {
    Schedule s;
    try {
      s = Schedule.parse(Bodies.json(ctx), ref);
    } catch (Problem e) {
      ctx.fail(e);
      return;
    }
    admin.create(s)
      .onSuccess(created -> {
        ctx.response().putHeader("Location", "/admin/v1/flights/" + created.id());
        writeSchedule(ctx, 201, created);
      })
      .onFailure(ctx::fail);
  }

  private void replaceSchedule(RoutingContext ctx) {
    long id;
    int ifMatch;
    Schedule s;
    try {
      id = id(ctx);
      ifMatch = ETags.requireIfMatch(ctx);
      s = Schedule.parse(Bodies.json(ctx), ref);
    } catch (Problem e) {
      ctx.fail(e);
      return;
    }
    admin.replace(id, ifMatch, s).onSuccess(updated -> writeSchedule(ctx, 200, updated)).onFailure(ctx::fail);
  }

  private void deleteSchedule(RoutingContext ctx) {
    long id;
    int ifMatch;
    try {
      id = id(ctx);
      ifMatch = ETags.requireIfMatch(ctx);
    } catch (Problem e) {
      ctx.fail(e);
      return;
    }
    admin.delete(id, ifMatch).onSuccess(v -> Responses.noContent(ctx)).onFailure(ctx::fail);
  }

  private static void writeSchedule(RoutingContext ctx, int status, Schedule s) {
    ETags.put(ctx, s.version());
    Responses.json(ctx, status, s.toJson());
  }

  // ---- admin: fares ----

  private void listFares(RoutingContext ctx) {
    long id;
    try {
      id = id(ctx);
    } catch (Problem e) {
      ctx.fail(e);
      return;
    }
    admin.fares(id)
      .onSuccess(list -> {
        JsonArray results = new JsonArray();
        for (FareEntry f : list) results.add(f.toJson(ref));
        Responses.json(ctx, new JsonObject().put("flightId", id).put("results", results));
      })
      .onFailure(ctx::fail);
  }

  private void getFare(RoutingContext ctx) {
    FareKey key;
    try {
      key = fareKey(ctx);
    } catch (Problem e) {
      ctx.fail(e);
      return;
    }
    admin.fare(key.flightId(), key.cabin(), key.provider()).onSuccess(f -> writeFare(ctx, 200, f)).onFailure(ctx::fail);
  }

  /** Creates the fare (201, no If-Match) or updates it (200, If-Match required). Body: {"amount": cents}. */
  private void putFare(RoutingContext ctx) {
    saveFare(ctx, false);
  }

  /** Updates an existing fare (If-Match required; 404 when absent). */
  private void patchFare(RoutingContext ctx) {
    saveFare(ctx, true);
  }

  private void saveFare(RoutingContext ctx, boolean mustExist) {
    FareKey key;
    long amount;
    Integer ifMatch;
    try {
      key = fareKey(ctx);
      JsonObject body = Bodies.json(ctx);
      Object raw = body.getValue("amount");
      if (raw instanceof JsonObject money) {
        if (money.getValue("currency") != null && !"EUR".equals(money.getValue("currency"))) {
          throw Problem.badRequest("amount", "currency must be EUR");
        }
        raw = money.getValue("amount");
      }
      if (!(raw instanceof Integer || raw instanceof Long)) throw Problem.badRequest("amount", "must be an integer amount of EUR cents");
      amount = ((Number) raw).longValue();
      if (amount < 1 || amount > 100_000_000) throw Problem.badRequest("amount", "must be between 1 and 100000000 cents");
      ifMatch = mustExist ? Integer.valueOf(ETags.requireIfMatch(ctx)) : ETags.optionalIfMatch(ctx);
    } catch (Problem e) {
      ctx.fail(e);
      return;
    }
    admin.putFare(key.flightId(), key.cabin(), key.provider(), amount, ifMatch, mustExist)
      .onSuccess(w -> writeFare(ctx, w.created() ? 201 : 200, w.fare()))
      .onFailure(ctx::fail);
  }

  private void deleteFare(RoutingContext ctx) {
    FareKey key;
    int ifMatch;
    try {
      key = fareKey(ctx);
      ifMatch = ETags.requireIfMatch(ctx);
    } catch (Problem e) {
      ctx.fail(e);
      return;
    }
    admin.deleteFare(key.flightId(), key.cabin(), key.provider(), ifMatch).onSuccess(v -> Responses.noContent(ctx)).onFailure(ctx::fail);
  }

  private void writeFare(RoutingContext ctx, int status, FareEntry f) {
    ETags.put(ctx, f.version());
    Responses.json(ctx, status, f.toJson(ref));
  }

  private record FareKey(long flightId, Cabin cabin, String provider) {}

  private FareKey fareKey(RoutingContext ctx) {
    long id = id(ctx);
    String cabin = ctx.pathParam("cabin").toLowerCase(Locale.ROOT);
    if (!Cabin.CODES.contains(cabin)) throw Problem.badRequest("cabin", "must be one of " + new TreeSet<>(Cabin.CODES));
    String provider = ctx.pathParam("provider").toUpperCase(Locale.ROOT);
    if (!ref.providers().containsKey(provider)) throw Problem.badRequest("provider", "unknown provider " + provider);
    return new FareKey(id, Cabin.of(cabin), provider);
  }

  private static long id(RoutingContext ctx) {
    String raw = ctx.pathParam("id");
    try {
      long id = Long.parseLong(raw);
      if (id < 1) throw new NumberFormatException();
      return id;
    } catch (NumberFormatException e) {
      throw Problem.badRequest("id", "must be a positive integer");
    }
  }
}
