package dev.tarifa.flights.store;

import dev.tarifa.flights.domain.Cabin;
import dev.tarifa.flights.domain.Itineraries.FareRow;
import dev.tarifa.flights.domain.Itineraries.LegRow;
import dev.tarifa.flights.domain.SearchQuery;
import dev.tarifa.shared.db.Postgres;
import dev.tarifa.shared.events.RatingsConsumer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The search side of the catalogue held in memory: every schedule with its fares, indexed by origin
 * and destination, so a search answers its candidates and fares without a database round trip (the
 * two SQL queries of {@link FlightStore} cost 5–45 ms of PostgreSQL CPU per search; here the same
 * answer is microseconds of Java).
 *
 * <p>PostgreSQL stays the system of record. The model is loaded from it at start-up and kept
 * current from the change log {@code flight_changes}, which {@link AdminStore} appends to in every
 * write transaction under a gap-free catalogue version (see {@code V7__flight_changes.sql}): every
 * {@value #POLL_MS} ms the model reads the changes past the version it has applied and reloads
 * those flights and their fares. A write made through this instance waits for {@link #refresh}
 * before it answers, so its own searches see it at once; other replicas see it within one poll.
 *
 * <p>One model per Vert.x instance and database ({@link #acquire} / {@link #release}), shared by
 * the HTTP verticles: it is mutated only on its own context, and readers on other event loops see
 * per-origin maps and per-route arrays that are replaced, never changed in place.
 */
public final class FlightReadModel {
  private static final Logger log = LoggerFactory.getLogger(FlightReadModel.class);

  /**
   * Change-log poll period: the bound on how stale another replica's write can be (plus one
   * reload).
   */
  public static final long POLL_MS = 200;

  /**
   * Change-log rows older than this are deleted (a replica down longer reloads everything when it
   * starts).
   */
  static final String RETENTION = "1 day";

  private static final long RETENTION_EVERY_MS = 10 * 60_000;
  private static final int LOAD_CHUNK = 20_000;

  /** The committed catalogue version (searches compare it with {@link #version()}). */
  public static final String VERSION = "SELECT version FROM flight_catalogue_version";

  private static final String CHANGE =
      """
    WITH v AS (UPDATE flight_catalogue_version SET version = version + 1 RETURNING version)
    INSERT INTO flight_changes (version, flight_id, airline) SELECT version, $1::bigint, $2::text FROM v""";
  private static final String FLIGHT_COLUMNS =
      "id, airline, number, origin, destination, dep_utc, arr_utc, days";
  private static final String FARE_COLUMNS = "flight_id, cabin, provider, amount";
  private static final Flight[] NO_FLIGHTS = new Flight[0];
  private static final Fares NO_FARES = new Fares(new String[0], List.of());

  /** A schedule as searches use it; {@code fares} by {@link Cabin#ordinal()}, providers sorted. */
  record Flight(
      long id,
      String airline,
      int number,
      String origin,
      String destination,
      int depUtc,
      int arrUtc,
      int days,
      Fares[] fares) {}

  /**
   * The providers selling a flight in one cabin: their codes sorted, and their fares in the same
   * order as the list a search takes (made once here, not on every search).
   */
  record Fares(String[] providers, List<FareRow> rows) {
    boolean sharesProviderWith(Fares other) {
      int i = 0, j = 0;
      while (i < providers.length && j < other.providers.length) {
        int c = providers[i].compareTo(other.providers[j]);
        if (c == 0) return true;
        if (c < 0) i++;
        else j++;
      }
      return false;
    }
  }

  private final ConcurrentHashMap<Long, Flight> byId = new ConcurrentHashMap<>();

  /**
   * origin -> destination -> flights; the inner maps and arrays are immutable and replaced on
   * change.
   */
  private final ConcurrentHashMap<String, Map<String, Flight[]>> byOrigin =
      new ConcurrentHashMap<>();

  /** destination -> origin -> flights: the mirror of {@link #byOrigin}, maintained with it. */
  private final ConcurrentHashMap<String, Map<String, Flight[]>> byDestination =
      new ConcurrentHashMap<>();

  /** Airline IATA code -> {count, sum} of its visible reviews. */
  private final ConcurrentHashMap<String, long[]> ratings = new ConcurrentHashMap<>();

  private final Map<String, String> interned = new HashMap<>();
  private volatile long version;

  // Confined to the model's context.
  private Pool pool;
  private Context context;
  private Future<Void> tail = Future.succeededFuture();
  private boolean polling;
  private long lastRetention;

  private FlightReadModel() {}

  /** The version of the change log this model has applied. */
  public long version() {
    return version;
  }

  /** Number of flights held. */
  public int size() {
    return byId.size();
  }

  // ---- search ----

  /**
   * The same candidates as {@link FlightStore#candidates} computes in SQL: nonstop flights
   * operating on the date with a fare in the cabin, then (when allowed) the {@link
   * FlightStore#CONNECTIONS_SCANNED} shortest one-stop connections meeting the layover rule, of
   * which the {@link FlightStore#MAX_CONNECTIONS} shortest with a provider selling both legs.
   */
  public List<List<LegRow>> candidates(SearchQuery q) {
    int day = FlightStore.dayBit(q.date()), nextDay = FlightStore.dayBit(q.date().plusDays(1));
    int cabin = q.cabin().ordinal();
    Map<String, Flight[]> departures = byOrigin.getOrDefault(q.from(), Map.of());
    List<List<LegRow>> out = new ArrayList<>();
    for (Flight f : departures.getOrDefault(q.to(), NO_FLIGHTS)) {
      if ((f.days() & day) != 0 && f.fares()[cabin].providers().length > 0) {
        out.add(List.of(leg(f, q.from(), q.to(), 0)));
      }
    }
    if (q.maxStops() == 0) return out;
    // Only the CONNECTIONS_SCANNED first connections in ORDER are ever looked at: keep just those
    // in
    // a bounded max-heap rather than collecting and sorting every connection through every hub (the
    // largest frame of a miss in JFR; ORDER is total, so the result is the same as sorting all).
    PriorityQueue<Connection> best =
        new PriorityQueue<>(FlightStore.CONNECTIONS_SCANNED + 1, Connection.ORDER.reversed());
    // The hubs are the airports both flown to from the origin and flying to the destination: walk
    // the smaller of the two sides and look each up in the other (a hub origin has hundreds of
    // destinations, a small destination a few origins).
    Map<String, Flight[]> arrivals = byDestination.getOrDefault(q.to(), Map.of());
    boolean outbound = departures.size() <= arrivals.size();
    Map<String, Flight[]> walked = outbound ? departures : arrivals;
    Map<String, Flight[]> probed = outbound ? arrivals : departures;
    for (Map.Entry<String, Flight[]> e : walked.entrySet()) {
      String hub = e.getKey();
      if (hub.equals(q.to()) || hub.equals(q.from())) continue;
      Flight[] other = probed.get(hub);
      if (other == null) continue;
      Flight[] firsts = outbound ? e.getValue() : other;
      Flight[] seconds = outbound ? other : e.getValue();
      for (Flight f1 : firsts) {
        if ((f1.days() & day) == 0) continue;
        for (Flight f2 : seconds) {
          for (int k = 0; k <= 1; k++) {
            if ((f2.days() & (k == 0 ? day : nextDay)) == 0) continue;
            int layover = f2.depUtc() + 1440 * k - f1.arrUtc();
            if (layover < FlightStore.MIN_LAYOVER || layover > FlightStore.MAX_LAYOVER) continue;
            int duration = f2.arrUtc() + 1440 * k - f1.depUtc();
            if (best.size() == FlightStore.CONNECTIONS_SCANNED) {
              if (!Connection.before(duration, f1, f2, best.peek())) continue;
              best.poll();
            }
            best.add(new Connection(f1, f2, k, duration));
          }
        }
      }
    }
    List<Connection> connections = new ArrayList<>(best);
    connections.sort(Connection.ORDER);
    int kept = 0;
    for (int i = 0; i < connections.size() && kept < FlightStore.MAX_CONNECTIONS; i++) {
      Connection c = connections.get(i);
      if (!c.first().fares()[cabin].sharesProviderWith(c.second().fares()[cabin])) continue;
      String hub = c.first().destination();
      out.add(
          List.of(leg(c.first(), q.from(), hub, 0), leg(c.second(), hub, q.to(), c.dayOffset())));
      kept++;
    }
    return out;
  }

  /**
   * The fares in {@code cabin} of the candidates' flights, by flight id (as {@link
   * FlightStore#fares}).
   */
  public Map<Long, List<FareRow>> fares(List<List<LegRow>> candidates, Cabin cabin) {
    Set<Long> ids = new LinkedHashSet<>();
    for (List<LegRow> c : candidates) for (LegRow l : c) ids.add(l.flightId());
    Map<Long, List<FareRow>> m = new HashMap<>();
    for (Long id : ids) {
      Flight f = byId.get(id);
      if (f == null) continue;
      Fares fares = f.fares()[cabin.ordinal()];
      if (fares.providers().length == 0) continue;
      m.put(id, fares.rows());
    }
    return m;
  }

  /** As {@link FlightStore#ratings} reads them from {@code airline_ratings}. */
  public Map<String, io.vertx.core.json.JsonObject> ratings(List<String> airlines) {
    Map<String, io.vertx.core.json.JsonObject> out = new HashMap<>();
    for (String a : airlines) {
      long[] r = ratings.get(a);
      out.put(a, r == null ? RatingsConsumer.rating(0, 0) : RatingsConsumer.rating(r[0], r[1]));
    }
    return out;
  }

  // ---- the change log, written in the writers' transactions ----

  /**
   * Records in {@code conn}'s transaction that flight {@code flightId} (schedule or fares) changed.
   * Run it after the transaction's writes and keep what follows short: it holds the catalogue
   * version row until commit, so writers queue on it (AdminStore reads a change's connecting pairs
   * after it on purpose: behind that queue, it sees every earlier write).
   */
  public static Future<Void> flightChanged(io.vertx.sqlclient.SqlConnection conn, long flightId) {
    return conn.preparedQuery(CHANGE)
        .execute(Tuple.tuple().addValue(flightId).addValue(null))
        .mapEmpty();
  }

  /**
   * Records in {@code conn}'s transaction that the rating of {@code airline} changed (see {@link
   * #flightChanged}).
   */
  public static Future<Void> ratingChanged(io.vertx.sqlclient.SqlConnection conn, String airline) {
    return conn.preparedQuery(CHANGE)
        .execute(Tuple.tuple().addValue(null).addValue(airline))
        .mapEmpty();
  }

  private record Connection(Flight first, Flight second, int dayOffset, int duration) {
    static final Comparator<Connection> ORDER =
        Comparator.comparingInt(Connection::duration)
            .thenComparingLong(c -> c.first().id())
            .thenComparingLong(c -> c.second().id());

    /** Whether a connection of these flights and duration comes before {@code c} in ORDER. */
    static boolean before(int duration, Flight first, Flight second, Connection c) {
      if (duration != c.duration()) return duration < c.duration();
      if (first.id() != c.first().id()) return first.id() < c.first().id();
      return second.id() < c.second().id();
    }
  }

  private static LegRow leg(Flight f, String from, String to, int dayOffset) {
    return new LegRow(
        f.id(),
        f.airline(),
        f.number(),
        from,
        to,
        f.depUtc() + 1440 * dayOffset,
        f.arrUtc() + 1440 * dayOffset);
  }

  // ---- sharing per Vert.x instance and database ----

  private record Key(Vertx vertx, URI url) {}

  private static final class Shared {
    final Future<String> deployment;
    final FlightReadModel model;
    int users;

    Shared(Future<String> deployment, FlightReadModel model) {
      this.deployment = deployment;
      this.model = model;
    }
  }

  private static final Map<Key, Shared> SHARED = new HashMap<>();

  /**
   * The model of {@code url} in this Vert.x instance, loaded (the first caller deploys its loader
   * and waits for the full load; later callers share it). Each successful acquire is paired with
   * one {@link #release}.
   */
  public static Future<FlightReadModel> acquire(Vertx vertx, URI url) {
    Key key = new Key(vertx, url);
    Shared shared;
    synchronized (SHARED) {
      shared = SHARED.get(key);
      if (shared == null) {
        FlightReadModel model = new FlightReadModel();
        shared = new Shared(vertx.deployVerticle(model.new Loader(url)), model);
        SHARED.put(key, shared);
      }
      shared.users++;
    }
    Shared s = shared;
    return s.deployment
        .map(id -> s.model)
        .recover(
            e -> {
              synchronized (SHARED) {
                if (--s.users == 0 && SHARED.get(key) == s) SHARED.remove(key);
              }
              return Future.failedFuture(e);
            });
  }

  /** Gives back one {@link #acquire}; the last one stops polling and closes the model's pool. */
  public static Future<Void> release(Vertx vertx, URI url) {
    Key key = new Key(vertx, url);
    Shared s;
    synchronized (SHARED) {
      s = SHARED.get(key);
      if (s == null || --s.users > 0) return Future.succeededFuture();
      SHARED.remove(key);
    }
    return s.deployment.compose(vertx::undeploy).recover(e -> Future.succeededFuture());
  }

  /** Owns the model's pool, context and poll timer (so they outlive any one HTTP verticle). */
  private final class Loader extends VerticleBase {
    private final URI url;
    private long timer = -1;

    Loader(URI url) {
      this.url = url;
    }

    @Override
    public Future<?> start() {
      // One connection: its queries run one refresh at a time anyway, and the shared server's
      // connections are scarce.
      pool = Postgres.pool(vertx, url, 1);
      FlightReadModel.this.context = context;
      long started = System.nanoTime();
      return loadAll()
          .onSuccess(
              v -> {
                log.info(
                    "flights read model loaded: {} flights at catalogue version {} in {} ms",
                    byId.size(),
                    version,
                    (System.nanoTime() - started) / 1_000_000);
                timer =
                    vertx.setPeriodic(
                        POLL_MS,
                        POLL_MS,
                        id -> {
                          if (!polling) refresh();
                        });
              });
    }

    @Override
    public Future<?> stop() {
      if (timer >= 0) vertx.cancelTimer(timer);
      return tail.eventually(() -> pool.close());
    }
  }

  // ---- loading and refreshing ----

  /**
   * Applies every change committed so far: completes once the model holds a version at least as new
   * as the database's when called. Safe from any thread; refreshes run one at a time on the model's
   * context.
   */
  public Future<Void> refresh() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(
        v -> {
          tail = tail.transform(ar -> poll());
          tail.onComplete(done);
        });
    return done.future();
  }

  private Future<Void> poll() {
    polling = true;
    long from = version;
    return pool.preparedQuery(
            "SELECT version, flight_id, airline FROM flight_changes WHERE version > $1 ORDER BY version")
        .execute(Tuple.of(from))
        .compose(
            rows -> {
              if (rows.size() == 0) return Future.succeededFuture();
              Set<Long> ids = new LinkedHashSet<>();
              Set<String> airlines = new LinkedHashSet<>();
              long to = from;
              for (Row r : rows) {
                to = Math.max(to, r.getLong(0));
                if (r.getLong(1) != null) ids.add(r.getLong(1));
                else airlines.add(r.getString(2));
              }
              long applied = to;
              return Future.all(
                      ids.isEmpty() ? Future.succeededFuture() : reload(ids),
                      airlines.isEmpty() ? Future.succeededFuture() : loadRatings(airlines))
                  .onSuccess(v -> version = applied)
                  .mapEmpty();
            })
        .compose(v -> retention())
        .onFailure(
            e ->
                log.warn(
                    "flights read model refresh failed (retrying in {} ms): {}",
                    POLL_MS,
                    e.getMessage()))
        .eventually(
            () -> {
              polling = false;
              return Future.succeededFuture();
            });
  }

  private Future<Void> retention() {
    long now = System.currentTimeMillis();
    if (now - lastRetention < RETENTION_EVERY_MS) return Future.succeededFuture();
    lastRetention = now;
    return pool.query("DELETE FROM flight_changes WHERE at < now() - interval '" + RETENTION + "'")
        .execute()
        .mapEmpty();
  }

  /**
   * Re-reads these flights and their fares; a flight no longer in the database leaves the model.
   */
  private Future<Void> reload(Set<Long> ids) {
    Long[] array = ids.toArray(Long[]::new);
    Future<List<Row>> flights =
        pool.preparedQuery("SELECT " + FLIGHT_COLUMNS + " FROM flights WHERE id = ANY($1)")
            .execute(Tuple.of((Object) array))
            .map(FlightReadModel::list);
    Future<Map<Long, Fares[]>> fares =
        pool.preparedQuery("SELECT " + FARE_COLUMNS + " FROM fares WHERE flight_id = ANY($1)")
            .collecting(faresCollector())
            .execute(Tuple.of((Object) array))
            .map(r -> r.value());
    return Future.all(flights, fares)
        .map(
            v -> {
              Map<Long, Flight> fresh = new HashMap<>();
              for (Row r : flights.result()) {
                Flight f = flight(r, fares.result().get(r.getLong(0)));
                fresh.put(f.id(), f);
              }
              for (Long id : ids) put(id, fresh.get(id));
              return null;
            });
  }

  /**
   * The catalogue version first, then everything: a change committed during the load is applied
   * again after it.
   */
  private Future<Void> loadAll() {
    return pool.query("SELECT version FROM flight_catalogue_version")
        .execute()
        .compose(
            rows -> {
              version = rows.iterator().next().getLong(0);
              return loadRatings(null);
            })
        .compose(v -> pool.query("SELECT coalesce(max(id), 0) FROM flights").execute())
        .compose(rows -> loadChunk(1, rows.iterator().next().getLong(0)))
        .map(
            v -> {
              // Indexed once at the end: per-flight copy-on-write would copy each origin's map once
              // per flight.
              Map<String, Map<String, List<Flight>>> out = new HashMap<>();
              Map<String, Map<String, List<Flight>>> in = new HashMap<>();
              for (Flight f : byId.values()) {
                out.computeIfAbsent(f.origin(), k -> new HashMap<>())
                    .computeIfAbsent(f.destination(), k -> new ArrayList<>())
                    .add(f);
                in.computeIfAbsent(f.destination(), k -> new HashMap<>())
                    .computeIfAbsent(f.origin(), k -> new ArrayList<>())
                    .add(f);
              }
              index(out, byOrigin);
              index(in, byDestination);
              return null;
            });
  }

  private static void index(
      Map<String, Map<String, List<Flight>>> grouped,
      ConcurrentHashMap<String, Map<String, Flight[]>> index) {
    for (var outer : grouped.entrySet()) {
      Map<String, Flight[]> inner = new HashMap<>();
      for (var e : outer.getValue().entrySet())
        inner.put(e.getKey(), e.getValue().toArray(NO_FLIGHTS));
      index.put(outer.getKey(), Map.copyOf(inner));
    }
  }

  /** The ratings of these airlines (all when null); an airline without a row has no rating. */
  private Future<Void> loadRatings(Set<String> airlines) {
    Future<io.vertx.sqlclient.RowSet<Row>> rows =
        airlines == null
            ? pool.query("SELECT airline, count, sum FROM " + FlightStore.RATINGS).execute()
            : pool.preparedQuery(
                    "SELECT airline, count, sum FROM "
                        + FlightStore.RATINGS
                        + " WHERE airline = ANY($1)")
                .execute(Tuple.of((Object) airlines.toArray(String[]::new)));
    return rows.map(
        rs -> {
          Set<String> gone = airlines == null ? Set.of() : new java.util.HashSet<>(airlines);
          for (Row r : rs) {
            ratings.put(r.getString(0), new long[] {r.getLong(1), r.getLong(2)});
            gone.remove(r.getString(0));
          }
          gone.forEach(ratings::remove);
          return null;
        });
  }

  private Future<Void> loadChunk(long fromId, long maxId) {
    if (fromId > maxId) return Future.succeededFuture();
    long toId = fromId + LOAD_CHUNK - 1;
    Tuple range = Tuple.of(fromId, toId);
    Future<List<Row>> flights =
        pool.preparedQuery("SELECT " + FLIGHT_COLUMNS + " FROM flights WHERE id BETWEEN $1 AND $2")
            .execute(range)
            .map(FlightReadModel::list);
    Future<Map<Long, Fares[]>> fares =
        pool.preparedQuery(
                "SELECT " + FARE_COLUMNS + " FROM fares WHERE flight_id BETWEEN $1 AND $2")
            .collecting(faresCollector())
            .execute(range)
            .map(r -> r.value());
    return Future.all(flights, fares)
        .map(
            v -> {
              for (Row r : flights.result())
                byId.put(r.getLong(0), flight(r, fares.result().get(r.getLong(0))));
              return null;
            })
        .compose(v -> loadChunk(toId + 1, maxId));
  }

  private static List<Row> list(Iterable<Row> rows) {
    List<Row> out = new ArrayList<>();
    rows.forEach(out::add);
    return out;
  }

  private Flight flight(Row r, Fares[] fares) {
    return new Flight(
        r.getLong(0),
        intern(r.getString(1)),
        r.getInteger(2),
        intern(r.getString(3)),
        intern(r.getString(4)),
        r.getInteger(5),
        r.getInteger(6),
        r.getInteger(7),
        fares == null ? noFares() : fares);
  }

  private static Fares[] noFares() {
    Fares[] none = new Fares[Cabin.values().length];
    Arrays.fill(none, NO_FARES);
    return none;
  }

  // Runs on the model's context only (loading and reloading), so a plain map is enough.
  private String intern(String s) {
    return interned.computeIfAbsent(s, k -> k);
  }

  /** Fare rows grouped by flight and cabin into sorted {@link Fares}. */
  private Collector<Row, ?, Map<Long, Fares[]>> faresCollector() {
    record Acc(Map<Long, List<List<Object[]>>> rows) {}
    return Collector.of(
        () -> new Acc(new HashMap<>()),
        (acc, r) -> {
          List<List<Object[]>> byCabin =
              acc.rows()
                  .computeIfAbsent(
                      r.getLong(0),
                      k -> {
                        List<List<Object[]>> l = new ArrayList<>();
                        for (int i = 0; i < Cabin.values().length; i++) l.add(new ArrayList<>(4));
                        return l;
                      });
          byCabin
              .get(Cabin.of(r.getString(1)).ordinal())
              .add(new Object[] {intern(r.getString(2)), r.getLong(3)});
        },
        (a, b) -> {
          throw new UnsupportedOperationException("sequential only");
        },
        acc -> {
          Map<Long, Fares[]> out = new HashMap<>(acc.rows().size() * 2);
          for (var e : acc.rows().entrySet()) {
            Fares[] fares = new Fares[Cabin.values().length];
            for (int c = 0; c < fares.length; c++) {
              List<Object[]> l = e.getValue().get(c);
              if (l.isEmpty()) {
                fares[c] = NO_FARES;
                continue;
              }
              l.sort(Comparator.comparing(o -> (String) o[0]));
              String[] providers = new String[l.size()];
              List<FareRow> rows = new ArrayList<>(l.size());
              for (int i = 0; i < providers.length; i++) {
                providers[i] = (String) l.get(i)[0];
                rows.add(new FareRow(providers[i], (Long) l.get(i)[1]));
              }
              fares[c] = new Fares(providers, List.copyOf(rows));
            }
            out.put(e.getKey(), fares);
          }
          return out;
        });
  }

  /** Replaces (or removes, when {@code f} is null) one flight in both indexes. */
  private void put(long id, Flight f) {
    Flight old = f == null ? byId.remove(id) : byId.put(id, f);
    if (old != null) route(old.origin(), old.destination(), id, null);
    if (f != null) route(f.origin(), f.destination(), id, f);
  }

  private void route(String origin, String destination, long id, Flight f) {
    byOrigin.compute(origin, (o, current) -> replaced(current, destination, id, f));
    byDestination.compute(destination, (d, current) -> replaced(current, origin, id, f));
  }

  /**
   * {@code current} with flight {@code id} under {@code key} replaced by {@code f} (null: none).
   */
  private static Map<String, Flight[]> replaced(
      Map<String, Flight[]> current, String key, long id, Flight f) {
    Map<String, Flight[]> next = current == null ? new HashMap<>() : new HashMap<>(current);
    Flight[] flights = next.getOrDefault(key, NO_FLIGHTS);
    List<Flight> changed = new ArrayList<>(flights.length + 1);
    for (Flight x : flights) if (x.id() != id) changed.add(x);
    if (f != null) changed.add(f);
    if (changed.isEmpty()) next.remove(key);
    else next.put(key, changed.toArray(NO_FLIGHTS));
    return next.isEmpty() ? null : Map.copyOf(next);
  }
}
