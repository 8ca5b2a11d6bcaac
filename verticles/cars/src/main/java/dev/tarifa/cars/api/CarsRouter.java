package dev.tarifa.cars.api;

import dev.tarifa.cars.domain.CarClass;
import dev.tarifa.cars.domain.Station;
import dev.tarifa.cars.domain.Supplier;
import dev.tarifa.cars.search.CarSearch;
import dev.tarifa.cars.store.CarStore;
import dev.tarifa.shared.auth.JwtVerifier;
import dev.tarifa.shared.health.Health;
import dev.tarifa.shared.http.Bodies;
import dev.tarifa.shared.http.ETags;
import dev.tarifa.shared.http.Params;
import dev.tarifa.shared.http.Problem;
import dev.tarifa.shared.http.Responses;
import dev.tarifa.shared.http.Routers;
import dev.tarifa.shared.money.Money;
import dev.tarifa.shared.pricing.RateInput;
import dev.tarifa.shared.search.CarQuery;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** The cars service's HTTP API: public search and suppliers, admin CRUD of stations, their classes and rates. */
public final class CarsRouter {
  private static final Pattern IATA = Pattern.compile("[A-Z]{3}");
  private static final Pattern CODE = Pattern.compile("[a-z0-9-]{1,40}");

  private final Vertx vertx;
  private final Health health;
  private final CarStore store;
  private final JwtVerifier verifier;
  private final Clock clock;
  private final CarSearch carSearch;

  public CarsRouter(Vertx vertx, Health health, CarStore store, JwtVerifier verifier, Clock clock) {
    this.vertx = vertx;
    this.health = health;
    this.store = store;
    this.verifier = verifier;
    this.clock = clock;
    this.carSearch = new CarSearch(store);
  }

  public Router router() {
    Router router = Routers.create(vertx, health);
    router.get("/api/v1/cars/search").handler(this::search);
    router.get("/api/v1/cars/suppliers/:code").handler(this::supplier);

    router.route("/admin/v1/cars*").handler(verifier.requireRole("admin"));
    router.post("/admin/v1/cars/stations").handler(this::createStation);
    router.get("/admin/v1/cars/stations/:iata").handler(this::getStation);
    router.put("/admin/v1/cars/stations/:iata").handler(this::updateStation);
    router.delete("/admin/v1/cars/stations/:iata").handler(this::deleteStation);
    router.post("/admin/v1/cars/stations/:iata/classes").handler(this::addClass);
    router.delete("/admin/v1/cars/stations/:iata/classes/:code").handler(this::removeClass);
    router.put("/admin/v1/cars/stations/:iata/classes/:code/rates/:supplier").handler(this::putRate);
    router.delete("/admin/v1/cars/stations/:iata/classes/:code/rates/:supplier").handler(this::deleteRate);
    return router;
  }

  // ---- public -------------------------------------------------------------------------------------------------

  private void search(RoutingContext ctx) {
    carSearch.search(CarQuery.parse(Params.of(ctx), clock, CarSearch::knownClass))
      .onSuccess(answer -> answer.writeTo(ctx))
      .onFailure(ctx::fail);
  }

  private void supplier(RoutingContext ctx) {
    String code = ctx.pathParam("code").toLowerCase(Locale.ROOT);
    if (!CODE.matcher(code).matches()) {
      ctx.fail(Problem.badRequest("code", "must be a supplier code (letters, digits, dashes)"));
      return;
    }
    store.supplier(code).compose(json -> json == null ? Future.succeededFuture((JsonObject) null)
        : store.ratings(List.of(code)).map(r -> json.put("rating", r.get(code)))).onSuccess(json -> {
      if (json == null) ctx.fail(Problem.notFound("no supplier " + code));
      else {
        ctx.response().putHeader("X-Cache-Tags", Supplier.tag(code));
        Responses.json(ctx, json);
      }
    }).onFailure(ctx::fail);
  }

  // ---- admin: stations ----------------------------------------------------------------------------------------

  private void createStation(RoutingContext ctx) {
    Station in;
    try {
      JsonObject body = Bodies.json(ctx);
      in = stationInput(iata("iata", Params.of(body).required("iata")), body);
    } catch (Problem p) {
      ctx.fail(p);
      return;
    }
    store.createStation(in).onSuccess(st -> {
      ETags.put(ctx, st.version());
      ctx.response().putHeader("Location", "/admin/v1/cars/stations/" + st.iata());
      Responses.json(ctx, 201, st.toJson());
    }).onFailure(ctx::fail);
  }

  private void getStation(RoutingContext ctx) {
    String iata;
    try {
      iata = iata("iata", ctx.pathParam("iata"));
    } catch (Problem p) {
      ctx.fail(p);
      return;
    }
    store.stationDetails(iata).onSuccess(json -> {
      if (json == null) ctx.fail(Problem.notFound("no station " + iata));
      else {
        ETags.put(ctx, json.getInteger("version"));
        Responses.json(ctx, json);
      }
    }).onFailure(ctx::fail);
  }

