package dev.tarifa.hotels.api;

import dev.tarifa.hotels.domain.Hotel;
import dev.tarifa.hotels.domain.RoomKind;
import dev.tarifa.hotels.search.HotelSearch;
import dev.tarifa.hotels.store.HotelStore;
import dev.tarifa.hotels.store.HotelStore.HotelInput;
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
import dev.tarifa.shared.search.HotelQuery;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Clock;
import java.util.List;
import java.util.Locale;

/** The hotels service's HTTP API: public search and details, admin CRUD of hotels, room types and rates. */
public final class HotelsRouter {
  private final Vertx vertx;
  private final Health health;
  private final HotelStore store;
  private final JwtVerifier verifier;
  private final Clock clock;
  private final HotelSearch hotelSearch;

  public HotelsRouter(Vertx vertx, Health health, HotelStore store, JwtVerifier verifier, Clock clock) {
    this.vertx = vertx;
    this.health = health;
    this.store = store;
    this.verifier = verifier;
    this.clock = clock;
    this.hotelSearch = new HotelSearch(store, clock);
  }

  public Router router() {
    Router router = Routers.create(vertx, health);
    router.get("/api/v1/hotels/search").handler(this::search);
    router.get("/api/v1/hotels/:id").handler(this::details);

    router.route("/admin/v1/hotels*").handler(verifier.requireRole("admin"));
    router.post("/admin/v1/hotels").handler(this::createHotel);
    router.get("/admin/v1/hotels/:id").handler(this::getHotel);
    router.put("/admin/v1/hotels/:id").handler(this::updateHotel);
    router.delete("/admin/v1/hotels/:id").handler(this::deleteHotel);
    router.post("/admin/v1/hotels/:id/room-types").handler(this::createRoomType);
    router.put("/admin/v1/hotels/:id/room-types/:code").handler(this::updateRoomType);
    router.delete("/admin/v1/hotels/:id/room-types/:code").handler(this::deleteRoomType);
    router.put("/admin/v1/hotels/:id/room-types/:code/rates/:provider").handler(this::putRate);
    router.delete("/admin/v1/hotels/:id/room-types/:code/rates/:provider").handler(this::deleteRate);
    return router;
  }

  // ---- public -------------------------------------------------------------------------------------------------

  private void search(RoutingContext ctx) {
    hotelSearch.search(HotelQuery.parse(Params.of(ctx), clock))
      .onSuccess(answer -> answer.writeTo(ctx))
      .onFailure(ctx::fail);
  }

  private void details(RoutingContext ctx) {
    long id;
    try {
      id = id(ctx);
    } catch (Problem p) {
      ctx.fail(p);
      return;
    }
    store.details(id).compose(json -> json == null ? Future.succeededFuture((JsonObject) null)
        : store.ratings(List.of(id)).map(r -> json.put("rating", r.get(id)))).onSuccess(json -> {
      if (json == null) ctx.fail(Problem.notFound("no hotel " + id));
      else {
        ctx.response().putHeader("X-Cache-Tags", Hotel.tag(id));
        Responses.json(ctx, json);
      }
    }).onFailure(ctx::fail);
  }

  // ---- admin: hotels ------------------------------------------------------------------------------------------

  private void createHotel(RoutingContext ctx) {
    HotelInput in;
    try {
      in = hotelInput(Bodies.json(ctx));
    } catch (Problem p) {
      ctx.fail(p);
      return;
    }
    store.createHotel(in).onSuccess(h -> {
      ETags.put(ctx, h.version());
      ctx.response().putHeader("Location", "/admin/v1/hotels/" + h.id());
      Responses.json(ctx, 201, h.toJson());
    }).onFailure(ctx::fail);
  }

  private void getHotel(RoutingContext ctx) {
    long id;
    try {
      id = id(ctx);
    } catch (Problem p) {
      ctx.fail(p);
      return;
    }
    store.details(id).onSuccess(json -> {
      if (json == null) ctx.fail(Problem.notFound("no hotel " + id));
      else {
        ETags.put(ctx, json.getInteger("version"));
        Responses.json(ctx, json);
      }
    }).onFailure(ctx::fail);
  }

  private void updateHotel(RoutingContext ctx) {
    long id;
    int version;
    HotelInput in;
    try {
      id = id(ctx);
      version = ETags.requireIfMatch(ctx);
      in = hotelInput(Bodies.json(ctx));
    } catch (Problem p) {
      ctx.fail(p);
      return;
    }
    store.updateHotel(id, version, in).onSuccess(h -> {
      ETags.put(ctx, h.version());
      Responses.json(ctx, h.toJson());
    }).onFailure(ctx::fail);
  }

