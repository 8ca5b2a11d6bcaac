package dev.tarifa.flights.domain;

import dev.tarifa.shared.catalogue.OpenFlights;
import dev.tarifa.shared.pricing.CatalogueSize;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Generates the flights catalogue from the OpenFlights network, deterministically: the same seed
 * and size give the same catalogue. Each route draws from its own {@link SplittableRandom} seeded
 * by the catalogue seed mixed with a hash of "airline:from:to", so a route's flights and fares do
 * not depend on the order of the routes.
 *
 * <ul>
 *   <li>1–3 flights per route and day (fewer on long routes), departing 06:00–22:00 local in
 *       5-minute steps; duration = 30 min taxi + great-circle distance / 800 km/h, rounded to 5
 *       minutes.
 *   <li>Flight numbers: the airline's routes in (from, to) order, 3 numbers per route from 100.
 *   <li>Operating days: 75% daily, else 3–6 weekdays.
 *   <li>Sellers: the airline direct plus 2–5 of the {@link Provider#AGENCIES}.
 *   <li>Base economy fare = (39 EUR + 0.09 EUR/km) × a per-flight factor 0.85–1.25; premium economy
 *       ×1.65 from 2,500 km, business ×3.1 from 1,200 km, first ×5.2 on 35% of flights from 6,000
 *       km; each provider's fare = base × (1 + its bias from the seed, −6%..+6% for agencies, 0 for
 *       the airline) × noise 0.96–1.05.
 * </ul>
 */
public final class CatalogueGenerator {
  /** Bump when the generation rules change, so a stored catalogue is regenerated. */
  public static final int VERSION = 1;

  /**
   * The small catalogue keeps only routes between this many busiest airports (the load tests' mix
   * agrees).
   */
  public static final int SMALL_AIRPORTS = 40;

  private CatalogueGenerator() {}

  public static Catalogue generate(OpenFlights network, long seed, CatalogueSize size) {
    Set<String> allowed = null;
    if (size == CatalogueSize.SMALL) {
      allowed = new HashSet<>();
      for (OpenFlights.Airport a : network.busiestAirports(CatalogueGenerator.SMALL_AIRPORTS))
        allowed.add(a.iata());
    }
    // Routes grouped by airline, each airline's routes in (from, to) order: fixes flight numbers
    // independently
    // of the input order. Duplicate routes of one airline collapse.
    TreeMap<String, TreeMap<String, OpenFlights.Route>> byAirline = new TreeMap<>();
    for (OpenFlights.Route r : network.routes()) {
      if (r.from().equals(r.to())) continue;
      if (!network.airlines().containsKey(r.airline())) continue;
      if (!network.airports().containsKey(r.from()) || !network.airports().containsKey(r.to()))
        continue;
      if (allowed != null && !(allowed.contains(r.from()) && allowed.contains(r.to()))) continue;
      byAirline.computeIfAbsent(r.airline(), k -> new TreeMap<>()).put(r.from() + "-" + r.to(), r);
    }

    SplittableRandom providerRandom = new SplittableRandom(mix(seed, "providers"));
    Map<String, Integer> agencyBias = new LinkedHashMap<>(); // per mille
    for (Provider p : Provider.AGENCIES) agencyBias.put(p.code(), providerRandom.nextInt(-60, 61));

    List<Catalogue.Flight> flights = new ArrayList<>();
    List<Catalogue.Fare> fares = new ArrayList<>();
    Set<String> usedAirports = new HashSet<>();
    List<OpenFlights.Airline> usedAirlines = new ArrayList<>();
    long nextId = 1;
    for (var entry : byAirline.entrySet()) {
      String airline = entry.getKey();
      usedAirlines.add(network.airlines().get(airline));
      int routeIndex = 0;
      for (OpenFlights.Route route : entry.getValue().values()) {
        OpenFlights.Airport from = network.airports().get(route.from());
        OpenFlights.Airport to = network.airports().get(route.to());
        usedAirports.add(from.iata());
        usedAirports.add(to.iata());
        SplittableRandom rnd =
            new SplittableRandom(mix(seed, airline + ":" + from.iata() + ":" + to.iata()));
        int km = (int) Math.round(OpenFlights.distanceKm(from, to));
        int duration = Math.max(35, roundTo5(30 + km * 60.0 / 800.0));
        int perDay = km > 7000 ? 1 + rnd.nextInt(2) : 1 + rnd.nextInt(3);
        int window = (22 - 6) * 60 / perDay;
        for (int k = 0; k < perDay; k++) {
          int depLocal = roundTo5(6 * 60 + k * window + rnd.nextInt(Math.max(1, window - 5)));
          depLocal = Math.min(depLocal, 22 * 60);
          int depUtc = depLocal - offsetMinutes(from);
          int days = rnd.nextInt(100) < 75 ? 0x7F : weekdays(rnd);
          long id = nextId++;
          flights.add(
              new Catalogue.Flight(
                  id,
                  airline,
                  100 + routeIndex * 3 + k,
                  from.iata(),
                  to.iata(),
                  depLocal,
                  duration,
                  depUtc,
                  depUtc + duration,
                  days,
                  km));
          addFares(fares, id, airline, km, rnd, agencyBias);
        }
        routeIndex++;
      }
    }

    List<OpenFlights.Airport> airports =
        network.airports().values().stream()
            .filter(a -> usedAirports.contains(a.iata()))
            .sorted(Comparator.comparing(OpenFlights.Airport::iata))
            .toList();
    List<Provider> providers = new ArrayList<>(Provider.AGENCIES);
    for (OpenFlights.Airline a : usedAirlines) providers.add(Provider.direct(a.iata(), a.name()));
    return new Catalogue(
        airports, List.copyOf(usedAirlines), List.copyOf(providers), flights, fares);
  }

