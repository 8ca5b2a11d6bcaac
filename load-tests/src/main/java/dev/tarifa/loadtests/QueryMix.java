package dev.tarifa.loadtests;

import dev.tarifa.shared.catalogue.OpenFlights;
import dev.tarifa.shared.catalogue.OpenFlights.Airport;
import dev.tarifa.shared.pricing.CatalogueSize;
import dev.tarifa.shared.pricing.Destinations;
import dev.tarifa.shared.pricing.Destinations.City;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A realistic, reproducible search mix built from the same OpenFlights-derived catalogue the
 * platform seeds: airports weighted Zipf-like by their rank in route count (popular hubs dominate,
 * as in real traffic), destinations among the real routes from the chosen origin (also Zipf by
 * rank), dates over the next {@code horizonDays} with most weight on the near term, mostly 1–2
 * adults, hotels near the airports of busy destination cities, cars at busy airports. The same
 * seed, base date and catalogue size give the same sequence.
 */
public final class QueryMix {
  public enum Kind {
    FLIGHT,
    HOTEL,
    CAR,
    TRIP
  }

  /** One search: its kind, the path with query string (ready for GET), and the parameters. */
  public record Query(Kind kind, String path, Map<String, Object> params) {
    /** A Gatling feeder record: the parameters plus {@code path} and {@code kind}. */
    public Map<String, Object> record() {
      Map<String, Object> m = new LinkedHashMap<>(params);
      m.put("path", path);
      m.put("kind", kind.name().toLowerCase());
      return m;
    }
  }

  /** Zipf exponent: s ≈ 1 is the classic popularity skew of search and web traffic. */
  public static final double DEFAULT_SKEW = 1.0;

  public static final int DEFAULT_HORIZON_DAYS = 180;

  /** The flights service's small catalogue: routes among this many busiest airports. */
  static final int SMALL_FLIGHT_AIRPORTS = 40;

  private static final int[] PICK_UP_HOURS = {8, 9, 9, 10, 10, 12, 14, 17};

  /** Mean days ahead: most searches are for the coming weeks, a long tail for the coming months. */
  static final double MEAN_DAYS_AHEAD = 30;

  private final LocalDate baseDate;
  private final int horizonDays;
  private final SplittableRandom random;
  private final List<String> airportsByRank;
  private final List<String> placeAirports;
  private final WeightedPicker<String> origins;
  private final Map<String, WeightedPicker<String>> destinations;
  private final WeightedPicker<City> cities;
  private final WeightedPicker<String> carAirports;
  private final Set<String> routes;

  public QueryMix(long seed, LocalDate baseDate, CatalogueSize size) {
    this(seed, baseDate, size, DEFAULT_SKEW, DEFAULT_HORIZON_DAYS);
  }

