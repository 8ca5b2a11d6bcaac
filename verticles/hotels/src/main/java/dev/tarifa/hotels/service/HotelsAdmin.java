package dev.tarifa.hotels.service;

import dev.tarifa.hotels.domain.Hotel;
import dev.tarifa.hotels.domain.HotelInput;
import dev.tarifa.hotels.domain.RoomType;
import dev.tarifa.hotels.store.HotelStore;
import dev.tarifa.hotels.store.HotelStore.RateWrite;
import dev.tarifa.shared.domain.NotFound;
import dev.tarifa.shared.domain.VersionMismatch;
import dev.tarifa.shared.domain.VersionRequired;
import dev.tarifa.shared.money.Money;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * The administration of hotels, their room types and the providers' rates for them. Every change is
 * optimistic: it names the version it is based on and fails with {@link VersionMismatch} when that
 * is not the current one; absent hotels, room types and rates are {@link NotFound}. Each committed
 * change also emits the offer-change event that evicts the searches it may change (see {@link
 * HotelStore}).
 */
public final class HotelsAdmin {
  private final HotelStore store;

  public HotelsAdmin(HotelStore store) {
    this.store = store;
  }

  /** The new hotel at version 1; a {@code cityKey} that names no city is an invalid value. */
  public Future<Hotel> createHotel(HotelInput in) {
    return store.createHotel(in);
  }

  /** The hotel with its city, room types and rates (the details form, with its {@code version}). */
  public Future<JsonObject> hotel(long id) {
    return store
        .details(id)
        .compose(
            json ->
                json == null
                    ? Future.failedFuture(new NotFound("no hotel " + id))
                    : Future.succeededFuture(json));
  }

  public Future<Hotel> updateHotel(long id, int version, HotelInput in) {
    return store.updateHotel(id, version, in);
  }

  public Future<Void> deleteHotel(long id, int version) {
    return store.deleteHotel(id, version);
  }

  /** A new room type of the hotel; a second one with the same code is a conflict. */
  public Future<RoomType> createRoomType(long hotelId, String code, int maxOccupancy) {
    return store.createRoomType(hotelId, code, maxOccupancy);
  }

  public Future<RoomType> updateRoomType(long hotelId, String code, int version, int maxOccupancy) {
    return store.updateRoomType(hotelId, code, version, maxOccupancy);
  }

  public Future<Void> deleteRoomType(long hotelId, String code, int version) {
    return store.deleteRoomType(hotelId, code, version);
  }

  /**
   * Sets a provider's base nightly rate for a room type. Without {@code version} the rate must not
   * exist yet (it is created); replacing an existing rate needs its version ({@link
   * VersionRequired} without).
   */
  public Future<RateWrite> putRate(
      long hotelId, String code, String provider, Integer version, Money baseNightly) {
    return store.putRate(hotelId, code, provider, version, baseNightly);
  }

  public Future<Void> deleteRate(long hotelId, String code, String provider, int version) {
    return store.deleteRate(hotelId, code, provider, version);
  }
}
