package dev.tarifa.flights.api;

import dev.tarifa.flights.domain.Cabin;
import dev.tarifa.flights.domain.FareEntry;
import dev.tarifa.flights.domain.Reference;
import dev.tarifa.flights.domain.Schedule;
import dev.tarifa.flights.search.FlightSearch;
import dev.tarifa.flights.service.FlightsAdmin;
import dev.tarifa.flights.service.FlightsAdmin.FareKey;
import dev.tarifa.flights.store.FlightStore;
import dev.tarifa.shared.auth.JwtVerifier;
import dev.tarifa.shared.health.Health;
import dev.tarifa.shared.http.Bodies;
import dev.tarifa.shared.http.ETags;
import dev.tarifa.shared.http.Params;
import dev.tarifa.shared.http.Problem;
import dev.tarifa.shared.http.Responses;
import dev.tarifa.shared.http.Routers;
import dev.tarifa.shared.search.CacheTag;
import dev.tarifa.shared.search.FlightQuery;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The flights service's HTTP API: the public search and reference lookups (same paths as the
 * gateway's), and the admin API for schedules and provider fares (role admin; ETag / If-Match
 * optimistic concurrency).
 */
public final class FlightsRouter {
  private final Vertx vertx;
  private final Health health;
  private final Reference ref;
  private final FlightsAdmin admin;
  private final JwtVerifier auth;
  private final Clock clock;
  private final FlightSearch flightSearch;

  public FlightsRouter(
      Vertx vertx,
      Health health,
      FlightStore store,
      FlightsAdmin admin,
      Reference ref,
      JwtVerifier auth,
      Clock clock) {
    this.vertx = vertx;
    this.health = health;
    this.admin = admin;
    this.ref = ref;
    this.auth = auth;
    this.clock = clock;
    this.flightSearch = new FlightSearch(store, ref, clock);
  }

  public Router router() {
    Router router = Routers.create(vertx, health);
    router.get("/api/v1/flights/search").handler(Routers.async(this::search));
    router.get("/api/v1/airports").handler(Routers.async(this::autocomplete));
    router.get("/api/v1/airports/:iata").handler(Routers.async(this::airport));
    router.get("/api/v1/airlines/:iata").handler(Routers.async(this::airline));

    router.route("/admin/v1/flights*").handler(auth.requireRole("admin"));
    router.get("/admin/v1/flights").handler(Routers.async(this::listSchedules));
    router.post("/admin/v1/flights").handler(Routers.async(this::createSchedule));
    router.get("/admin/v1/flights/:id").handler(Routers.async(this::getSchedule));
    router.put("/admin/v1/flights/:id").handler(Routers.async(this::replaceSchedule));
    router.delete("/admin/v1/flights/:id").handler(Routers.async(this::deleteSchedule));
    router.get("/admin/v1/flights/:id/fares").handler(Routers.async(this::listFares));
    router
        .get("/admin/v1/flights/:id/fares/:cabin/:provider")
        .handler(Routers.async(this::getFare));
    router
        .put("/admin/v1/flights/:id/fares/:cabin/:provider")
        .handler(Routers.async(this::putFare));
    router
        .patch("/admin/v1/flights/:id/fares/:cabin/:provider")
        .handler(Routers.async(this::patchFare));
    router
        .delete("/admin/v1/flights/:id/fares/:cabin/:provider")
        .handler(Routers.async(this::deleteFare));
    return router;
  }

  /** Nonstop and one-stop itineraries for a date, each with all providers' offers. */
  private Future<Void> search(RoutingContext ctx) {
    return flightSearch
        .search(FlightQuery.parse(Params.of(ctx), clock, flightSearch::knownAirport))
        .compose(answer -> answer.writeTo(ctx));
  }

  /** Airports whose IATA code, city or name starts with q; busiest first, at most 10. */
  private Future<Void> autocomplete(RoutingContext ctx) {
    String q = Params.of(ctx).required("q");
    if (q.length() < 2 || q.length() > 50)
      throw Problem.badRequest("q", "must be 2 to 50 characters");
    return flightSearch.airports(q).compose(matches -> Responses.json(ctx, matches.toJson()));
  }

  private Future<Void> airport(RoutingContext ctx) {
    return flightSearch
        .airport(ctx.pathParam("iata"))
        .compose(a -> Responses.json(ctx, a.toJson()));
  }

  private Future<Void> airline(RoutingContext ctx) {
    return flightSearch
        .airline(ctx.pathParam("iata"))
        .compose(a -> Responses.tagged(ctx, CacheTag.airline(a.airline().iata()), a.toJson()));
  }

