package dev.tarifa.cars.store;

import dev.tarifa.cars.domain.CarClass;
import dev.tarifa.cars.domain.CarOffers.OfferRow;
import dev.tarifa.cars.domain.CarRate;
import dev.tarifa.cars.domain.Station;
import dev.tarifa.cars.domain.Supplier;
import dev.tarifa.shared.domain.Conflict;
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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The cars queries. Reads go through the pool; every write runs in one transaction that also
 * appends the {@code cars.offer.changed} outbox event tagged {@code cars:station:<IATA>}.
 */
public final class CarStore {
  public static final String EVENT = "cars.offer.changed";
  private static final String STATION_COLS =
      "iata, name, city_key, city, country, latitude, longitude, version";

  public static final String RATINGS = "supplier_ratings";

  private final Pool pool;
  private final Runnable committed;

  /**
   * {@code committed} runs after every write transaction that committed (it nudges the outbox
   * relay).
   */
  public CarStore(Pool pool, Runnable committed) {
    this.pool = pool;
    this.committed = committed;
  }

  public CarStore(Pool pool) {
    this(pool, () -> {});
  }

  private <T> Future<T> write(Function<SqlConnection, Future<T>> work) {
    return pool.withTransaction(work).onSuccess(v -> committed.run());
  }

  /** The ratings ({@code {average, count}}) of these suppliers (lower-case codes). */
  public Future<Map<String, JsonObject>> ratings(List<String> suppliers) {
    return RatingsConsumer.read(pool, RATINGS, "supplier_code", suppliers, String.class);
  }

  /**
   * The consumer keeping {@code supplier_ratings} from review events ({@code carsupplier:<code>})
   * on {@code queue}; a change evicts by {@link Supplier#tag}, which every search answer showing
   * the supplier carries.
   */
  public RatingsConsumer<String> ratingsConsumer(String queue) {
    return new RatingsConsumer<>(
        pool,
        queue,
        "carsupplier:",
        RATINGS,
        "supplier_code",
        code -> code.toLowerCase(Locale.ROOT),
        EVENT,
        (c, code) -> Future.succeededFuture(List.of(Supplier.tag(code))));
  }

  // ---- reads ------------------------------------------------------------------------------------

  public Future<Station> station(String iata) {
    return pool.preparedQuery("SELECT " + STATION_COLS + " FROM stations WHERE iata = $1")
        .execute(Tuple.of(iata))
        .map(rows -> rows.size() == 0 ? null : station(rows.iterator().next()));
  }

  /** The station's rates, optionally of one class only. */
  public Future<List<OfferRow>> offerRows(String iata, String classCode) {
    return pool.preparedQuery(
            "SELECT r.class_code, r.supplier_code, s.name, r.base_daily FROM car_rates r"
                + " JOIN suppliers s ON s.code = r.supplier_code"
                + " WHERE r.station_iata = $1 AND ($2::text IS NULL OR r.class_code = $2) ORDER BY r.class_code, r.supplier_code")
        .execute(Tuple.of(iata, classCode))
        .map(
            rows -> {
              List<OfferRow> out = new ArrayList<>(rows.size());
              for (Row row : rows) {
                CarClass c = CarClass.of(row.getString(0));
                if (c != null)
                  out.add(
                      new OfferRow(
                          c, new Supplier(row.getString(1), row.getString(2)), row.getLong(3)));
              }
              return out;
            });
  }

  /** The supplier with how many stations and rates it has; null when unknown. */
  public Future<JsonObject> supplier(String code) {
    return pool.preparedQuery(
            "SELECT s.code, s.name, count(DISTINCT r.station_iata), count(r.station_iata)"
                + " FROM suppliers s LEFT JOIN car_rates r ON r.supplier_code = s.code WHERE s.code = $1 GROUP BY s.code, s.name")
        .execute(Tuple.of(code))
        .map(
            rows -> {
              if (rows.size() == 0) return null;
              Row r = rows.iterator().next();
              return new Supplier(r.getString(0), r.getString(1))
                  .toJson()
                  .put("stations", r.getLong(2))
                  .put("rates", r.getLong(3));
            });
  }

  /** The station with its classes and their rates as the admin JSON; null when absent. */
  public Future<JsonObject> stationDetails(String iata) {
    return station(iata)
        .compose(
            st ->
                st == null
                    ? Future.succeededFuture(null)
                    : pool.preparedQuery(
                            "SELECT c.class_code, c.version, r.supplier_code, r.base_daily, r.currency, r.version"
                                + " FROM station_classes c LEFT JOIN car_rates r ON r.station_iata = c.station_iata AND r.class_code = c.class_code"
                                + " WHERE c.station_iata = $1 ORDER BY c.class_code, r.supplier_code")
                        .execute(Tuple.of(iata))
                        .map(
                            rows -> {
                              JsonArray classes = new JsonArray();
                              JsonObject current = null;
                              for (Row row : rows) {
                                if (current == null
                                    || !current.getString("code").equals(row.getString(0))) {
                                  current =
                                      new JsonObject()
                                          .put("code", row.getString(0))
                                          .put("version", row.getInteger(1))
                                          .put("rates", new JsonArray());
                                  classes.add(current);
                                }
                                if (row.getString(2) != null) {
                                  current
                                      .getJsonArray("rates")
                                      .add(
                                          new JsonObject()
                                              .put("supplier", row.getString(2))
                                              .put(
                                                  "baseDaily",
                                                  new Money(row.getLong(3), row.getString(4))
                                                      .toJson())
                                              .put("version", row.getInteger(5)));
                                }
                              }
                              return st.toJson().put("classes", classes);
                            }));
  }