  private void updateStation(RoutingContext ctx) {
    String iata;
    int version;
    Station in;
    try {
      iata = iata("iata", ctx.pathParam("iata"));
      version = ETags.requireIfMatch(ctx);
      in = stationInput(iata, Bodies.json(ctx));
    } catch (Problem p) {
      ctx.fail(p);
      return;
    }
    store.updateStation(iata, version, in).onSuccess(st -> {
      ETags.put(ctx, st.version());
      Responses.json(ctx, st.toJson());
    }).onFailure(ctx::fail);
  }

  private void deleteStation(RoutingContext ctx) {
    String iata;
    int version;
    try {
      iata = iata("iata", ctx.pathParam("iata"));
      version = ETags.requireIfMatch(ctx);
    } catch (Problem p) {
      ctx.fail(p);
      return;
    }
    store.deleteStation(iata, version).onSuccess(v -> Responses.noContent(ctx)).onFailure(ctx::fail);
  }

  // ---- admin: classes and rates -------------------------------------------------------------------------------

  private void addClass(RoutingContext ctx) {
    String iata, code;
    try {
      iata = iata("iata", ctx.pathParam("iata"));
      code = carClass("code", Params.of(Bodies.json(ctx)).required("code"));
    } catch (Problem p) {
      ctx.fail(p);
      return;
    }
    store.addClass(iata, code).onSuccess(version -> {
      ETags.put(ctx, version);
      ctx.response().putHeader("Location", "/admin/v1/cars/stations/" + iata + "/classes/" + code);
      Responses.json(ctx, 201, new JsonObject().put("station", iata).put("code", code).put("version", version));
    }).onFailure(ctx::fail);
  }

  private void removeClass(RoutingContext ctx) {
    String iata, code;
    int version;
    try {
      iata = iata("iata", ctx.pathParam("iata"));
      code = carClass("code", ctx.pathParam("code"));
      version = ETags.requireIfMatch(ctx);
    } catch (Problem p) {
      ctx.fail(p);
      return;
    }
    store.removeClass(iata, code, version).onSuccess(v -> Responses.noContent(ctx)).onFailure(ctx::fail);
  }

  private void putRate(RoutingContext ctx) {
    String iata, code, supplier;
    Integer ifMatch;
    Money base;
    try {
      iata = iata("iata", ctx.pathParam("iata"));
      code = carClass("code", ctx.pathParam("code"));
      supplier = ctx.pathParam("supplier").toLowerCase(Locale.ROOT);
      ifMatch = ETags.optionalIfMatch(ctx);
      base = RateInput.eur(Bodies.json(ctx), "baseDaily");
    } catch (Problem p) {
      ctx.fail(p);
      return;
    }
    store.putRate(iata, code, supplier, ifMatch, base).onSuccess(w -> {
      ETags.put(ctx, w.rate().version());
      Responses.json(ctx, w.created() ? 201 : 200, w.rate().toJson());
    }).onFailure(ctx::fail);
  }

  private void deleteRate(RoutingContext ctx) {
    String iata, code, supplier;
    int version;
    try {
      iata = iata("iata", ctx.pathParam("iata"));
      code = carClass("code", ctx.pathParam("code"));
      supplier = ctx.pathParam("supplier").toLowerCase(Locale.ROOT);
      version = ETags.requireIfMatch(ctx);
    } catch (Problem p) {
      ctx.fail(p);
      return;
    }
    store.deleteRate(iata, code, supplier, version).onSuccess(v -> Responses.noContent(ctx)).onFailure(ctx::fail);
  }

  // ---- input --------------------------------------------------------------------------------------------------

  private static String iata(String name, String v) {
    String s = v == null ? "" : v.trim().toUpperCase(Locale.ROOT);
    if (!IATA.matcher(s).matches()) throw Problem.badRequest(name, "must be a three-letter IATA airport code");
    return s;
  }

  private static String carClass(String name, String v) {
    String s = v.trim().toUpperCase(Locale.ROOT);
    if (CarClass.of(s) == null) throw Problem.badRequest(name, "must be one of the ACRISS codes " + CarClass.ALL.stream().map(CarClass::code).toList());
    return s;
  }

  static Station stationInput(String iata, JsonObject body) {
    Params p = Params.of(body);
    String city = required(p, "city", 100);
    String country = required(p, "country", 100);
    String cityKey = required(p, "cityKey", 100).toLowerCase(Locale.ROOT);
    return new Station(iata, required(p, "name", 150), cityKey, city, country, coordinate(p, "latitude", 90), coordinate(p, "longitude", 180), 1);
  }

  private static String required(Params p, String name, int maxLength) {
    String v = p.required(name);
    if (v.length() > maxLength) throw Problem.badRequest(name, "is longer than " + maxLength + " characters");
    return v;
  }

  private static double coordinate(Params p, String name, double limit) {
    String v = p.required(name);
    try {
      double d = Double.parseDouble(v);
      if (Double.isFinite(d) && Math.abs(d) <= limit) return d;
    } catch (NumberFormatException e) {
      // falls through to the 400
    }
    throw Problem.badRequest(name, "must be a number between " + (int) -limit + " and " + (int) limit);
  }
}