  private static void addFares(
      List<Catalogue.Fare> fares,
      long flightId,
      String airline,
      int km,
      SplittableRandom rnd,
      Map<String, Integer> agencyBias) {
    double economy = (3900 + 9.0 * km) * (0.85 + 0.40 * rnd.nextDouble());
    List<Cabin> cabins = new ArrayList<>(List.of(Cabin.ECONOMY));
    if (km >= 2500) cabins.add(Cabin.PREMIUM);
    if (km >= 1200) cabins.add(Cabin.BUSINESS);
    boolean first = km >= 6000 && rnd.nextInt(100) < 35;
    if (first) cabins.add(Cabin.FIRST);

    // The airline plus 2-5 agencies, chosen by a partial Fisher-Yates shuffle.
    List<String> agencies = new ArrayList<>(agencyBias.keySet());
    int count = 2 + rnd.nextInt(4);
    for (int i = 0; i < count; i++) {
      int j = i + rnd.nextInt(agencies.size() - i);
      String t = agencies.get(i);
      agencies.set(i, agencies.get(j));
      agencies.set(j, t);
    }
    List<String> sellers = new ArrayList<>();
    sellers.add(airline);
    sellers.addAll(agencies.subList(0, count));

    for (Cabin cabin : cabins) {
      double base =
          economy
              * switch (cabin) {
                case ECONOMY -> 1.0;
                case PREMIUM -> 1.65;
                case BUSINESS -> 3.1;
                case FIRST -> 5.2;
              };
      for (String seller : sellers) {
        int bias = agencyBias.getOrDefault(seller, 0);
        double noise = 0.96 + 0.09 * rnd.nextDouble();
        long amount = Math.max(100, Math.round(base * (1000 + bias) / 1000.0 * noise));
        fares.add(new Catalogue.Fare(flightId, cabin, seller, amount));
      }
    }
  }

  private static int weekdays(SplittableRandom rnd) {
    int n = 3 + rnd.nextInt(4);
    int mask = 0;
    while (Integer.bitCount(mask) < n) mask |= 1 << rnd.nextInt(7);
    return mask;
  }

  public static int offsetMinutes(OpenFlights.Airport a) {
    return (int) Math.round(a.utcOffsetHours() * 60);
  }

  private static int roundTo5(double minutes) {
    return (int) (Math.round(minutes / 5.0) * 5);
  }

  /** The catalogue seed mixed with a stable 64-bit FNV-1a hash of {@code key}. */
  static long mix(long seed, String key) {
    long h = 0xcbf29ce484222325L;
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    long z = seed * 0x9E3779B97F4A7C15L ^ h;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
