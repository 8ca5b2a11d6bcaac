package dev.tarifa.cars.store;

import dev.tarifa.cars.domain.CarCatalogue;
import dev.tarifa.cars.domain.CarClass;
import dev.tarifa.cars.domain.CarRate;
import dev.tarifa.cars.domain.Station;
import dev.tarifa.cars.domain.Supplier;
import dev.tarifa.shared.db.Postgres;
import dev.tarifa.shared.pricing.CatalogueSize;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.StringReader;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Loads the generated catalogue with COPY in one transaction, on a worker thread. Idempotent: the
 * {@code catalogue_meta} row is written in the same transaction, and an advisory lock makes concurrent starters
 * wait for each other, so the catalogue is loaded exactly once per database.
 */
public final class CarSeeder {
  private static final Logger log = LoggerFactory.getLogger(CarSeeder.class);
  private static final long LOCK_KEY = 0xCA125_5EEDL;

  private CarSeeder() {}

  /** Seeds unless already seeded; true when this call loaded the catalogue. */
  public static Future<Boolean> seed(Vertx vertx, URI url, CatalogueSize size, long seed) {
    return vertx.executeBlocking(() -> {
      PgConnectOptions o = Postgres.connectOptions(url);
      String jdbc = "jdbc:postgresql://" + o.getHost() + ":" + o.getPort() + "/" + o.getDatabase();
      try (Connection c = DriverManager.getConnection(jdbc, o.getUser(), o.getPassword())) {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
          s.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
          try (ResultSet rs = s.executeQuery("SELECT 1 FROM catalogue_meta")) {
            if (rs.next()) {
              c.commit();
              return false;
            }
          }
        }
        long start = System.nanoTime();
        CarCatalogue cat = CarCatalogue.generate(size, seed);
        copy(c, cat);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO catalogue_meta (id, seed, size, stations) VALUES (1, ?, ?, ?)")) {
          ps.setLong(1, seed);
          ps.setString(2, size.name().toLowerCase());
          ps.setInt(3, cat.stations().size());
          ps.executeUpdate();
        }
        c.commit();
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
          s.execute("ANALYZE");
        }
        log.info("cars catalogue seeded: {} stations, {} station classes, {} rates in {} ms",
          cat.stations().size(), cat.classes().size(), cat.rates().size(),
          (System.nanoTime() - start) / 1_000_000);
        return true;
      }
    });
  }

  private static void copy(Connection c, CarCatalogue cat) throws SQLException, java.io.IOException {
    CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
    StringBuilder sb = new StringBuilder();
    for (Station st : cat.stations()) {
      row(sb, q(st.iata()), q(st.name()), q(st.cityKey()), q(st.city()), q(st.country()), st.latitude(), st.longitude());
    }
    copyIn(copy, "stations (iata, name, city_key, city, country, latitude, longitude)", sb);
    for (CarClass cc : CarClass.ALL) row(sb, q(cc.code()), q(cc.name()), cc.seats(), cc.doors(), q(cc.transmission()), cc.order());
    copyIn(copy, "car_classes (code, name, seats, doors, transmission, sort_order)", sb);
    for (Supplier s : Supplier.ALL) row(sb, q(s.code()), q(s.name()));
    copyIn(copy, "suppliers (code, name)", sb);
    for (CarCatalogue.StationClass sc : cat.classes()) row(sb, q(sc.stationIata()), q(sc.classCode()));
    copyIn(copy, "station_classes (station_iata, class_code)", sb);
    for (CarRate r : cat.rates()) {
      row(sb, q(r.stationIata()), q(r.classCode()), q(r.supplierCode()), r.baseDaily().amount(), q(r.baseDaily().currency()));
    }
    copyIn(copy, "car_rates (station_iata, class_code, supplier_code, base_daily, currency)", sb);
  }

  private static void copyIn(CopyManager copy, String table, StringBuilder sb) throws SQLException, java.io.IOException {
    copy.copyIn("COPY " + table + " FROM STDIN WITH (FORMAT csv)", new StringReader(sb.toString()));
    sb.setLength(0);
  }

  /** A CSV-quoted string value (quotes doubled). */
  private static String q(String s) {
    return '"' + s.replace("\"", "\"\"") + '"';
  }

  private static void row(StringBuilder sb, Object... values) {
    for (int i = 0; i < values.length; i++) {
      if (i > 0) sb.append(',');
      sb.append(values[i]);
    }
    sb.append('\n');
  }
}
