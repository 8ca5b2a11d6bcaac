package dev.tarifa.hotels.api;

import dev.tarifa.hotels.domain.HotelInput;
import dev.tarifa.hotels.domain.RoomKind;
import dev.tarifa.hotels.search.HotelSearch;
import dev.tarifa.hotels.service.HotelsAdmin;
import dev.tarifa.hotels.store.HotelStore;
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
import dev.tarifa.shared.search.HotelQuery;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/**
 * The hotels service's HTTP API: public search and details, admin CRUD of hotels, room types and
 * rates.
 */
public final class HotelsRouter {
  private final RouterParts parts;
  private final HotelSearch hotelSearch;
  private final HotelsAdmin admin;

  private HotelsRouter(RouterParts parts, HotelStore store) {
    this.parts = parts;
    this.hotelSearch = new HotelSearch(store, parts.clock());
    this.admin = new HotelsAdmin(store);
  }

  /** The service's router over its parts and store. */
  public static Router create(RouterParts parts, HotelStore store) {
    return new HotelsRouter(parts, store).router();
  }

  private Router router() {
    Router router = Routers.create(parts.vertx(), parts.health());
    router.get("/api/v1/hotels/search").handler(Routers.async(this::search));
    router.get("/api/v1/hotels/:id").handler(Routers.async(this::details));

    router.route("/admin/v1/hotels*").handler(parts.auth().requireRole("admin"));
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

  private Future<Void> search(RoutingContext ctx) {
    return hotelSearch
        .search(HotelQuery.parse(Params.of(ctx), parts.clock()))
        .compose(answer -> answer.writeTo(ctx));
  }

  private Future<Void> details(RoutingContext ctx) {
    long id = id(ctx);
    return hotelSearch.details(id).compose(json -> Responses.tagged(ctx, CacheTag.hotel(id), json));
  }

  // ---- admin: hotels ----------------------------------------------------------------------------

  private Future<Void> createHotel(RoutingContext ctx) {
    return admin
        .createHotel(HotelInput.parse(Bodies.json(ctx)))
        .compose(
            h -> Responses.created(ctx, "/admin/v1/hotels/" + h.id(), h.version(), h.toJson()));
  }

  private Future<Void> getHotel(RoutingContext ctx) {
    return admin.hotel(id(ctx)).compose(json -> Responses.versioned(ctx, json));
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
            rt ->
                Responses.created(
                    ctx,
                    "/admin/v1/hotels/" + id + "/room-types/" + code,
                    rt.version(),
                    rt.toJson()));
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
