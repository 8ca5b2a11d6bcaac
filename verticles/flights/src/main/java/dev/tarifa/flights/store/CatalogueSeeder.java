package dev.tarifa.flights.store;

import dev.tarifa.flights.domain.Catalogue;
import dev.tarifa.flights.domain.CatalogueGenerator;
import dev.tarifa.flights.domain.Provider;
import dev.tarifa.shared.catalogue.OpenFlights;
import dev.tarifa.shared.db.Postgres;
import dev.tarifa.shared.pricing.CatalogueSize;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.function.BiConsumer;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the generated catalogue with {@code COPY ... FROM STDIN} over JDBC. Blocking: call it on a
 * worker thread. Idempotent: when {@code catalogue_meta} already records the same seed, size and
 * generator version, nothing is done; otherwise the catalogue tables are emptied and loaded again,
 * in one transaction under an advisory lock (so two starting instances do not seed twice, and
 * readers never see half a catalogue).
 */
public final class CatalogueSeeder {
  private static final Logger log = LoggerFactory.getLogger(CatalogueSeeder.class);
  private static final long LOCK_KEY = 0x7461726966614cL; // "tarifaL"

  /** What a call did. */
  public record Outcome(boolean seeded, int flights, int fares, long millis) {}

  private CatalogueSeeder() {}

  public static Outcome seed(URI pgUrl, long seed, CatalogueSize size) throws SQLException {
    long start = System.nanoTime();
    try (Connection c = Postgres.jdbc(pgUrl).connect()) {
      c.setAutoCommit(false);
      try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
        lock.setLong(1, LOCK_KEY);
        lock.execute();
      }
      try (PreparedStatement q =
              c.prepareStatement(
                  "SELECT seed, size, generator_version, flights, fares FROM catalogue_meta");
          ResultSet rs = q.executeQuery()) {
        if (rs.next()
            && rs.getLong(1) == seed
            && rs.getString(2).equals(size.name().toLowerCase())
            && rs.getInt(3) == CatalogueGenerator.VERSION) {
          c.rollback();
          return new Outcome(
              false, rs.getInt(4), rs.getInt(5), (System.nanoTime() - start) / 1_000_000);
        }
      }
      Catalogue cat = CatalogueGenerator.generate(OpenFlights.load(), seed, size);
      long generated = System.nanoTime();
      try (Statement s = c.createStatement()) {
        s.execute("TRUNCATE fares, flights, providers, airlines, airports, catalogue_meta");
      }
      CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
      OpenFlights network = OpenFlights.load();
      copyRows(
          copy,
          "airports (iata, name, city, country, country_code, latitude, longitude, utc_offset_min, tz, route_count)",
          cat.airports(),
          (a, row) ->
              row.add(a.iata())
                  .add(a.name())
                  .add(a.city())
                  .add(a.country())
                  .add(a.countryCode())
                  .add(a.latitude())
                  .add(a.longitude())
                  .add(CatalogueGenerator.offsetMinutes(a))
                  .add(a.tz())
                  .add(network.routeCount(a.iata())));
      copyRows(
          copy,
          "airlines (iata, name, country)",
          cat.airlines(),
          (a, row) -> row.add(a.iata()).add(a.name()).add(a.country()));
      copyRows(
          copy,
          "providers (code, name)",
          cat.providers(),
          (Provider p, Row row) -> row.add(p.code()).add(p.name()));
      copyRows(
          copy,
          "flights (id, airline, number, origin, destination, dep_local, duration, dep_utc, arr_utc, days, distance_km)",
          cat.flights(),
          (f, row) ->
              row.add(f.id())
                  .add(f.airline())
                  .add(f.number())
                  .add(f.origin())
                  .add(f.destination())
                  .add(f.depLocal())
                  .add(f.duration())
                  .add(f.depUtc())
                  .add(f.arrUtc())
                  .add(f.days())
                  .add(f.distanceKm()));
      copyRows(
          copy,
          "fares (flight_id, cabin, provider, amount)",
          cat.fares(),
          (f, row) ->
              row.add(f.flightId()).add(f.cabin().code()).add(f.provider()).add(f.amount()));
      try (Statement s = c.createStatement()) {
        // COPY with explicit ids does not move the identity sequence; admin inserts must continue
        // after them.
        s.execute(
            "SELECT setval(pg_get_serial_sequence('flights', 'id'), (SELECT coalesce(max(id), 0) + 1 FROM flights), false)");
      }
      try (PreparedStatement meta =
          c.prepareStatement(
              "INSERT INTO catalogue_meta (seed, size, generator_version, flights, fares) VALUES (?, ?, ?, ?, ?)")) {
        meta.setLong(1, seed);
        meta.setString(2, size.name().toLowerCase());
        meta.setInt(3, CatalogueGenerator.VERSION);
        meta.setInt(4, cat.flights().size());
        meta.setInt(5, cat.fares().size());
        meta.executeUpdate();
      }
      c.commit();
      c.setAutoCommit(true);
      try (Statement s = c.createStatement()) {
        // VACUUM sets the visibility map, so the fares lookups are index-only scans from the start.
        s.execute("VACUUM ANALYZE airports, airlines, providers, flights, fares");
      }
      long millis = (System.nanoTime() - start) / 1_000_000;
      log.info(
          "flights catalogue seeded ({} size, seed {}): {} flights, {} fares in {} ms (generation {} ms)",
          size.name().toLowerCase(),
          seed,
          cat.flights().size(),
          cat.fares().size(),
          millis,
          (generated - start) / 1_000_000);
      return new Outcome(true, cat.flights().size(), cat.fares().size(), millis);
    }
  }

  /** One row of COPY text format: tab-separated, backslash-escaped. */
  static final class Row {
    private final StringBuilder sb;
    private boolean first = true;

    Row(StringBuilder sb) {
      this.sb = sb;
    }

    Row add(Object value) {
      if (!first) sb.append('\t');
      first = false;
      if (value == null) {
        sb.append("\\N");
        return this;
      }
      String s = value.toString();
      for (int i = 0; i < s.length(); i++) {
        char ch = s.charAt(i);
        switch (ch) {
          case '\\' -> sb.append("\\\\");
          case '\t' -> sb.append("\\t");
          case '\n' -> sb.append("\\n");
          case '\r' -> sb.append("\\r");
          default -> sb.append(ch);
        }
      }
      return this;
    }
  }

  private static <T> void copyRows(
      CopyManager copy, String table, List<T> rows, BiConsumer<T, Row> writer) throws SQLException {
    CopyIn in = copy.copyIn("COPY " + table + " FROM STDIN");
    try {
      StringBuilder sb = new StringBuilder(1 << 17);
      for (T t : rows) {
        writer.accept(t, new Row(sb));
        sb.append('\n');
        if (sb.length() >= 1 << 16) {
          flush(in, sb);
        }
      }
      flush(in, sb);
      in.endCopy();
    } finally {
      if (in.isActive()) in.cancelCopy();
    }
  }

  private static void flush(CopyIn in, StringBuilder sb) throws SQLException {
    byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
    in.writeToCopy(bytes, 0, bytes.length);
    sb.setLength(0);
  }
}
