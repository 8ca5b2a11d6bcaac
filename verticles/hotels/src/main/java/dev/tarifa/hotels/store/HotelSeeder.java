package dev.tarifa.hotels.store;

import static dev.tarifa.shared.pricing.CatalogueSeeder.Copy.q;

import dev.tarifa.hotels.domain.Hotel;
import dev.tarifa.hotels.domain.HotelCatalogue;
import dev.tarifa.hotels.domain.Provider;
import dev.tarifa.hotels.domain.Rate;
import dev.tarifa.hotels.domain.RoomType;
import dev.tarifa.shared.catalogue.OpenFlights.Airport;
import dev.tarifa.shared.pricing.CatalogueSeeder;
import dev.tarifa.shared.pricing.CatalogueSize;
import dev.tarifa.shared.pricing.Destinations.City;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.sql.PreparedStatement;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the generated hotels catalogue once per database ({@link CatalogueSeeder}: COPY, one
 * transaction).
 */
public final class HotelSeeder {
  private static final Logger log = LoggerFactory.getLogger(HotelSeeder.class);
  private static final long LOCK_KEY = 0x407E15_5EEDL;

  private HotelSeeder() {}

  /** Seeds unless already seeded; true when this call loaded the catalogue. */
  public static Future<Boolean> seed(Vertx vertx, URI url, CatalogueSize size, long seed) {
    return CatalogueSeeder.seedOnce(
        vertx,
        url,
        LOCK_KEY,
        copy -> {
          long start = System.nanoTime();
          HotelCatalogue cat = HotelCatalogue.generate(size, seed);
          for (City city : cat.cities())
            copy.row(
                q(city.key()),
                q(city.name()),
                q(city.country()),
                q(city.countryCode()),
                city.rank());
          copy.into("cities (city_key, name, country, country_code, rank)");
          for (City city : cat.cities())
            for (Airport a : city.airports()) copy.row(q(a.iata()), q(city.key()));
          copy.into("city_airports (iata, city_key)");
          for (Provider p : Provider.ALL) copy.row(q(p.code()), q(p.name()));
          copy.into("providers (code, name)");
          for (Hotel h : cat.hotels()) {
            copy.row(
                h.id(),
                q(h.cityKey()),
                q(h.name()),
                h.stars(),
                q(h.district()),
                q(h.address()),
                h.latitude(),
                h.longitude());
          }
          copy.into("hotels (id, city_key, name, stars, district, address, latitude, longitude)");
          for (RoomType r : cat.roomTypes())
            copy.row(r.id(), r.hotelId(), q(r.code()), r.maxOccupancy());
          copy.into("room_types (id, hotel_id, code, max_occupancy)");
          for (Rate r : cat.rates())
            copy.row(
                r.roomTypeId(),
                q(r.providerCode()),
                r.baseNightly().amount(),
                q(r.baseNightly().currency()));
          copy.into("rates (room_type_id, provider_code, base_nightly, currency)");
          try (Statement s = copy.connection().createStatement()) {
            // Ids were given explicitly; admin inserts continue after them.
            s.execute(
                "SELECT setval(pg_get_serial_sequence('hotels', 'id'), (SELECT max(id) FROM hotels))");
            s.execute(
                "SELECT setval(pg_get_serial_sequence('room_types', 'id'), (SELECT max(id) FROM room_types))");
          }
          try (PreparedStatement ps =
              copy.connection()
                  .prepareStatement(
                      "INSERT INTO catalogue_meta (id, seed, size, hotels) VALUES (1, ?, ?, ?)")) {
            ps.setLong(1, seed);
            ps.setString(2, size.name().toLowerCase());
            ps.setInt(3, cat.hotels().size());
            ps.executeUpdate();
          }
          log.info(
              "hotels catalogue loaded: {} cities, {} hotels, {} room types, {} rates in {} ms",
              cat.cities().size(),
              cat.hotels().size(),
              cat.roomTypes().size(),
              cat.rates().size(),
              (System.nanoTime() - start) / 1_000_000);
        });
  }
}