  private void deleteHotel(RoutingContext ctx) {
    long id;
    int version;
    try {
      id = id(ctx);
      version = ETags.requireIfMatch(ctx);
    } catch (Problem p) {
      ctx.fail(p);
      return;
    }
    store.deleteHotel(id, version).onSuccess(v -> Responses.noContent(ctx)).onFailure(ctx::fail);
  }

  // ---- admin: room types --------------------------------------------------------------------------------------

  private void createRoomType(RoutingContext ctx) {
    long id;
    String code;
    int occupancy;
    try {
      id = id(ctx);
      Params body = Params.of(Bodies.json(ctx));
      code = roomCode("code", body.required("code"));
      occupancy = body.integer("maxOccupancy", RoomKind.of(code).defaultOccupancy, 1, 9);
    } catch (Problem p) {
      ctx.fail(p);
      return;
    }
    store.createRoomType(id, code, occupancy).onSuccess(rt -> {
      ETags.put(ctx, rt.version());
      ctx.response().putHeader("Location", "/admin/v1/hotels/" + id + "/room-types/" + code);
      Responses.json(ctx, 201, rt.toJson());
    }).onFailure(ctx::fail);
  }

  private void updateRoomType(RoutingContext ctx) {
    long id;
    String code;
    int version, occupancy;
    try {
      id = id(ctx);
      code = roomCode("code", ctx.pathParam("code"));
      version = ETags.requireIfMatch(ctx);
      occupancy = Params.of(Bodies.json(ctx)).requiredInteger("maxOccupancy", 1, 9);
    } catch (Problem p) {
      ctx.fail(p);
      return;
    }
    store.updateRoomType(id, code, version, occupancy).onSuccess(rt -> {
      ETags.put(ctx, rt.version());
      Responses.json(ctx, rt.toJson());
    }).onFailure(ctx::fail);
  }

  private void deleteRoomType(RoutingContext ctx) {
    long id;
    String code;
    int version;
    try {
      id = id(ctx);
      code = roomCode("code", ctx.pathParam("code"));
      version = ETags.requireIfMatch(ctx);
    } catch (Problem p) {
      ctx.fail(p);
      return;
    }
    store.deleteRoomType(id, code, version).onSuccess(v -> Responses.noContent(ctx)).onFailure(ctx::fail);
  }

  // ---- admin: rates -------------------------------------------------------------------------------------------

  private void putRate(RoutingContext ctx) {
    long id;
    String code, provider;
    Integer ifMatch;
    Money base;
    try {
      id = id(ctx);
      code = roomCode("code", ctx.pathParam("code"));
      provider = ctx.pathParam("provider").toLowerCase(Locale.ROOT);
      ifMatch = ETags.optionalIfMatch(ctx);
      base = RateInput.eur(Bodies.json(ctx), "baseNightly");
    } catch (Problem p) {
      ctx.fail(p);
      return;
    }
    store.putRate(id, code, provider, ifMatch, base).onSuccess(w -> {
      ETags.put(ctx, w.rate().version());
      Responses.json(ctx, w.created() ? 201 : 200, w.rate().toJson());
    }).onFailure(ctx::fail);
  }

  private void deleteRate(RoutingContext ctx) {
    long id;
    String code, provider;
    int version;
    try {
      id = id(ctx);
      code = roomCode("code", ctx.pathParam("code"));
      provider = ctx.pathParam("provider").toLowerCase(Locale.ROOT);
      version = ETags.requireIfMatch(ctx);
    } catch (Problem p) {
      ctx.fail(p);
      return;
    }
    store.deleteRate(id, code, provider, version).onSuccess(v -> Responses.noContent(ctx)).onFailure(ctx::fail);
  }

  // ---- input --------------------------------------------------------------------------------------------------

  private static long id(RoutingContext ctx) {
    String v = ctx.pathParam("id");
    try {
      long id = Long.parseLong(v);
      if (id > 0) return id;
    } catch (NumberFormatException e) {
      // falls through to the 400
    }
    throw Problem.badRequest("id", "must be a positive integer");
  }

  private static String roomCode(String name, String v) {
    RoomKind kind = RoomKind.of(v);
    if (kind == null) throw Problem.badRequest(name, "must be one of single, double, twin, family, suite");
    return kind.code();
  }

  static HotelInput hotelInput(JsonObject body) {
    Params p = Params.of(body);
    return new HotelInput(
      required(p, "cityKey", 100).toLowerCase(Locale.ROOT),
      required(p, "name", 120),
      p.requiredInteger("stars", 1, 5),
      p.string("district", 100, ""),
      required(p, "address", 200),
      coordinate(p, "latitude", 90),
      coordinate(p, "longitude", 180));
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
