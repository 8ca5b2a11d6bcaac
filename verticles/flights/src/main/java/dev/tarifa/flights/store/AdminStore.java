package dev.tarifa.flights.store;

import dev.tarifa.flights.domain.Cabin;
import dev.tarifa.flights.domain.FareEntry;
import dev.tarifa.flights.domain.Reference;
import dev.tarifa.flights.domain.Schedule;
import dev.tarifa.shared.domain.Conflict;
import dev.tarifa.shared.domain.NotFound;
import dev.tarifa.shared.domain.VersionMismatch;
import dev.tarifa.shared.domain.VersionRequired;
import dev.tarifa.shared.events.DomainEvent;
import dev.tarifa.shared.events.Outbox;
import dev.tarifa.shared.search.CacheTag;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Admin writes to schedules and fares. Each write runs in one transaction that locks the row,
 * checks the caller's version ({@link NotFound} when gone, {@link VersionMismatch} when stale),
 * bumps the version, and appends a {@code flights.offer.changed} outbox event naming the searches
 * it may change: for every leg X-Y it touches (a route-changing update touches the old and the new
 * leg), {@code flights:X-Y}, {@code flights:} of every pair whose one-stop itineraries can contain
 * the leg (see {@link #CONNECTING}), and {@code route:X-Y}, which answers no longer carry but
 * answers cached by an earlier version do (a rolling upgrade must still evict them).
 */
public final class AdminStore {
  public static final String EVENT = "flights.offer.changed";

  /**
   * The searched pairs other than X-Y whose itineraries can contain a leg X-Y (arrays $1 of X, $2
   * of Y): searches build nonstop and one-stop itineraries only, so X-Z through hub Y (a schedule
   * Y-Z, Z not X) and W-Y through hub X (a schedule W-X, W not Y). Any schedule counts, whatever
   * its days and fares: a pair evicted for nothing costs one miss, a pair missed serves a stale
   * answer. Read in the write's transaction after it, so a deleted leg's neighbours are read
   * without it, which changes nothing (a leg is never its own neighbour: X is not Y), and an
   * updated schedule may count as a neighbour of its own old leg (one needless eviction).
   */
  static final String CONNECTING =
      """
    WITH leg (x, y) AS (SELECT * FROM unnest($1::text[], $2::text[]))
    SELECT leg.x, f.destination FROM leg JOIN flights f ON f.origin = leg.y AND f.destination <> leg.x
    UNION
    SELECT f.origin, leg.y FROM leg JOIN flights f ON f.destination = leg.x AND f.origin <> leg.y""";

  private final Pool pool;
  private final Reference ref;
  private final Runnable committed;
  private final Supplier<Future<?>> applied;

  /**
   * {@code committed} runs after every write transaction that committed (it nudges the outbox
   * relay); the write then answers once {@code applied} completes (the local search read model has
   * applied it), so a search on this instance after the admin answer sees the change. A failed
   * {@code applied} does not fail the committed write (the read model's poll applies it within
   * {@link FlightReadModel#POLL_MS}).
   */
  public AdminStore(Pool pool, Reference ref, Runnable committed, Supplier<Future<?>> applied) {
    this.pool = pool;
    this.ref = ref;
    this.committed = committed;
    this.applied = applied;
  }

  public AdminStore(Pool pool, Reference ref, Runnable committed) {
    this(pool, ref, committed, Future::succeededFuture);
  }

  public AdminStore(Pool pool, Reference ref) {
    this(pool, ref, () -> {});
  }

  private <T> Future<T> write(java.util.function.Function<SqlConnection, Future<T>> work) {
    return pool.withTransaction(work)
        .onSuccess(v -> committed.run())
        .compose(v -> applied.get().<T>map(x -> v).otherwise(v));
  }

  public Future<List<Schedule>> schedules(String from, String to) {
    return pool.preparedQuery(
            "SELECT "
                + Schedule.COLUMNS
                + " FROM flights WHERE origin = $1 AND destination = $2 ORDER BY dep_local, id")
        .execute(Tuple.of(from, to))
        .map(
            rows -> {
              List<Schedule> out = new ArrayList<>();
              for (Row r : rows) out.add(Schedule.of(r));
              return out;
            });
  }

  public Future<Schedule> schedule(long id) {
    return pool.preparedQuery("SELECT " + Schedule.COLUMNS + " FROM flights WHERE id = $1")
        .execute(Tuple.of(id))
        .compose(
            rows ->
                rows.size() == 0
                    ? Future.failedFuture(new NotFound("no flight " + id))
                    : Future.succeededFuture(Schedule.of(rows.iterator().next())));
  }

  public Future<Schedule> create(Schedule s) {
    return write(
            conn ->
                conn.preparedQuery(
                        """
        INSERT INTO flights (airline, number, origin, destination, dep_local, duration, dep_utc, arr_utc, days, distance_km)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING"""
                            + " "
                            + Schedule.COLUMNS)
                    .execute(scheduleTuple(s))
                    .map(rows -> Schedule.of(rows.iterator().next()))
                    .compose(
                        created ->
                            event(conn, created, "schedule.created", Set.of(created)).map(created)))
        .recover(AdminStore::conflict);
  }

  public Future<Schedule> replace(long id, int ifMatch, Schedule s) {
    return write(
            conn ->
                lockSchedule(conn, id, ifMatch)
                    .compose(
                        old ->
                            conn.preparedQuery(
                                    """
          UPDATE flights SET airline = $1, number = $2, origin = $3, destination = $4, dep_local = $5, duration = $6,
                 dep_utc = $7, arr_utc = $8, days = $9, distance_km = $10, version = version + 1
          WHERE id = $11 RETURNING"""
                                        + " "
                                        + Schedule.COLUMNS)
                                .execute(scheduleTuple(s).addLong(id))
                                .map(rows -> Schedule.of(rows.iterator().next()))
                                .compose(
                                    updated ->
                                        event(
                                                conn,
                                                updated,
                                                "schedule.updated",
                                                Set.of(old, updated))
                                            .map(updated))))
        .recover(AdminStore::conflict);
  }

  public Future<Void> delete(long id, int ifMatch) {
    return write(
        conn ->
            lockSchedule(conn, id, ifMatch)
                .compose(
                    old ->
                        conn.preparedQuery("DELETE FROM flights WHERE id = $1")
                            .execute(Tuple.of(id))
                            .compose(r -> event(conn, old, "schedule.deleted", Set.of(old)))));
  }

  public Future<List<FareEntry>> fares(long flightId) {
    return schedule(flightId)
        .compose(
            s ->
                pool.preparedQuery(
                        "SELECT "
                            + FareEntry.COLUMNS
                            + " FROM fares WHERE flight_id = $1 ORDER BY cabin, amount, provider")
                    .execute(Tuple.of(flightId))
                    .map(
                        rows -> {
                          List<FareEntry> out = new ArrayList<>();
                          for (Row r : rows) out.add(FareEntry.of(r));
                          return out;
                        }));
  }

  public Future<FareEntry> fare(long flightId, Cabin cabin, String provider) {
    return pool.preparedQuery(
            "SELECT "
                + FareEntry.COLUMNS
                + " FROM fares WHERE flight_id = $1 AND cabin = $2 AND provider = $3")
        .execute(Tuple.of(flightId, cabin.code(), provider))
        .compose(
            rows ->
                rows.size() == 0
                    ? Future.failedFuture(
                        new NotFound(
                            "no "
                                + cabin.code()
                                + " fare of "
                                + provider
                                + " on flight "
                                + flightId))
                    : Future.succeededFuture(FareEntry.of(rows.iterator().next())));
  }

  /** What {@link #putFare} did. */
  public record FareWrite(FareEntry fare, boolean created) {}

  /**
   * Creates the fare when absent ({@code ifMatch} must then be null, else {@link VersionMismatch})
   * or, when present, updates it ({@code ifMatch} required: {@link VersionRequired} when null,
   * {@link VersionMismatch} when stale). {@code mustExist} (PATCH) turns absence into {@link
   * NotFound}.
   */
  public Future<FareWrite> putFare(
      long flightId,
      Cabin cabin,
      String provider,
      long amount,
      Integer ifMatch,
      boolean mustExist) {
    return write(
        conn ->
            lockScheduleRow(conn, flightId)
                .compose(
                    flight ->
                        conn.preparedQuery(
                                "SELECT "
                                    + FareEntry.COLUMNS
                                    + " FROM fares WHERE flight_id = $1 AND cabin = $2 AND provider = $3 FOR UPDATE")
                            .execute(Tuple.of(flightId, cabin.code(), provider))
                            .compose(
                                rows -> {
                                  if (rows.size() == 0) {
                                    if (mustExist)
                                      return Future.failedFuture(
                                          new NotFound(
                                              "no "
                                                  + cabin.code()
                                                  + " fare of "
                                                  + provider
                                                  + " on flight "
                                                  + flightId));
                                    if (ifMatch != null)
                                      return Future.failedFuture(
                                          new VersionMismatch(
                                              "the fare does not exist, so If-Match cannot match"));
                                    return conn.preparedQuery(
                                            "INSERT INTO fares (flight_id, cabin, provider, amount) VALUES ($1, $2, $3, $4) RETURNING "
                                                + FareEntry.COLUMNS)
                                        .execute(Tuple.of(flightId, cabin.code(), provider, amount))
                                        .map(
                                            r ->
                                                new FareWrite(
                                                    FareEntry.of(r.iterator().next()), true));
                                  }
                                  FareEntry current = FareEntry.of(rows.iterator().next());
                                  if (ifMatch == null)
                                    return Future.failedFuture(
                                        new VersionRequired(
                                            "If-Match with the current ETag is required"));
                                  if (ifMatch != current.version())
                                    return Future.failedFuture(stale(current.version()));
                                  return conn.preparedQuery(
                                          "UPDATE fares SET amount = $4, version = version + 1 WHERE flight_id = $1 AND cabin = $2 AND provider = $3 RETURNING "
                                              + FareEntry.COLUMNS)
                                      .execute(Tuple.of(flightId, cabin.code(), provider, amount))
                                      .map(
                                          r ->
                                              new FareWrite(
                                                  FareEntry.of(r.iterator().next()), false));
                                })
                            .compose(
                                w ->
                                    event(
                                            conn,
                                            flight,
                                            w.created() ? "fare.created" : "fare.updated",
                                            Set.of(flight),
                                            new JsonObject()
                                                .put("cabin", cabin.code())
                                                .put("provider", provider)
                                                .put("amount", amount))
                                        .map(w))));
  }

  public Future<Void> deleteFare(long flightId, Cabin cabin, String provider, int ifMatch) {
    return write(
        conn ->
            lockScheduleRow(conn, flightId)
                .compose(
                    flight ->
                        conn.preparedQuery(
                                "SELECT "
                                    + FareEntry.COLUMNS
                                    + " FROM fares WHERE flight_id = $1 AND cabin = $2 AND provider = $3 FOR UPDATE")
                            .execute(Tuple.of(flightId, cabin.code(), provider))
                            .compose(
                                rows -> {
                                  if (rows.size() == 0)
                                    return Future.failedFuture(
                                        new NotFound(
                                            "no "
                                                + cabin.code()
                                                + " fare of "
                                                + provider
                                                + " on flight "
                                                + flightId));
                                  FareEntry current = FareEntry.of(rows.iterator().next());
                                  if (ifMatch != current.version())
                                    return Future.failedFuture(stale(current.version()));
                                  return conn.preparedQuery(
                                          "DELETE FROM fares WHERE flight_id = $1 AND cabin = $2 AND provider = $3")
                                      .execute(Tuple.of(flightId, cabin.code(), provider));
                                })
                            .compose(
                                r ->
                                    event(
                                        conn,
                                        flight,
                                        "fare.deleted",
                                        Set.of(flight),
                                        new JsonObject()
                                            .put("cabin", cabin.code())
                                            .put("provider", provider)))));
  }

  private Future<Schedule> lockScheduleRow(SqlConnection conn, long id) {
    return conn.preparedQuery(
            "SELECT " + Schedule.COLUMNS + " FROM flights WHERE id = $1 FOR UPDATE")
        .execute(Tuple.of(id))
        .compose(
            rows ->
                rows.size() == 0
                    ? Future.failedFuture(new NotFound("no flight " + id))
                    : Future.succeededFuture(Schedule.of(rows.iterator().next())));
  }

  private Future<Schedule> lockSchedule(SqlConnection conn, long id, int ifMatch) {
    return lockScheduleRow(conn, id)
        .compose(
            s ->
                s.version() == ifMatch
                    ? Future.succeededFuture(s)
                    : Future.failedFuture(stale(s.version())));
  }

  private static VersionMismatch stale(int current) {
    return new VersionMismatch("If-Match does not match the current version \"" + current + "\"");
  }

  private Tuple scheduleTuple(Schedule s) {
    int depUtc = s.depLocal() - ref.airports().get(s.from()).utcOffsetMinutes();
    return Tuple.tuple(
        List.of(
            s.airline(),
            s.number(),
            s.from(),
            s.to(),
            (short) s.depLocal(),
            (short) s.duration(),
            (short) depUtc,
            (short) (depUtc + s.duration()),
            (short) s.days(),
            s.distanceKm()));
  }

  private Future<Void> event(
      SqlConnection conn, Schedule flight, String change, Set<Schedule> affected) {
    return event(conn, flight, change, affected, new JsonObject());
  }

  private Future<Void> event(
      SqlConnection conn,
      Schedule flight,
      String change,
      Set<Schedule> affected,
      JsonObject extra) {
    Set<String> tags = new TreeSet<>();
    List<String> from = new ArrayList<>(affected.size()), to = new ArrayList<>(affected.size());
    for (Schedule s : affected) {
      tags.add(CacheTag.route(s.from(), s.to()).value());
      tags.add(CacheTag.flights(s.from(), s.to()).value());
      from.add(s.from());
      to.add(s.to());
    }
    JsonObject payload =
        new JsonObject()
            .put("change", change)
            .put("flightId", flight.id())
            .put("flight", flight.flight())
            .put("from", flight.from())
            .put("to", flight.to())
            .mergeIn(extra);
    // The change log first: its version row stays locked until commit, so change-log versions
    // become visible in commit order without gaps (V7__flight_changes.sql, FlightReadModel), and it
    // orders concurrent admin writes from here on: of two writes to adjacent legs (X-Y and Y-Z),
    // the later one's CONNECTING query (a new snapshot per statement, READ COMMITTED) sees the
    // earlier one's schedule, so one of the two events names flights:X-Z.
    return FlightReadModel.flightChanged(conn, flight.id())
        .compose(
            v ->
                conn.preparedQuery(CONNECTING)
                    .execute(
                        Tuple.tuple()
                            .addArrayOfString(from.toArray(String[]::new))
                            .addArrayOfString(to.toArray(String[]::new))))
        .compose(
            rows -> {
              for (Row r : rows) tags.add(CacheTag.flights(r.getString(0), r.getString(1)).value());
              return Outbox.append(conn, DomainEvent.of(EVENT, List.copyOf(tags), payload));
            });
  }

  /** A unique (airline, number) violation is a {@link Conflict}, not a failure. */
  private static <T> Future<T> conflict(Throwable e) {
    if (e instanceof PgException pg && "23505".equals(pg.getSqlState())) {
      return Future.failedFuture(
          new Conflict("a flight with this airline and number already exists"));
    }
    return Future.failedFuture(e);
  }
}
