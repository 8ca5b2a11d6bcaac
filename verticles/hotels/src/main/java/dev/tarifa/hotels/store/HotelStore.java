package dev.tarifa.hotels.store;

import dev.tarifa.hotels.domain.Hotel;
import dev.tarifa.hotels.domain.HotelInput;
import dev.tarifa.hotels.domain.HotelOffers.OfferRow;
import dev.tarifa.hotels.domain.Provider;
import dev.tarifa.hotels.domain.Rate;
import dev.tarifa.hotels.domain.RoomType;
import dev.tarifa.shared.domain.Conflict;
import dev.tarifa.shared.domain.InvalidValue;
import dev.tarifa.shared.domain.NotFound;
import dev.tarifa.shared.domain.VersionMismatch;
import dev.tarifa.shared.domain.VersionRequired;
import dev.tarifa.shared.events.DomainEvent;
import dev.tarifa.shared.events.Outbox;
import dev.tarifa.shared.events.RatingsConsumer;
import dev.tarifa.shared.money.Money;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The hotels queries. Reads go through the pool; every write runs in one transaction that also
 * appends the {@code hotels.offer.changed} outbox event carrying the cache tags of the searches it
 * affects.
 */
public final class HotelStore {
  public static final String EVENT = "hotels.offer.changed";
  private static final String HOTEL_COLS =
      "h.id, h.city_key, h.name, h.stars, h.district, h.address, h.latitude, h.longitude, h.version";

  public static final String RATINGS = "hotel_ratings";

  private final Pool pool;
  private final Runnable committed;

  /**
   * {@code committed} runs after every write transaction that committed (it nudges the outbox
   * relay).
   */
  public HotelStore(Pool pool, Runnable committed) {
    this.pool = pool;
    this.committed = committed;
  }

  public HotelStore(Pool pool) {
    this(pool, () -> {});
  }

  private <T> Future<T> write(Function<SqlConnection, Future<T>> work) {
    return pool.withTransaction(work).onSuccess(v -> committed.run());
  }

  /** The ratings ({@code {average, count}}) of these hotels. */
  public Future<Map<Long, JsonObject>> ratings(List<Long> hotelIds) {
    return RatingsConsumer.read(pool, RATINGS, "hotel_id", hotelIds, Long.class);
  }

  /** The consumer keeping {@code hotel_ratings} from review events on {@code queue}. */
  public RatingsConsumer<Long> ratingsConsumer(String queue) {
    return new RatingsConsumer<>(
        pool,
        queue,
        "hotel:",
        RATINGS,
        "hotel_id",
        Long::parseLong,
        EVENT,
        (c, id) -> Future.succeededFuture(List.of(Hotel.tag(id))));
  }

  // ---- search -----------------------------------------------------------------------------------

