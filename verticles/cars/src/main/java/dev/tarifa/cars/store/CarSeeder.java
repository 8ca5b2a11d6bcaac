package dev.tarifa.cars.store;

import static dev.tarifa.shared.pricing.CatalogueSeeder.Copy.q;

import dev.tarifa.cars.domain.CarCatalogue;
import dev.tarifa.cars.domain.CarClass;
import dev.tarifa.cars.domain.CarRate;
import dev.tarifa.cars.domain.Station;
import dev.tarifa.cars.domain.Supplier;
import dev.tarifa.shared.pricing.CatalogueSeeder;
import dev.tarifa.shared.pricing.CatalogueSize;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.sql.PreparedStatement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the generated cars catalogue once per database ({@link CatalogueSeeder}: COPY, one
 * transaction).
 */
public final class CarSeeder {
  private static final Logger log = LoggerFactory.getLogger(CarSeeder.class);
  private static final long LOCK_KEY = 0xCA125_5EEDL;

  private CarSeeder() {}

  /** Seeds unless already seeded; true when this call loaded the catalogue. */
  public static Future<Boolean> seed(Vertx vertx, URI url, CatalogueSize size, long seed) {
    return CatalogueSeeder.seedOnce(
        vertx,
        url,
        LOCK_KEY,
        copy -> {
          long start = System.nanoTime();
          CarCatalogue cat = CarCatalogue.generate(size, seed);
          for (Station st : cat.stations()) {
            copy.row(
                q(st.iata()),
                q(st.name()),
                q(st.cityKey()),
                q(st.city()),
                q(st.country()),
                st.latitude(),
                st.longitude());
          }
          copy.into("stations (iata, name, city_key, city, country, latitude, longitude)");
          for (CarClass cc : CarClass.ALL)
            copy.row(
                q(cc.code()),
                q(cc.name()),
                cc.seats(),
                cc.doors(),
                q(cc.transmission()),
                cc.order());
          copy.into("car_classes (code, name, seats, doors, transmission, sort_order)");
          for (Supplier s : Supplier.ALL) copy.row(q(s.code()), q(s.name()));
          copy.into("suppliers (code, name)");
          for (CarCatalogue.StationClass sc : cat.classes())
            copy.row(q(sc.stationIata()), q(sc.classCode()));
          copy.into("station_classes (station_iata, class_code)");
          for (CarRate r : cat.rates()) {
            copy.row(
                q(r.stationIata()),
                q(r.classCode()),
                q(r.supplierCode()),
                r.baseDaily().amount(),
                q(r.baseDaily().currency()));
          }
          copy.into("car_rates (station_iata, class_code, supplier_code, base_daily, currency)");
          try (PreparedStatement ps =
              copy.connection()
                  .prepareStatement(
                      "INSERT INTO catalogue_meta (id, seed, size, stations) VALUES (1, ?, ?, ?)")) {
            ps.setLong(1, seed);
            ps.setString(2, size.name().toLowerCase());
            ps.setInt(3, cat.stations().size());
            ps.executeUpdate();
          }
          log.info(
              "cars catalogue loaded: {} stations, {} station classes, {} rates in {} ms",
              cat.stations().size(),
              cat.classes().size(),
              cat.rates().size(),
              (System.nanoTime() - start) / 1_000_000);
        });
  }
}