  // ---- admin: schedules ----

  private Future<Void> listSchedules(RoutingContext ctx) {
    Params p = Params.of(ctx);
    String from = p.airport("from");
    String to = p.airport("to");
    return admin.schedules(from, to).compose(list -> Responses.json(ctx, list.toJson()));
  }

  private Future<Void> getSchedule(RoutingContext ctx) {
    return admin.schedule(Params.path(ctx).id("id")).compose(s -> writeSchedule(ctx, 200, s));
  }

  private Future<Void> createSchedule(RoutingContext ctx) {
    return admin
        .create(Schedule.parse(Bodies.json(ctx), ref))
        .compose(
            created -> {
              ctx.response().putHeader("Location", "/admin/v1/flights/" + created.id());
              return writeSchedule(ctx, 201, created);
            });
  }

  private Future<Void> replaceSchedule(RoutingContext ctx) {
    long id = Params.path(ctx).id("id");
    int ifMatch = ETags.requireIfMatch(ctx);
    Schedule s = Schedule.parse(Bodies.json(ctx), ref);
    return admin.replace(id, ifMatch, s).compose(updated -> writeSchedule(ctx, 200, updated));
  }

  private Future<Void> deleteSchedule(RoutingContext ctx) {
    long id = Params.path(ctx).id("id");
    return admin.delete(id, ETags.requireIfMatch(ctx)).compose(v -> Responses.noContent(ctx));
  }

  private static Future<Void> writeSchedule(RoutingContext ctx, int status, Schedule s) {
    return Responses.versioned(ctx, status, s.version(), s.toJson());
  }

  // ---- admin: fares ----

  private Future<Void> listFares(RoutingContext ctx) {
    long id = Params.path(ctx).id("id");
    return admin.fares(id).compose(fares -> Responses.json(ctx, fares.toJson(ref)));
  }

  private Future<Void> getFare(RoutingContext ctx) {
    return admin.fare(fareKey(ctx)).compose(f -> writeFare(ctx, 200, f));
  }

  /**
   * Creates the fare (201, no If-Match) or updates it (200, If-Match required). Body: {"amount":
   * cents}.
   */
  private Future<Void> putFare(RoutingContext ctx) {
    return saveFare(ctx, false);
  }

  /** Updates an existing fare (If-Match required; 404 when absent). */
  private Future<Void> patchFare(RoutingContext ctx) {
    return saveFare(ctx, true);
  }

  private Future<Void> saveFare(RoutingContext ctx, boolean mustExist) {
    FareKey key = fareKey(ctx);
    JsonObject body = Bodies.json(ctx);
    Object raw = body.getValue("amount");
    if (raw instanceof JsonObject money) {
      if (money.getValue("currency") != null && !"EUR".equals(money.getValue("currency"))) {
        throw Problem.badRequest("amount", "currency must be EUR");
      }
      raw = money.getValue("amount");
    }
    if (!(raw instanceof Integer || raw instanceof Long))
      throw Problem.badRequest("amount", "must be an integer amount of EUR cents");
    long amount = ((Number) raw).longValue();
    if (amount < 1 || amount > 100_000_000)
      throw Problem.badRequest("amount", "must be between 1 and 100000000 cents");
    Integer ifMatch =
        mustExist ? Integer.valueOf(ETags.requireIfMatch(ctx)) : ETags.optionalIfMatch(ctx);
    return admin
        .putFare(key, amount, ifMatch, mustExist)
        .compose(w -> writeFare(ctx, w.created() ? 201 : 200, w.fare()));
  }

  private Future<Void> deleteFare(RoutingContext ctx) {
    FareKey key = fareKey(ctx);
    return admin.deleteFare(key, ETags.requireIfMatch(ctx)).compose(v -> Responses.noContent(ctx));
  }

  private Future<Void> writeFare(RoutingContext ctx, int status, FareEntry f) {
    return Responses.versioned(ctx, status, f.version(), f.toJson(ref));
  }

  private FareKey fareKey(RoutingContext ctx) {
    long id = Params.path(ctx).id("id");
    String cabin = ctx.pathParam("cabin").toLowerCase(Locale.ROOT);
    if (!Cabin.CODES.contains(cabin))
      throw Problem.badRequest("cabin", "must be one of " + new TreeSet<>(Cabin.CODES));
    String provider = ctx.pathParam("provider").toUpperCase(Locale.ROOT);
    if (!ref.providers().containsKey(provider))
      throw Problem.badRequest("provider", "unknown provider " + provider);
    return new FareKey(id, Cabin.of(cabin), provider);
  }
}