  public QueryMix(long seed, LocalDate baseDate, CatalogueSize size, double skew, int horizonDays) {
    if (horizonDays < 1) throw new IllegalArgumentException("horizonDays < 1");
    this.baseDate = baseDate;
    this.horizonDays = horizonDays;
    this.random = new SplittableRandom(seed);
    OpenFlights of = OpenFlights.load();
    List<City> cityList = Destinations.cities(size);

    // Flights: the network the flights service seeds (every route of the busiest airports; the
    // small catalogue
    // keeps only routes among the 40 busiest). Hotels and cars: the airports of the catalogue's
    // cities.
    int flightAirports = size == CatalogueSize.SMALL ? SMALL_FLIGHT_AIRPORTS : size.airports;
    Set<String> known = new LinkedHashSet<>();
    for (Airport a : of.busiestAirports(flightAirports)) known.add(a.iata());
    List<String> ranked = new ArrayList<>(known);
    this.airportsByRank = List.copyOf(ranked);
    Map<String, Integer> rank = new HashMap<>();
    for (int i = 0; i < ranked.size(); i++) rank.put(ranked.get(i), i);
    Set<String> places = new LinkedHashSet<>();
    for (City c : cityList) for (Airport a : c.airports()) places.add(a.iata());
    List<String> placesRanked = new ArrayList<>(places);
    placesRanked.sort(
        Comparator.comparingInt((String iata) -> -of.routeCount(iata)).thenComparing(iata -> iata));
    this.placeAirports = List.copyOf(placesRanked);

    // Real nonstop pairs between known airports (several airlines on one pair count once).
    Map<String, Set<String>> out = new TreeMap<>();
    Set<String> pairs = new LinkedHashSet<>();
    for (OpenFlights.Route r : of.routes()) {
      if (r.from().equals(r.to()) || !known.contains(r.from()) || !known.contains(r.to())) continue;
      if (pairs.add(r.from() + "-" + r.to()))
        out.computeIfAbsent(r.from(), k -> new LinkedHashSet<>()).add(r.to());
    }
    this.routes = Collections.unmodifiableSet(pairs);
    List<String> originList = ranked.stream().filter(out::containsKey).toList();
    this.origins = WeightedPicker.zipf(originList, skew);
    Map<String, WeightedPicker<String>> dest = new HashMap<>();
    for (String o : originList) {
      List<String> to = new ArrayList<>(out.get(o));
      to.sort(Comparator.comparingInt(rank::get));
      dest.put(o, new WeightedPicker<>(to, d -> 1.0 / Math.pow(rank.get(d) + 1, skew)));
    }
    this.destinations = dest;
    this.cities = WeightedPicker.zipf(cityList, skew);
    this.carAirports = WeightedPicker.zipf(placesRanked, skew);
  }

  /** {@code 60/25/15} (flights/hotels/cars, any positive weights) as fractions summing to 1. */
  public static double[] shares(String spec) {
    String[] parts = spec.split("/");
    if (parts.length != 3)
      throw new IllegalArgumentException("mix must be flights/hotels/cars, e.g. 60/25/15: " + spec);
    double[] w = new double[3];
    double sum = 0;
    for (int i = 0; i < 3; i++) sum += w[i] = Double.parseDouble(parts[i].trim());
    if (sum <= 0) throw new IllegalArgumentException("mix sums to zero: " + spec);
    for (int i = 0; i < 3; i++) w[i] /= sum;
    return w;
  }

  /**
   * Seed, base date and catalogue size from system properties ({@code seed}, {@code baseDate},
   * {@code catalogueSize}).
   */
  public static QueryMix fromSystemProperties() {
    long seed = Long.getLong("seed", 42L);
    String base = System.getProperty("baseDate", "");
    LocalDate date = base.isBlank() ? LocalDate.now(ZoneOffset.UTC) : LocalDate.parse(base);
    CatalogueSize size =
        CatalogueSize.valueOf(System.getProperty("catalogueSize", "full").toUpperCase());
    double skew = Double.parseDouble(System.getProperty("skew", String.valueOf(DEFAULT_SKEW)));
    return new QueryMix(
        seed, date, size, skew, Integer.getInteger("horizonDays", DEFAULT_HORIZON_DAYS));
  }

  public synchronized Query flight() {
    String from = origins.pick(random);
    String to = destinations.get(from).pick(random);
    LocalDate date = date();
    int adults = adults();
    return query(
        Kind.FLIGHT,
        "/api/v1/flights/search",
        params("from", from, "to", to, "date", date, "adults", adults));
  }

  public synchronized Query hotel() {
    City city = cities.pick(random);
    LocalDate checkIn = date();
    LocalDate checkOut = checkIn.plusDays(stayNights());
    return query(
        Kind.HOTEL,
        "/api/v1/hotels/search",
        params(
            "near",
            city.mainAirport().iata(),
            "checkIn",
            checkIn,
            "checkOut",
            checkOut,
            "guests",
            adults()));
  }

