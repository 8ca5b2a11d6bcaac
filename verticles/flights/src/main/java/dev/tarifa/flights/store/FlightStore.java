package dev.tarifa.flights.store;

import dev.tarifa.flights.domain.Airline;
import dev.tarifa.flights.domain.Airport;
import dev.tarifa.flights.domain.Itineraries.FareRow;
import dev.tarifa.flights.domain.Itineraries.LegRow;
import dev.tarifa.flights.domain.Provider;
import dev.tarifa.flights.domain.Reference;
import dev.tarifa.flights.domain.SearchQuery;
import dev.tarifa.shared.search.CacheTag;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Read queries of the public API: reference data, search candidates and their fares, airport
 * lookup.
 */
public final class FlightStore {
  /**
   * At most this many one-stop combinations (shortest total duration first) are considered per
   * search.
   */
  public static final int MAX_CONNECTIONS = 120;

  /**
   * Of the connections that pass the layover rule, only this many (shortest first) are checked for
   * a provider selling both legs: bounds the work on hub pairs such as ORD-ATL (1,672 connections;
   * 44 ms -> 27 ms).
   */
  public static final int CONNECTIONS_SCANNED = 3 * MAX_CONNECTIONS;

  public static final int MIN_LAYOVER = 45;
  public static final int MAX_LAYOVER = 6 * 60;

  private static final String NONSTOP =
      """
    SELECT f.id, f.airline, f.number, f.dep_utc, f.arr_utc
    FROM flights f
    WHERE f.origin = $1 AND f.destination = $2 AND (f.days & $3) <> 0
      AND EXISTS (SELECT 1 FROM fares a WHERE a.flight_id = f.id AND a.cabin = $4)""";

  // f2 may leave on the next day (k.d = 1) when the layover rule allows; days masks are checked for
  // the day
  // each leg departs. A connection is kept only if one provider sells both legs in the cabin. The
  // CTE is
  // materialised so the fares check runs only on connections that pass the layover rule (5x fewer
  // on FRA-JFK),
  // and only on the CONNECTIONS_SCANNED shortest of them.
  private static final String ONE_STOP =
      """
    WITH c AS MATERIALIZED (
      SELECT f1.id AS id1, f1.airline AS al1, f1.number AS n1, f1.destination AS hub, f1.dep_utc AS dep1, f1.arr_utc AS arr1,
             f2.id AS id2, f2.airline AS al2, f2.number AS n2, f2.dep_utc + 1440 * k.d AS dep2, f2.arr_utc + 1440 * k.d AS arr2
      FROM flights f1
      JOIN flights f2 ON f2.origin = f1.destination AND f2.destination = $2
      CROSS JOIN (VALUES (0), (1)) AS k(d)
      WHERE f1.origin = $1 AND f1.destination <> $2 AND (f1.days & $3) <> 0
        AND (f2.days & CASE k.d WHEN 0 THEN $3 ELSE $4 END) <> 0
        AND f2.dep_utc + 1440 * k.d - f1.arr_utc BETWEEN $5 AND $6
      ORDER BY f2.arr_utc + 1440 * k.d - f1.dep_utc, f1.id, f2.id
      LIMIT $9)
    SELECT id1, al1, n1, hub, dep1, arr1, id2, al2, n2, dep2, arr2 FROM c
    WHERE EXISTS (SELECT 1 FROM fares a JOIN fares b ON b.flight_id = c.id2 AND b.cabin = $7 AND b.provider = a.provider
                  WHERE a.flight_id = c.id1 AND a.cabin = $7)
    ORDER BY arr2 - dep1, id1, id2
    LIMIT $8""";

  private static final String FARES =
      "SELECT flight_id, provider, amount FROM fares WHERE flight_id = ANY($1) AND cabin = $2";

  private static final String AUTOCOMPLETE =
      "SELECT "
          + Airport.COLUMNS
          + """
     FROM airports
    WHERE iata LIKE $1 OR lower(city) LIKE $2 OR lower(name) LIKE $2
    ORDER BY route_count DESC, iata
    LIMIT 10""";

  private final Pool pool;
  private final FlightReadModel model;

  /** Searches run their candidates and fares queries in SQL. */
  public FlightStore(Pool pool) {
    this(pool, null);
  }

