package dev.tarifa.hotels.api;

import dev.tarifa.hotels.domain.Hotel;
import dev.tarifa.hotels.domain.HotelInput;
import dev.tarifa.hotels.domain.RoomKind;
import dev.tarifa.hotels.search.HotelSearch;
import dev.tarifa.hotels.service.HotelsAdmin;
import dev.tarifa.hotels.store.HotelStore;
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

/**
 * The hotels service's HTTP API: public search and details, admin CRUD of hotels, room types and
 * rates.
 */
public final class HotelsRouter {
  private final Vertx vertx;
  private final Health health;
  private final HotelStore store;
  private final HotelsAdmin admin;
  private final JwtVerifier verifier;
  private final Clock clock;
  private final HotelSearch hotelSearch;

  public HotelsRouter(
      Vertx vertx,
      Health health,
      HotelStore store,
      HotelsAdmin admin,
      JwtVerifier verifier,
      Clock clock) {
    this.vertx = vertx;
    this.health = health;
    this.store = store;
    this.admin = admin;
    this.verifier = verifier;
    this.clock = clock;
    this.hotelSearch = new HotelSearch(store, clock);
  }

  public Router router() {
    Router router = Routers.create(vertx, health);
    router.get("/api/v1/hotels/search").handler(this::search);
    router.get("/api/v1/hotels/:id").handler(this::details);

    router.route("/admin/v1/hotels*").handler(verifier.requireRole("admin"));
    router.post("/admin/v1/hotels").handler(Routers.async(this::createHotel));
    router.get("/admin/v1/hotels/:id").handler(Routers.async(this::getHotel));
    router.put("/admin/v1/hotels/:id").handler(Routers.async(this::updateHotel));
    router.delete("/admin/v1/hotels/:id").handler(Routers.async(this::deleteHotel));
    router.post("/admin/v1/hotels/:id/room-types").handler(Routers.async(this::createRoomType));
    router
        .put("/admin/v1/hotels/:id/room-types/:code")
        .handler(Routers.async(this::updateRoomType));
    router
        .delete("/admin/v1/hotels/:id/room-types/:code")
        .handler(Routers.async(this::deleteRoomType));
    router
        .put("/admin/v1/hotels/:id/room-types/:code/rates/:provider")
        .handler(Routers.async(this::putRate));
    router
        .delete("/admin/v1/hotels/:id/room-types/:code/rates/:provider")
        .handler(Routers.async(this::deleteRate));
    return router;
  }

  // ---- public -----------------------------------------------------------------------------------

  private void search(RoutingContext ctx) {
    hotelSearch
        .search(HotelQuery.parse(Params.of(ctx), clock))
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
    store
        .details(id)
        .compose(
            json ->
                json == null
                    ? Future.succeededFuture((JsonObject) null)
                    : store.ratings(List.of(id)).map(r -> json.put("rating", r.get(id))))
        .onSuccess(
            json -> {
              if (json == null) ctx.fail(Problem.notFound("no hotel " + id));
              else {
                ctx.response().putHeader("X-Cache-Tags", Hotel.tag(id));
                Responses.json(ctx, json);
              }
            })
        .onFailure(ctx::fail);
  }

  // ---- admin: hotels ----------------------------------------------------------------------------

  private Future<Void> createHotel(RoutingContext ctx) {
    return admin
        .createHotel(HotelInput.parse(Bodies.json(ctx)))
        .compose(
            h -> {
              ctx.response().putHeader("Location", "/admin/v1/hotels/" + h.id());
              return Responses.versioned(ctx, 201, h.version(), h.toJson());
            });
  }

  private Future<Void> getHotel(RoutingContext ctx) {
    return admin
        .hotel(id(ctx))
        .compose(json -> Responses.versioned(ctx, 200, json.getInteger("version"), json));
  }

  private Future<Void> updateHotel(RoutingContext ctx) {
    long id = id(ctx);
    int version = ETags.requireIfMatch(ctx);
    HotelInput in = HotelInput.parse(Bodies.json(ctx));
    return admin
        .updateHotel(id, version, in)
        .compose(h -> Responses.versioned(ctx, 200, h.version(), h.toJson()));
  }

  private Future<Void> deleteHotel(RoutingContext ctx) {
    long id = id(ctx);
    return admin.deleteHotel(id, ETags.requireIfMatch(ctx)).compose(v -> Responses.noContent(ctx));
  }

  // ---- admin: room types ------------------------------------------------------------------------

  private Future<Void> createRoomType(RoutingContext ctx) {
    long id = id(ctx);
    Params body = Params.of(Bodies.json(ctx));
    String code = roomCode("code", body.required("code"));
    int occupancy = body.integer("maxOccupancy", RoomKind.of(code).defaultOccupancy, 1, 9);
    return admin
        .createRoomType(id, code, occupancy)
        .compose(
            rt -> {
              ctx.response()
                  .putHeader("Location", "/admin/v1/hotels/" + id + "/room-types/" + code);
              return Responses.versioned(ctx, 201, rt.version(), rt.toJson());
            });
  }

  private Future<Void> updateRoomType(RoutingContext ctx) {
    long id = id(ctx);
    String code = roomCode("code", ctx.pathParam("code"));
    int version = ETags.requireIfMatch(ctx);
    int occupancy = Params.of(Bodies.json(ctx)).requiredInteger("maxOccupancy", 1, 9);
    return admin
        .updateRoomType(id, code, version, occupancy)
        .compose(rt -> Responses.versioned(ctx, 200, rt.version(), rt.toJson()));
  }

  private Future<Void> deleteRoomType(RoutingContext ctx) {
    long id = id(ctx);
    String code = roomCode("code", ctx.pathParam("code"));
    return admin
        .deleteRoomType(id, code, ETags.requireIfMatch(ctx))
        .compose(v -> Responses.noContent(ctx));
  }

  // ---- admin: rates -----------------------------------------------------------------------------

  private Future<Void> putRate(RoutingContext ctx) {
    long id = id(ctx);
    String code = roomCode("code", ctx.pathParam("code"));
    String provider = ctx.pathParam("provider").toLowerCase(Locale.ROOT);
    Integer ifMatch = ETags.optionalIfMatch(ctx);
    Money base = RateInput.eur(Bodies.json(ctx), "baseNightly");
    return admin
        .putRate(id, code, provider, ifMatch, base)
        .compose(
            w ->
                Responses.versioned(
                    ctx, w.created() ? 201 : 200, w.rate().version(), w.rate().toJson()));
  }

  private Future<Void> deleteRate(RoutingContext ctx) {
    long id = id(ctx);
    String code = roomCode("code", ctx.pathParam("code"));
    String provider = ctx.pathParam("provider").toLowerCase(Locale.ROOT);
    return admin
        .deleteRate(id, code, provider, ETags.requireIfMatch(ctx))
        .compose(v -> Responses.noContent(ctx));
  }

  // ---- input ------------------------------------------------------------------------------------

  private static long id(RoutingContext ctx) {
    return Params.path(ctx).id("id");
  }

  private static String roomCode(String name, String v) {
    RoomKind kind = RoomKind.of(v);
    if (kind == null)
      throw Problem.badRequest(name, "must be one of single, double, twin, family, suite");
    return kind.code();
  }
}