  // ---- writes -----------------------------------------------------------------------------------

  public Future<Station> createStation(Station s) {
    return write(
        c ->
            c.preparedQuery(
                    "INSERT INTO stations ("
                        + STATION_COLS
                        + ") VALUES ($1, $2, $3, $4, $5, $6, $7, 1)"
                        + " ON CONFLICT (iata) DO NOTHING RETURNING "
                        + STATION_COLS)
                .execute(
                    Tuple.from(
                        List.of(
                            s.iata(),
                            s.name(),
                            s.cityKey(),
                            s.city(),
                            s.country(),
                            s.latitude(),
                            s.longitude())))
                .compose(
                    rows ->
                        rows.size() == 0
                            ? Future.<Station>failedFuture(
                                new Conflict("station " + s.iata() + " exists already"))
                            : Future.succeededFuture(station(rows.iterator().next())))
                .compose(st -> event(c, "station.created", st.iata()).map(st)));
  }

  public Future<Station> updateStation(String iata, int version, Station s) {
    return write(
        c ->
            lockStation(c, iata, version)
                .compose(
                    old ->
                        c.preparedQuery(
                                "UPDATE stations SET name = $2, city_key = $3, city = $4, country = $5, latitude = $6,"
                                    + " longitude = $7, version = version + 1 WHERE iata = $1 RETURNING "
                                    + STATION_COLS)
                            .execute(
                                Tuple.from(
                                    List.of(
                                        iata,
                                        s.name(),
                                        s.cityKey(),
                                        s.city(),
                                        s.country(),
                                        s.latitude(),
                                        s.longitude()))))
                .map(rows -> station(rows.iterator().next()))
                .compose(st -> event(c, "station.updated", iata).map(st)));
  }

  public Future<Void> deleteStation(String iata, int version) {
    return write(
        c ->
            lockStation(c, iata, version)
                .compose(
                    old ->
                        c.preparedQuery("DELETE FROM stations WHERE iata = $1")
                            .execute(Tuple.of(iata)))
                .compose(r -> event(c, "station.deleted", iata)));
  }

  /**
   * Offers a class at a station: {@link Conflict} when it is offered already, {@link NotFound}
   * without the station.
   */
  public Future<Integer> addClass(String iata, String classCode) {
    return write(
        c ->
            lockStation(c, iata, null)
                .compose(
                    st ->
                        c.preparedQuery(
                                "INSERT INTO station_classes (station_iata, class_code) VALUES ($1, $2)"
                                    + " ON CONFLICT DO NOTHING RETURNING version")
                            .execute(Tuple.of(iata, classCode)))
                .compose(
                    rows ->
                        rows.size() == 0
                            ? Future.<Integer>failedFuture(
                                new Conflict(
                                    "station " + iata + " offers " + classCode + " already"))
                            : Future.succeededFuture(rows.iterator().next().getInteger(0)))
                .compose(v -> event(c, "class.added", iata).map(v)));
  }

  public Future<Void> removeClass(String iata, String classCode, int version) {
    return write(
        c ->
            lockStation(c, iata, null)
                .compose(
                    st ->
                        c.preparedQuery(
                                "SELECT version FROM station_classes WHERE station_iata = $1 AND class_code = $2 FOR UPDATE")
                            .execute(Tuple.of(iata, classCode)))
                .compose(
                    rows -> {
                      if (rows.size() == 0)
                        return Future.failedFuture(
                            new NotFound("station " + iata + " does not offer " + classCode));
                      if (rows.iterator().next().getInteger(0) != version)
                        return Future.failedFuture(stale());
                      return c.preparedQuery(
                              "DELETE FROM station_classes WHERE station_iata = $1 AND class_code = $2")
                          .execute(Tuple.of(iata, classCode));
                    })
                .compose(r -> event(c, "class.removed", iata)));
  }

  public record RateWrite(CarRate rate, boolean created) {}