  /** Searches read candidates and fares from {@code model} (no round trip); null: from SQL. */
  public FlightStore(Pool pool, FlightReadModel model) {
    this.pool = pool;
    this.model = model;
  }

  public static final String RATINGS = "airline_ratings";

  /** The ratings ({@code {average, count}}) of these airlines (IATA codes). */
  public Future<java.util.Map<String, io.vertx.core.json.JsonObject>> ratings(
      List<String> airlines) {
    if (model != null) return Future.succeededFuture(model.ratings(airlines));
    return dev.tarifa.shared.events.RatingsConsumer.read(
        pool, RATINGS, "airline", airlines, String.class);
  }

  /**
   * The consumer keeping {@code airline_ratings} from review events ({@code airline:<IATA>}); a
   * change evicts {@code airline:<IATA>}.
   */
  public dev.tarifa.shared.events.RatingsConsumer<String> ratingsConsumer(String queue) {
    return new dev.tarifa.shared.events.RatingsConsumer<>(
        pool,
        queue,
        "airline:",
        RATINGS,
        "airline",
        code -> code.toUpperCase(java.util.Locale.ROOT),
        AdminStore.EVENT,
        (c, code) ->
            FlightReadModel.ratingChanged(c, code)
                .map(v -> List.of(CacheTag.airline(code).value())));
  }

  public Future<Reference> reference() {
    Future<Map<String, Airport>> airports =
        pool.query("SELECT " + Airport.COLUMNS + " FROM airports")
            .execute()
            .map(
                rows -> {
                  Map<String, Airport> m = new HashMap<>();
                  for (Row r : rows) m.put(r.getString(0), Airport.of(r));
                  return m;
                });
    Future<Map<String, Airline>> airlines =
        pool.query("SELECT iata, name, country FROM airlines")
            .execute()
            .map(
                rows -> {
                  Map<String, Airline> m = new HashMap<>();
                  for (Row r : rows)
                    m.put(
                        r.getString(0),
                        new Airline(r.getString(0), r.getString(1), r.getString(2)));
                  return m;
                });
    Future<Map<String, Provider>> providers =
        pool.query("SELECT code, name FROM providers")
            .execute()
            .map(
                rows -> {
                  Map<String, Provider> m = new HashMap<>();
                  for (Row r : rows)
                    m.put(r.getString(0), new Provider(r.getString(0), r.getString(1)));
                  return m;
                });
    return Future.all(airports, airlines, providers)
        .map(v -> new Reference(airports.result(), airlines.result(), providers.result()));
  }

  /** Candidate itineraries (nonstop, and one-stop when allowed), each a list of legs. */
  public Future<List<List<LegRow>>> candidates(SearchQuery q) {
    if (model != null) return current().map(m -> m.candidates(q));
    return candidatesSql(q);
  }

  /**
   * The read model once it holds the database's catalogue version, so a search that starts after a
   * write committed (on any replica) never answers from before it, and a cache filled from it after
   * the write's eviction is never stale.
   *
   * <p>One single-row read serves every search waiting for it. A search may only use a read sent
   * after it started (one sent earlier may predate a write that committed before the search began),
   * so searches arriving while a read is in flight wait for the next, sent as soon as the current
   * one completes: under load one read per round trip instead of one per search, for at most one
   * round trip more of latency.
   */
  private Future<FlightReadModel> current() {
    synchronized (this) {
      if (reading) {
        if (nextRead == null) nextRead = Promise.promise();
        return nextRead.future();
      }
      reading = true;
    }
    return readVersion();
  }

  private Future<FlightReadModel> readVersion() {
    Future<FlightReadModel> read =
        pool.preparedQuery(FlightReadModel.VERSION)
            .execute()
            .compose(
                rows -> {
                  long committed = rows.iterator().next().getLong(0);
                  return committed <= model.version()
                      ? Future.succeededFuture(model)
                      : model.refresh().map(model);
                });
    read.onComplete(
        ar -> {
          Promise<FlightReadModel> waiting;
          synchronized (this) {
            waiting = nextRead;
            nextRead = null;
            if (waiting == null) reading = false;
          }
          if (waiting != null) readVersion().onComplete(waiting);
        });
    return read;
  }

  /** A version read is in flight ({@link #current}); guarded by this. */
  private boolean reading;

