package dev.tarifa.cars.api;

import dev.tarifa.cars.domain.CarClass;
import dev.tarifa.cars.domain.Station;
import dev.tarifa.cars.search.CarSearch;
import dev.tarifa.cars.service.CarsAdmin;
import dev.tarifa.cars.store.CarStore;
import dev.tarifa.shared.http.Bodies;
import dev.tarifa.shared.http.ETags;
import dev.tarifa.shared.http.Params;
import dev.tarifa.shared.http.Problem;
import dev.tarifa.shared.http.Responses;
import dev.tarifa.shared.http.Routers;
import dev.tarifa.shared.launch.RouterParts;
import dev.tarifa.shared.money.Money;
import dev.tarifa.shared.pricing.RateInput;
import dev.tarifa.shared.search.CacheTag;
import dev.tarifa.shared.search.CarQuery;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The cars service's HTTP API: public search and suppliers, admin CRUD of stations, their classes
 * and rates.
 */
public final class CarsRouter {
  private static final Pattern IATA = Pattern.compile("[A-Z]{3}");
  private static final Pattern CODE = Pattern.compile("[a-z0-9-]{1,40}");

  private final RouterParts parts;
  private final CarSearch carSearch;
  private final CarsAdmin admin;

  private CarsRouter(RouterParts parts, CarStore store) {
    this.parts = parts;
    this.carSearch = new CarSearch(store);
    this.admin = new CarsAdmin(store);
  }

  /** The service's router over its parts and store. */
  public static Router create(RouterParts parts, CarStore store) {
    return new CarsRouter(parts, store).router();
  }

  private Router router() {
    Router router = Routers.create(parts.vertx(), parts.health());
    router.get("/api/v1/cars/search").handler(Routers.async(this::search));
    router.get("/api/v1/cars/suppliers/:code").handler(Routers.async(this::supplier));

    router.route("/admin/v1/cars*").handler(parts.auth().requireRole("admin"));
    router.post("/admin/v1/cars/stations").handler(Routers.async(this::createStation));
    router.get("/admin/v1/cars/stations/:iata").handler(Routers.async(this::getStation));
    router.put("/admin/v1/cars/stations/:iata").handler(Routers.async(this::updateStation));
    router.delete("/admin/v1/cars/stations/:iata").handler(Routers.async(this::deleteStation));
    router.post("/admin/v1/cars/stations/:iata/classes").handler(Routers.async(this::addClass));
    router
        .delete("/admin/v1/cars/stations/:iata/classes/:code")
        .handler(Routers.async(this::removeClass));
    router
        .put("/admin/v1/cars/stations/:iata/classes/:code/rates/:supplier")
        .handler(Routers.async(this::putRate));
    router
        .delete("/admin/v1/cars/stations/:iata/classes/:code/rates/:supplier")
        .handler(Routers.async(this::deleteRate));
    return router;
  }

  // ---- public -----------------------------------------------------------------------------------

  private Future<Void> search(RoutingContext ctx) {
    return carSearch
        .search(CarQuery.parse(Params.of(ctx), parts.clock(), CarSearch::knownClass))
        .compose(answer -> answer.writeTo(ctx));
  }

  private Future<Void> supplier(RoutingContext ctx) {
    String code = ctx.pathParam("code").toLowerCase(Locale.ROOT);
    if (!CODE.matcher(code).matches())
      throw Problem.badRequest("code", "must be a supplier code (letters, digits, dashes)");
    return carSearch
        .supplier(code)
        .compose(json -> Responses.tagged(ctx, CacheTag.supplier(code), json));
  }

  // ---- admin: stations --------------------------------------------------------------------------

  private Future<Void> createStation(RoutingContext ctx) {
    JsonObject body = Bodies.json(ctx);
    Station in = Station.parse(iata("iata", Params.of(body).required("iata")), body);
    return admin
        .createStation(in)
        .compose(
            st ->
                Responses.created(
                    ctx, "/admin/v1/cars/stations/" + st.iata(), st.version(), st.toJson()));
  }

  private Future<Void> getStation(RoutingContext ctx) {
    return admin
        .station(iata("iata", ctx.pathParam("iata")))
        .compose(json -> Responses.versioned(ctx, json));
  }

  private Future<Void> updateStation(RoutingContext ctx) {
    String iata = iata("iata", ctx.pathParam("iata"));
    int version = ETags.requireIfMatch(ctx);
    Station in = Station.parse(iata, Bodies.json(ctx));
    return admin
        .updateStation(iata, version, in)
        .compose(st -> Responses.versioned(ctx, 200, st.version(), st.toJson()));
  }

  private Future<Void> deleteStation(RoutingContext ctx) {
    String iata = iata("iata", ctx.pathParam("iata"));
    return admin
        .deleteStation(iata, ETags.requireIfMatch(ctx))
        .compose(v -> Responses.noContent(ctx));
  }

  // ---- admin: classes and rates -----------------------------------------------------------------

  private Future<Void> addClass(RoutingContext ctx) {
    String iata = iata("iata", ctx.pathParam("iata"));
    String code = carClass("code", Params.of(Bodies.json(ctx)).required("code"));
    return admin
        .addClass(iata, code)
        .compose(
            added ->
                Responses.created(
                    ctx,
                    "/admin/v1/cars/stations/" + iata + "/classes/" + code,
                    added.version(),
                    added.toJson()));
  }

  private Future<Void> removeClass(RoutingContext ctx) {
    String iata = iata("iata", ctx.pathParam("iata"));
    String code = carClass("code", ctx.pathParam("code"));
    return admin
        .removeClass(iata, code, ETags.requireIfMatch(ctx))
        .compose(v -> Responses.noContent(ctx));
  }

  private Future<Void> putRate(RoutingContext ctx) {
    String iata = iata("iata", ctx.pathParam("iata"));
    String code = carClass("code", ctx.pathParam("code"));
    String supplier = ctx.pathParam("supplier").toLowerCase(Locale.ROOT);
    Integer ifMatch = ETags.optionalIfMatch(ctx);
    Money base = RateInput.eur(Bodies.json(ctx), "baseDaily");
    return admin
        .putRate(iata, code, supplier, ifMatch, base)
        .compose(
            w ->
                Responses.versioned(
                    ctx, w.created() ? 201 : 200, w.rate().version(), w.rate().toJson()));
  }

  private Future<Void> deleteRate(RoutingContext ctx) {
    String iata = iata("iata", ctx.pathParam("iata"));
    String code = carClass("code", ctx.pathParam("code"));
    String supplier = ctx.pathParam("supplier").toLowerCase(Locale.ROOT);
    return admin
        .deleteRate(iata, code, supplier, ETags.requireIfMatch(ctx))
        .compose(v -> Responses.noContent(ctx));
  }

  // ---- input ------------------------------------------------------------------------------------

  private static String iata(String name, String v) {
    String s = v == null ? "" : v.trim().toUpperCase(Locale.ROOT);
    if (!IATA.matcher(s).matches())
      throw Problem.badRequest(name, "must be a three-letter IATA airport code");
    return s;
  }

  private static String carClass(String name, String v) {
    String s = v.trim().toUpperCase(Locale.ROOT);
    if (CarClass.of(s) == null)
      throw Problem.badRequest(
          name,
          "must be one of the ACRISS codes " + CarClass.ALL.stream().map(CarClass::code).toList());
    return s;
  }
}