  /**
   * Sets a supplier's base daily rate: creating needs no version, replacing needs the current one
   * ({@link VersionRequired}, {@link VersionMismatch}).
   */
  public Future<RateWrite> putRate(
      String iata, String classCode, String supplier, Integer ifMatch, Money base) {
    return write(
        c ->
            lockStation(c, iata, null)
                .compose(
                    st ->
                        c.preparedQuery(
                                "SELECT 1 FROM station_classes WHERE station_iata = $1 AND class_code = $2")
                            .execute(Tuple.of(iata, classCode)))
                .compose(
                    rows ->
                        rows.size() == 0
                            ? Future.failedFuture(
                                new NotFound("station " + iata + " does not offer " + classCode))
                            : c.preparedQuery("SELECT 1 FROM suppliers WHERE code = $1")
                                .execute(Tuple.of(supplier)))
                .compose(
                    rows ->
                        rows.size() == 0
                            ? Future.failedFuture(new NotFound("no supplier " + supplier))
                            : c.preparedQuery(
                                    "SELECT version FROM car_rates WHERE station_iata = $1 AND class_code = $2 AND supplier_code = $3 FOR UPDATE")
                                .execute(Tuple.of(iata, classCode, supplier)))
                .compose(
                    rows -> {
                      String returning =
                          " RETURNING station_iata, class_code, supplier_code, base_daily, currency, version";
                      if (rows.size() == 0) {
                        if (ifMatch != null)
                          return Future.failedFuture(
                              new VersionMismatch("no rate of " + supplier + " exists to match"));
                        return c.preparedQuery(
                                "INSERT INTO car_rates (station_iata, class_code, supplier_code, base_daily, currency) VALUES ($1, $2, $3, $4, $5)"
                                    + returning)
                            .execute(
                                Tuple.of(iata, classCode, supplier, base.amount(), base.currency()))
                            .map(r -> new RateWrite(rate(r.iterator().next()), true));
                      }
                      if (ifMatch == null)
                        return Future.failedFuture(
                            new VersionRequired("If-Match with the current ETag is required"));
                      if (rows.iterator().next().getInteger(0) != ifMatch.intValue())
                        return Future.failedFuture(stale());
                      return c.preparedQuery(
                              "UPDATE car_rates SET base_daily = $4, currency = $5, version = version + 1"
                                  + " WHERE station_iata = $1 AND class_code = $2 AND supplier_code = $3"
                                  + returning)
                          .execute(
                              Tuple.of(iata, classCode, supplier, base.amount(), base.currency()))
                          .map(r -> new RateWrite(rate(r.iterator().next()), false));
                    })
                .compose(w -> event(c, "rate.set", iata).map(w)));
  }

  public Future<Void> deleteRate(String iata, String classCode, String supplier, int version) {
    return write(
        c ->
            lockStation(c, iata, null)
                .compose(
                    st ->
                        c.preparedQuery(
                                "SELECT version FROM car_rates WHERE station_iata = $1 AND class_code = $2 AND supplier_code = $3 FOR UPDATE")
                            .execute(Tuple.of(iata, classCode, supplier)))
                .compose(
                    rows -> {
                      if (rows.size() == 0)
                        return Future.failedFuture(
                            new NotFound(
                                "no rate of " + supplier + " for " + classCode + " at " + iata));
                      if (rows.iterator().next().getInteger(0) != version)
                        return Future.failedFuture(stale());
                      return c.preparedQuery(
                              "DELETE FROM car_rates WHERE station_iata = $1 AND class_code = $2 AND supplier_code = $3")
                          .execute(Tuple.of(iata, classCode, supplier));
                    })
                .compose(r -> event(c, "rate.deleted", iata)));
  }

  // ---- helpers ----------------------------------------------------------------------------------

  /**
   * Locks the station row; {@link NotFound} when absent, {@link VersionMismatch} when {@code
   * version} is given and stale.
   */
  private Future<Station> lockStation(SqlConnection c, String iata, Integer version) {
    return c.preparedQuery("SELECT " + STATION_COLS + " FROM stations WHERE iata = $1 FOR UPDATE")
        .execute(Tuple.of(iata))
        .compose(
            rows -> {
              if (rows.size() == 0) return Future.failedFuture(new NotFound("no station " + iata));
              Station st = station(rows.iterator().next());
              if (version != null && st.version() != version) return Future.failedFuture(stale());
              return Future.succeededFuture(st);
            });
  }

  private static VersionMismatch stale() {
    return new VersionMismatch("the resource has changed; fetch it again for the current ETag");
  }

  private static Future<Void> event(SqlConnection c, String change, String iata) {
    return Outbox.append(
        c,
        DomainEvent.of(
            EVENT,
            List.of(Station.tag(iata)),
            new JsonObject().put("change", change).put("station", iata)));
  }

  static Station station(Row r) {
    return new Station(
        r.getString(0),
        r.getString(1),
        r.getString(2),
        r.getString(3),
        r.getString(4),
        r.getDouble(5),
        r.getDouble(6),
        r.getInteger(7));
  }

  static CarRate rate(Row r) {
    return new CarRate(
        r.getString(0),
        r.getString(1),
        r.getString(2),
        new Money(r.getLong(3), r.getString(4)),
        r.getInteger(5));
  }
}
