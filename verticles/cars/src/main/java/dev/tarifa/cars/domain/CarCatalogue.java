package dev.tarifa.cars.domain;

import dev.tarifa.shared.catalogue.OpenFlights.Airport;
import dev.tarifa.shared.money.Money;
import dev.tarifa.shared.pricing.CatalogueSize;
import dev.tarifa.shared.pricing.Destinations;
import dev.tarifa.shared.pricing.Destinations.City;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The generated cars catalogue, deterministic from (size, seed): one rental station at every
 * airport of the {@link Destinations} (the airports whose cities have hotels), 5–10 {@link
 * CarClass}es per station, each offered by 3–5 {@link Supplier}s at a base daily rate of class base
 * × station level (70–140 %) × supplier margin (90–112 %). Each station draws from its own random
 * stream (seed mixed with its IATA code), so the small catalogue is a prefix of the full one.
 */
public record CarCatalogue(
    List<Station> stations, List<StationClass> classes, List<CarRate> rates) {
  /** A car class offered at a station. */
  public record StationClass(String stationIata, String classCode) {}

  public static CarCatalogue generate(CatalogueSize size, long seed) {
    List<Station> stations = new ArrayList<>();
    List<StationClass> classes = new ArrayList<>();
    List<CarRate> rates = new ArrayList<>();
    for (City city : Destinations.cities(size)) {
      for (Airport a : city.airports()) {
        SplittableRandom rnd =
            new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ a.iata().hashCode());
        stations.add(
            new Station(
                a.iata(),
                a.name() + " Car Rental Centre",
                city.key(),
                city.name(),
                city.country(),
                a.latitude(),
                a.longitude(),
                1));
        int level = 70 + rnd.nextInt(71);
        for (CarClass c : pick(rnd, CarClass.ALL, 5 + rnd.nextInt(6))) {
          classes.add(new StationClass(a.iata(), c.code()));
          long stationBase = c.baseDailyCents() * level / 100;
          for (Supplier s : pick(rnd, Supplier.ALL, 3 + rnd.nextInt(3))) {
            long base = Math.max(500, stationBase * (90 + rnd.nextInt(23)) / 100);
            rates.add(new CarRate(a.iata(), c.code(), s.code(), Money.eur(base), 1));
          }
        }
      }
    }
    return new CarCatalogue(List.copyOf(stations), List.copyOf(classes), List.copyOf(rates));
  }

  /** {@code n} distinct elements of {@code all}, kept in list order. */
  private static <T> List<T> pick(SplittableRandom rnd, List<T> all, int n) {
    List<T> pool = new ArrayList<>(all);
    while (pool.size() > n) pool.remove(rnd.nextInt(pool.size()));
    return pool;
  }
}