  /** The searches that arrived while it was: they share the next read. Guarded by this. */
  private Promise<FlightReadModel> nextRead;

  /** {@link #candidates} in SQL (the read model's reference; also used when there is no model). */
  public Future<List<List<LegRow>>> candidatesSql(SearchQuery q) {
    int day = dayBit(q.date()), nextDay = dayBit(q.date().plusDays(1));
    Future<List<List<LegRow>>> nonstop =
        pool.preparedQuery(NONSTOP)
            .execute(Tuple.of(q.from(), q.to(), day, q.cabin().code()))
            .map(
                rows -> {
                  List<List<LegRow>> out = new ArrayList<>();
                  for (Row r : rows) {
                    out.add(
                        List.of(
                            new LegRow(
                                r.getLong(0),
                                r.getString(1),
                                r.getInteger(2),
                                q.from(),
                                q.to(),
                                r.getInteger(3),
                                r.getInteger(4))));
                  }
                  return out;
                });
    if (q.maxStops() == 0) return nonstop;
    Future<List<List<LegRow>>> oneStop =
        pool.preparedQuery(ONE_STOP)
            .execute(
                Tuple.tuple(
                    List.of(
                        q.from(),
                        q.to(),
                        day,
                        nextDay,
                        MIN_LAYOVER,
                        MAX_LAYOVER,
                        q.cabin().code(),
                        MAX_CONNECTIONS,
                        CONNECTIONS_SCANNED)))
            .map(
                rows -> {
                  List<List<LegRow>> out = new ArrayList<>();
                  for (Row r : rows) {
                    String hub = r.getString(3);
                    out.add(
                        List.of(
                            new LegRow(
                                r.getLong(0),
                                r.getString(1),
                                r.getInteger(2),
                                q.from(),
                                hub,
                                r.getInteger(4),
                                r.getInteger(5)),
                            new LegRow(
                                r.getLong(6),
                                r.getString(7),
                                r.getInteger(8),
                                hub,
                                q.to(),
                                r.getInteger(9),
                                r.getInteger(10))));
                  }
                  return out;
                });
    return Future.all(nonstop, oneStop)
        .map(
            v -> {
              List<List<LegRow>> all = new ArrayList<>(nonstop.result());
              all.addAll(oneStop.result());
              return all;
            });
  }

  /** The stored fares in {@code cabin} of the candidates' flights, by flight id. */
  public Future<Map<Long, List<FareRow>>> fares(List<List<LegRow>> candidates, String cabin) {
    if (model != null)
      return Future.succeededFuture(
          model.fares(candidates, dev.tarifa.flights.domain.Cabin.of(cabin)));
    return faresSql(candidates, cabin);
  }

  /** {@link #fares} in SQL. */
  public Future<Map<Long, List<FareRow>>> faresSql(List<List<LegRow>> candidates, String cabin) {
    Set<Long> ids = new LinkedHashSet<>();
    for (List<LegRow> c : candidates) for (LegRow l : c) ids.add(l.flightId());
    if (ids.isEmpty()) return Future.succeededFuture(Map.of());
    return pool.preparedQuery(FARES)
        .execute(Tuple.of(ids.toArray(Long[]::new), cabin))
        .map(
            rows -> {
              Map<Long, List<FareRow>> m = new HashMap<>();
              for (Row r : rows)
                m.computeIfAbsent(r.getLong(0), k -> new ArrayList<>())
                    .add(new FareRow(r.getString(1), r.getLong(2)));
              return m;
            });
  }

  /**
   * Up to 10 airports whose IATA code, city or name starts with {@code q} (case-insensitive),
   * busiest first.
   */
  public Future<List<Airport>> autocomplete(String q) {
    String prefix = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    return pool.preparedQuery(AUTOCOMPLETE)
        .execute(
            Tuple.of(
                prefix.toUpperCase(java.util.Locale.ROOT) + "%",
                prefix.toLowerCase(java.util.Locale.ROOT) + "%"))
        .map(
            rows -> {
              List<Airport> out = new ArrayList<>();
              for (Row r : rows) out.add(Airport.of(r));
              return out;
            });
  }

  /** Bit of the weekday in the {@code days} column (bit 0 Monday ... bit 6 Sunday). */
  public static int dayBit(java.time.LocalDate date) {
    return 1 << (date.getDayOfWeek().getValue() - 1);
  }
}