  /**
   * The key of a city given by key or (case-insensitive) name, busiest first on ambiguity; null
   * when unknown.
   */
  public Future<String> cityKey(String city) {
    return pool.preparedQuery(
            "SELECT city_key FROM cities WHERE city_key = $1 OR lower(name) = $1 ORDER BY (city_key = $1) DESC, rank LIMIT 1")
        .execute(Tuple.of(city))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString(0));
  }

  /** The key of the city an airport serves; null when the airport is not in the catalogue. */
  public Future<String> cityOfAirport(String iata) {
    return pool.preparedQuery("SELECT city_key FROM city_airports WHERE iata = $1")
        .execute(Tuple.of(iata))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString(0));
  }

  /**
   * Every rate of the city's hotels with at least {@code minStars} whose rooms take {@code
   * occupancy} guests.
   */
  public Future<List<OfferRow>> offerRows(String cityKey, int minStars, int occupancy) {
    return pool.preparedQuery(
            "SELECT "
                + HOTEL_COLS
                + ", r.id, r.code, r.max_occupancy, r.version, p.code, p.name, x.base_nightly"
                + " FROM hotels h JOIN room_types r ON r.hotel_id = h.id JOIN rates x ON x.room_type_id = r.id"
                + " JOIN providers p ON p.code = x.provider_code"
                + " WHERE h.city_key = $1 AND h.stars >= $2 AND r.max_occupancy >= $3 ORDER BY h.id, r.id, p.code")
        .execute(Tuple.of(cityKey, minStars, occupancy))
        .map(
            rows -> {
              List<OfferRow> out = new ArrayList<>(rows.size());
              Hotel last = null;
              for (Row row : rows) {
                if (last == null || last.id() != row.getLong(0)) last = hotel(row);
                RoomType rt =
                    new RoomType(
                        row.getLong(9),
                        last.id(),
                        row.getString(10),
                        row.getInteger(11),
                        row.getInteger(12));
                out.add(
                    new OfferRow(
                        last,
                        rt,
                        new Provider(row.getString(13), row.getString(14)),
                        row.getLong(15)));
              }
              return out;
            });
  }

  // ---- reads ------------------------------------------------------------------------------------

  public Future<Hotel> hotel(long id) {
    return pool.preparedQuery("SELECT " + HOTEL_COLS + " FROM hotels h WHERE h.id = $1")
        .execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : hotel(rows.iterator().next()));
  }

  /** The hotel with its city, room types and rates as the details JSON; null when absent. */
  public Future<JsonObject> details(long id) {
    return hotel(id)
        .compose(
            h ->
                h == null
                    ? Future.succeededFuture(null)
                    : pool.preparedQuery(
                            "SELECT c.name, c.country, r.id, r.code, r.max_occupancy, r.version, x.provider_code, p.name, x.base_nightly, x.currency, x.version"
                                + " FROM cities c LEFT JOIN room_types r ON r.hotel_id = $2 LEFT JOIN rates x ON x.room_type_id = r.id"
                                + " LEFT JOIN providers p ON p.code = x.provider_code WHERE c.city_key = $1 ORDER BY r.id, x.provider_code")
                        .execute(Tuple.of(h.cityKey(), h.id()))
                        .map(
                            rows -> {
                              JsonObject json = h.toJson();
                              JsonArray rooms = new JsonArray();
                              JsonObject room = null;
                              for (Row row : rows) {
                                json.put(
                                    "city",
                                    new JsonObject()
                                        .put("key", h.cityKey())
                                        .put("name", row.getString(0))
                                        .put("country", row.getString(1)));
                                if (row.getLong(2) == null) continue;
                                if (room == null
                                    || room.getLong("id") != row.getLong(2).longValue()) {
                                  room =
                                      new RoomType(
                                              row.getLong(2),
                                              h.id(),
                                              row.getString(3),
                                              row.getInteger(4),
                                              row.getInteger(5))
                                          .toJson()
                                          .put("rates", new JsonArray());
                                  rooms.add(room);
                                }
                                if (row.getString(6) != null) {
                                  room.getJsonArray("rates")
                                      .add(
                                          new JsonObject()
                                              .put(
                                                  "provider",
                                                  new JsonObject()
                                                      .put("code", row.getString(6))
                                                      .put("name", row.getString(7)))
                                              .put(
                                                  "baseNightly",
                                                  new Money(row.getLong(8), row.getString(9))
                                                      .toJson())
                                              .put("version", row.getInteger(10)));
                                }
                              }
                              return json.put("roomTypes", rooms);
                            }));
  }

  public Future<RoomType> roomType(long hotelId, String code) {
    return pool.preparedQuery(
            "SELECT id, hotel_id, code, max_occupancy, version FROM room_types WHERE hotel_id = $1 AND code = $2")
        .execute(Tuple.of(hotelId, code))
        .map(rows -> rows.size() == 0 ? null : roomType(rows.iterator().next()));
  }

  public Future<Rate> rate(long hotelId, String code, String provider) {
    return pool.preparedQuery(
            "SELECT x.room_type_id, x.provider_code, x.base_nightly, x.currency, x.version FROM rates x"
                + " JOIN room_types r ON r.id = x.room_type_id WHERE r.hotel_id = $1 AND r.code = $2 AND x.provider_code = $3")
        .execute(Tuple.of(hotelId, code, provider))
        .map(rows -> rows.size() == 0 ? null : rate(rows.iterator().next()));
  }

  // ---- writes -----------------------------------------------------------------------------------

  public Future<Hotel> createHotel(HotelInput in) {
    return write(
        c ->
            requireCity(c, in.cityKey())
                .compose(
                    v ->
                        c.preparedQuery(
                                "INSERT INTO hotels (city_key, name, stars, district, address, latitude, longitude)"
                                    + " VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id, city_key, name, stars, district, address, latitude, longitude, version")
                            .execute(
                                Tuple.of(
                                    in.cityKey(),
                                    in.name(),
                                    in.stars(),
                                    in.district(),
                                    in.address(),
                                    in.latitude(),
                                    in.longitude())))
                .map(rows -> hotel(rows.iterator().next()))
                .compose(h -> event(c, "hotel.created", h.id(), h.cityKey()).map(h)));
  }

  public Future<Hotel> updateHotel(long id, int version, HotelInput in) {
    return write(
        c ->
            lockHotel(c, id, version)
                .compose(
                    old ->
                        requireCity(c, in.cityKey())
                            .compose(
                                v ->
                                    c.preparedQuery(
                                            "UPDATE hotels SET city_key = $2, name = $3, stars = $4, district = $5, address = $6,"
                                                + " latitude = $7, longitude = $8, version = version + 1 WHERE id = $1"
                                                + " RETURNING id, city_key, name, stars, district, address, latitude, longitude, version")
                                        .execute(
                                            Tuple.from(
                                                List.of(
                                                    id,
                                                    in.cityKey(),
                                                    in.name(),
                                                    in.stars(),
                                                    in.district(),
                                                    in.address(),
                                                    in.latitude(),
                                                    in.longitude()))))
                            .map(rows -> hotel(rows.iterator().next()))
                            .compose(
                                h ->
                                    event(c, "hotel.updated", id, old.cityKey(), h.cityKey())
                                        .map(h))));
  }

  public Future<Void> deleteHotel(long id, int version) {
    return write(
        c ->
            lockHotel(c, id, version)
                .compose(
                    old ->
                        c.preparedQuery("DELETE FROM hotels WHERE id = $1")
                            .execute(Tuple.of(id))
                            .compose(r -> event(c, "hotel.deleted", id, old.cityKey()))));
  }

  public Future<RoomType> createRoomType(long hotelId, String code, int maxOccupancy) {
    return write(
        c ->
            lockHotel(c, hotelId, null)
                .compose(
                    h ->
                        c.preparedQuery(
                                "INSERT INTO room_types (hotel_id, code, max_occupancy) VALUES ($1, $2, $3)"
                                    + " ON CONFLICT (hotel_id, code) DO NOTHING RETURNING id, hotel_id, code, max_occupancy, version")
                            .execute(Tuple.of(hotelId, code, maxOccupancy))
                            .compose(
                                rows ->
                                    rows.size() == 0
                                        ? Future.<RoomType>failedFuture(
                                            new Conflict(
                                                "hotel "
                                                    + hotelId
                                                    + " already has room type "
                                                    + code))
                                        : Future.succeededFuture(roomType(rows.iterator().next())))
                            .compose(
                                rt -> event(c, "roomType.created", hotelId, h.cityKey()).map(rt))));
  }

  public Future<RoomType> updateRoomType(long hotelId, String code, int version, int maxOccupancy) {
    return write(
        c ->
            lockHotel(c, hotelId, null)
                .compose(
                    h ->
                        c.preparedQuery(
                                "UPDATE room_types SET max_occupancy = $4, version = version + 1"
                                    + " WHERE hotel_id = $1 AND code = $2 AND version = $3 RETURNING id, hotel_id, code, max_occupancy, version")
                            .execute(Tuple.of(hotelId, code, version, maxOccupancy))
                            .compose(
                                rows ->
                                    rows.size() > 0
                                        ? Future.succeededFuture(roomType(rows.iterator().next()))
                                        : roomTypeMiss(c, hotelId, code))
                            .compose(
                                rt -> event(c, "roomType.updated", hotelId, h.cityKey()).map(rt))));
  }

  public Future<Void> deleteRoomType(long hotelId, String code, int version) {
    return write(
        c ->
            lockHotel(c, hotelId, null)
                .compose(
                    h ->
                        c.preparedQuery(
                                "DELETE FROM room_types WHERE hotel_id = $1 AND code = $2 AND version = $3 RETURNING id")
                            .execute(Tuple.of(hotelId, code, version))
                            .compose(
                                rows ->
                                    rows.size() > 0
                                        ? Future.<RoomType>succeededFuture()
                                        : roomTypeMiss(c, hotelId, code))
                            .compose(v -> event(c, "roomType.deleted", hotelId, h.cityKey()))));
  }

  /** The outcome of setting a rate: the rate and whether it was created. */
  public record RateWrite(Rate rate, boolean created) {}

  /**
   * Sets a provider's base nightly rate. Creating needs no version ({@code ifMatch} null);
   * replacing an existing rate needs its current version ({@link VersionRequired} without, {@link
   * VersionMismatch} when stale).
   */
  public Future<RateWrite> putRate(
      long hotelId, String code, String provider, Integer ifMatch, Money base) {
    return write(
        c ->
            lockHotel(c, hotelId, null)
                .compose(
                    h ->
                        roomTypeIn(c, hotelId, code)
                            .compose(
                                rt ->
                                    requireProvider(c, provider)
                                        .compose(
                                            v ->
                                                c.preparedQuery(
                                                        "SELECT version FROM rates WHERE room_type_id = $1 AND provider_code = $2 FOR UPDATE")
                                                    .execute(Tuple.of(rt.id(), provider)))
                                        .compose(
                                            rows -> {
                                              if (rows.size() == 0) {
                                                if (ifMatch != null)
                                                  return Future.failedFuture(
                                                      new VersionMismatch(
                                                          "no rate of "
                                                              + provider
                                                              + " exists to match"));
                                                return c.preparedQuery(
                                                        "INSERT INTO rates (room_type_id, provider_code, base_nightly, currency) VALUES ($1, $2, $3, $4)"
                                                            + " RETURNING room_type_id, provider_code, base_nightly, currency, version")
                                                    .execute(
                                                        Tuple.of(
                                                            rt.id(),
                                                            provider,
                                                            base.amount(),
                                                            base.currency()))
                                                    .map(
                                                        r ->
                                                            new RateWrite(
                                                                rate(r.iterator().next()), true));
                                              }
                                              if (ifMatch == null)
                                                return Future.failedFuture(
                                                    new VersionRequired(
                                                        "If-Match with the current ETag is required"));
                                              if (rows.iterator().next().getInteger(0)
                                                  != ifMatch.intValue())
                                                return Future.failedFuture(stale());
                                              return c.preparedQuery(
                                                      "UPDATE rates SET base_nightly = $3, currency = $4, version = version + 1"
                                                          + " WHERE room_type_id = $1 AND provider_code = $2 RETURNING room_type_id, provider_code, base_nightly, currency, version")
                                                  .execute(
                                                      Tuple.of(
                                                          rt.id(),
                                                          provider,
                                                          base.amount(),
                                                          base.currency()))
                                                  .map(
                                                      r ->
                                                          new RateWrite(
                                                              rate(r.iterator().next()), false));
                                            }))
                            .compose(w -> event(c, "rate.set", hotelId, h.cityKey()).map(w))));
  }

  public Future<Void> deleteRate(long hotelId, String code, String provider, int version) {
    return write(
        c ->
            lockHotel(c, hotelId, null)
                .compose(
                    h ->
                        roomTypeIn(c, hotelId, code)
                            .compose(
                                rt ->
                                    c.preparedQuery(
                                            "SELECT version FROM rates WHERE room_type_id = $1 AND provider_code = $2 FOR UPDATE")
                                        .execute(Tuple.of(rt.id(), provider))
                                        .compose(
                                            rows -> {
                                              if (rows.size() == 0)
                                                return Future.failedFuture(
                                                    new NotFound(
                                                        "hotel "
                                                            + hotelId
                                                            + " room type "
                                                            + code
                                                            + " has no rate of "
                                                            + provider));
                                              if (rows.iterator().next().getInteger(0) != version)
                                                return Future.failedFuture(stale());
                                              return c.preparedQuery(
                                                      "DELETE FROM rates WHERE room_type_id = $1 AND provider_code = $2")
                                                  .execute(Tuple.of(rt.id(), provider));
                                            }))
                            .compose(r -> event(c, "rate.deleted", hotelId, h.cityKey()))));
  }

  // ---- helpers ----------------------------------------------------------------------------------

  /**
   * Locks the hotel row; {@link NotFound} when absent, {@link VersionMismatch} when {@code version}
   * is given and stale.
   */
  private Future<Hotel> lockHotel(SqlConnection c, long id, Integer version) {
    return c.preparedQuery("SELECT " + HOTEL_COLS + " FROM hotels h WHERE h.id = $1 FOR UPDATE")
        .execute(Tuple.of(id))
        .compose(
            rows -> {
              if (rows.size() == 0) return Future.failedFuture(new NotFound("no hotel " + id));
              Hotel h = hotel(rows.iterator().next());
              if (version != null && h.version() != version) return Future.failedFuture(stale());
              return Future.succeededFuture(h);
            });
  }

  private Future<RoomType> roomTypeIn(SqlConnection c, long hotelId, String code) {
    return c.preparedQuery(
            "SELECT id, hotel_id, code, max_occupancy, version FROM room_types WHERE hotel_id = $1 AND code = $2")
        .execute(Tuple.of(hotelId, code))
        .compose(
            rows ->
                rows.size() == 0
                    ? Future.failedFuture(
                        new NotFound("hotel " + hotelId + " has no room type " + code))
                    : Future.succeededFuture(roomType(rows.iterator().next())));
  }

  /**
   * After a versioned write matched nothing: {@link NotFound} when the room type is absent, else
   * {@link VersionMismatch}.
   */
  private <T> Future<T> roomTypeMiss(SqlConnection c, long hotelId, String code) {
    return roomTypeIn(c, hotelId, code).compose(rt -> Future.failedFuture(stale()));
  }

  private static Future<Void> requireCity(SqlConnection c, String cityKey) {
    return c.preparedQuery("SELECT 1 FROM cities WHERE city_key = $1")
        .execute(Tuple.of(cityKey))
        .compose(
            rows ->
                rows.size() == 0
                    ? Future.failedFuture(new InvalidValue("cityKey", "unknown city " + cityKey))
                    : Future.succeededFuture());
  }

  private static Future<Void> requireProvider(SqlConnection c, String provider) {
    return c.preparedQuery("SELECT 1 FROM providers WHERE code = $1")
        .execute(Tuple.of(provider))
        .compose(
            rows ->
                rows.size() == 0
                    ? Future.failedFuture(new NotFound("no provider " + provider))
                    : Future.succeededFuture());
  }

  private static VersionMismatch stale() {
    return new VersionMismatch("the resource has changed; fetch it again for the current ETag");
  }

  /**
   * Appends the offer-change event tagged with the hotel and every city whose searches may change.
   */
  private static Future<Void> event(
      SqlConnection c, String change, long hotelId, String... cityKeys) {
    Set<String> tags = new LinkedHashSet<>();
    for (String k : cityKeys) tags.add(Hotel.cityTag(k));
    tags.add(Hotel.tag(hotelId));
    return Outbox.append(
        c,
        DomainEvent.of(
            EVENT,
            List.copyOf(tags),
            new JsonObject().put("change", change).put("hotelId", hotelId)));
  }

  static Hotel hotel(Row r) {
    return new Hotel(
        r.getLong(0),
        r.getString(1),
        r.getString(2),
        r.getInteger(3),
        r.getString(4),
        r.getString(5),
        r.getDouble(6),
        r.getDouble(7),
        r.getInteger(8));
  }

  static RoomType roomType(Row r) {
    return new RoomType(
        r.getLong(0), r.getLong(1), r.getString(2), r.getInteger(3), r.getInteger(4));
  }

  static Rate rate(Row r) {
    return new Rate(
        r.getLong(0), r.getString(1), new Money(r.getLong(2), r.getString(3)), r.getInteger(4));
  }
}