  public synchronized Query car() {
    String at = carAirports.pick(random);
    // Counter hours: most rentals start in the morning and end at the same time of day.
    LocalDateTime pickUp = date().atTime(PICK_UP_HOURS[random.nextInt(PICK_UP_HOURS.length)], 0);
    LocalDateTime dropOff = pickUp.plusDays(1 + random.nextInt(random.nextInt(4) == 0 ? 14 : 7));
    return query(
        Kind.CAR,
        "/api/v1/cars/search",
        params("location", at, "pickUp", pickUp, "dropOff", dropOff));
  }

  public synchronized Query trip() {
    String from = origins.pick(random);
    String to = destinations.get(from).pick(random);
    LocalDate depart = date();
    LocalDate ret = depart.plusDays(stayNights());
    return query(
        Kind.TRIP,
        "/api/v1/trips/search",
        params("from", from, "to", to, "depart", depart, "return", ret, "adults", adults()));
  }

  public Query next(Kind kind) {
    return switch (kind) {
      case FLIGHT -> flight();
      case HOTEL -> hotel();
      case CAR -> car();
      case TRIP -> trip();
    };
  }

  /** An endless Gatling feeder of {@link Query#record()} maps of one kind. */
  public Iterator<Map<String, Object>> feeder(Kind kind) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public Map<String, Object> next() {
        return QueryMix.this.next(kind).record();
      }
    };
  }

  /**
   * Days ahead in 1..horizon: exponential with mean {@value #MEAN_DAYS_AHEAD}, redrawn past the
   * horizon (no pile-up at the end).
   */
  synchronized LocalDate date() {
    while (true) {
      long d = 1 + (long) Math.floor(-Math.log(1 - random.nextDouble()) * MEAN_DAYS_AHEAD);
      if (d <= horizonDays) return baseDate.plusDays(d);
    }
  }

  /** 1 adult 55 %, 2: 35 %, 3: 6 %, 4: 4 %. */
  private int adults() {
    double x = random.nextDouble();
    return x < 0.55 ? 1 : x < 0.90 ? 2 : x < 0.96 ? 3 : 4;
  }

  /** City breaks and weeks: 1–4 nights mostly, up to 14. */
  private int stayNights() {
    return random.nextInt(3) == 0 ? 5 + random.nextInt(10) : 1 + random.nextInt(4);
  }

  /** Airports of the flight network the mix uses, busiest (most routes) first. */
  public List<String> airportsByRank() {
    return airportsByRank;
  }

  /** Airports of the catalogue's cities (hotels near them, car stations at them), busiest first. */
  public List<String> placeAirports() {
    return placeAirports;
  }

  /** Every directional nonstop pair the mix can ask for, as {@code FROM-TO}. */
  public Set<String> routes() {
    return routes;
  }

  /**
   * The most likely flight route: the cold-stampede target (a popular pair, so the origin has real
   * work).
   */
  public String[] topRoute() {
    String from = origins.items().get(0);
    return new String[] {from, destinations.get(from).items().get(0)};
  }

  /**
   * The {@code n} most likely routes as {@code {from, to}}: each of the busiest origins with its
   * likeliest destination.
   */
  public List<String[]> popularRoutes(int n) {
    List<String[]> out = new ArrayList<>();
    for (String from : origins.items()) {
      if (out.size() >= n) break;
      out.add(new String[] {from, destinations.get(from).items().get(0)});
    }
    return out;
  }

  public LocalDate baseDate() {
    return baseDate;
  }

  private static Map<String, Object> params(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2)
      m.put(
          (String) kv[i],
          kv[i + 1] instanceof LocalDate || kv[i + 1] instanceof LocalDateTime
              ? kv[i + 1].toString()
              : kv[i + 1]);
    return m;
  }

  private static Query query(Kind kind, String path, Map<String, Object> params) {
    StringBuilder sb = new StringBuilder(path);
    char sep = '?';
    // Values are IATA codes, ISO dates and integers: nothing to escape.
    for (var e : params.entrySet()) {
      sb.append(sep).append(e.getKey()).append('=').append(e.getValue());
      sep = '&';
    }
    return new Query(kind, sb.toString(), Collections.unmodifiableMap(params));
  }
}
