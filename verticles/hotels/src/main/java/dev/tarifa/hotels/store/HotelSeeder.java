package dev.tarifa.hotels.store;

import dev.tarifa.hotels.domain.HotelCatalogue;
import dev.tarifa.hotels.domain.Hotel;
import dev.tarifa.hotels.domain.Provider;
import dev.tarifa.hotels.domain.Rate;
import dev.tarifa.hotels.domain.RoomType;
import dev.tarifa.shared.catalogue.OpenFlights.Airport;
import dev.tarifa.shared.db.Postgres;
import dev.tarifa.shared.pricing.CatalogueSize;
import dev.tarifa.shared.pricing.Destinations.City;
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
public final class HotelSeeder {
  private static final Logger log = LoggerFactory.getLogger(HotelSeeder.class);
  private static final long LOCK_KEY = 0x407E15_5EEDL;

  private HotelSeeder() {}

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
        HotelCatalogue cat = HotelCatalogue.generate(size, seed);
        copy(c, cat);
        try (Statement s = c.createStatement()) {
          s.execute("SELECT setval(pg_get_serial_sequence('hotels', 'id'), (SELECT max(id) FROM hotels))");
          s.execute("SELECT setval(pg_get_serial_sequence('room_types', 'id'), (SELECT max(id) FROM room_types))");
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO catalogue_meta (id, seed, size, hotels) VALUES (1, ?, ?, ?)")) {
          ps.setLong(1, seed);
          ps.setString(2, size.name().toLowerCase());
          ps.setInt(3, cat.hotels().size());
          ps.executeUpdate();
        }
        c.commit();
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
          s.execute("ANALYZE");
        }
        log.info("hotels catalogue seeded: {} cities, {} hotels, {} room types, {} rates in {} ms",
          cat.cities().size(), cat.hotels().size(), cat.roomTypes().size(), cat.rates().size(),
          (System.nanoTime() - start) / 1_000_000);
        return true;
      }
    });
  }

  private static void copy(Connection c, HotelCatalogue cat) throws SQLException, java.io.IOException {
    CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
    StringBuilder sb = new StringBuilder();
    for (City city : cat.cities()) {
      row(sb, q(city.key()), q(city.name()), q(city.country()), q(city.countryCode()), city.rank());
    }
    copyIn(copy, "cities (city_key, name, country, country_code, rank)", sb);
    for (City city : cat.cities()) for (Airport a : city.airports()) row(sb, q(a.iata()), q(city.key()));
    copyIn(copy, "city_airports (iata, city_key)", sb);
    for (Provider p : Provider.ALL) row(sb, q(p.code()), q(p.name()));
    copyIn(copy, "providers (code, name)", sb);
    for (Hotel h : cat.hotels()) {
      row(sb, h.id(), q(h.cityKey()), q(h.name()), h.stars(), q(h.district()), q(h.address()), h.latitude(), h.longitude());
    }
    copyIn(copy, "hotels (id, city_key, name, stars, district, address, latitude, longitude)", sb);
    for (RoomType r : cat.roomTypes()) row(sb, r.id(), r.hotelId(), q(r.code()), r.maxOccupancy());
    copyIn(copy, "room_types (id, hotel_id, code, max_occupancy)", sb);
    for (Rate r : cat.rates()) row(sb, r.roomTypeId(), q(r.providerCode()), r.baseNightly().amount(), q(r.baseNightly().currency()));
    copyIn(copy, "rates (room_type_id, provider_code, base_nightly, currency)", sb);
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
