package dev.tarifa.hotels.domain;

import dev.tarifa.shared.catalogue.OpenFlights.Airport;
import dev.tarifa.shared.money.Money;
import dev.tarifa.shared.pricing.CatalogueSize;
import dev.tarifa.shared.pricing.Destinations;
import dev.tarifa.shared.pricing.Destinations.City;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The generated hotels catalogue, deterministic from (size, seed). Each city draws from its own
 * random stream (seed mixed with the city key), so a city's hotels do not depend on which other
 * cities are generated, and ids are assigned in city order: the small catalogue is a prefix of the
 * full one.
 *
 * <ul>
 *   <li>8–30 hotels per city, more for busier cities (linear in the city's rank);
 *   <li>fictional names from word lists plus the city; stars 1–5 (mostly 3); a district and street
 *       address; coordinates within ~15 km of the city's main airport;
 *   <li>2–4 {@link RoomKind}s per hotel, each sold by 3–5 of the {@link Provider}s at a base
 *       nightly rate of city level × stars × room factor × provider margin (92–110 %).
 * </ul>
 */
public record HotelCatalogue(
    List<City> cities, List<Hotel> hotels, List<RoomType> roomTypes, List<Rate> rates) {
  /**
   * Rank at which a city gets the minimum number of hotels (the full catalogue has about this many
   * cities).
   */
  static final int RANK_SCALE = 375;

  static final int MIN_HOTELS = 8, MAX_HOTELS = 30;
  private static final String[] FIRST = {
    "Grand",
    "Royal",
    "Park",
    "City",
    "Golden",
    "Silver",
    "Harbour",
    "Garden",
    "Central",
    "Riverside",
    "Skyline",
    "Blue",
    "Maple",
    "Crown",
    "Metro",
    "Lotus",
    "Cedar",
    "Atlas",
    "Aurora",
    "Ivy",
    "Coral",
    "Summit",
    "Willow",
    "Nova"
  };
  private static final String[] SECOND = {
    "Hotel",
    "Inn",
    "Suites",
    "Residence",
    "Lodge",
    "Palace",
    "House",
    "Hostel",
    "Boutique Hotel",
    "Plaza",
    "Court",
    "Tower"
  };
  private static final String[] DISTRICTS = {
    "Old Town",
    "City Centre",
    "Airport Area",
    "Harbourside",
    "Business District",
    "University Quarter",
    "Riverside",
    "Station Quarter",
    "North End",
    "South Side",
    "West End",
    "East Gate"
  };
  private static final String[] STREETS = {
    "Market", "Station", "Church", "Garden", "Harbour", "Castle", "Mill", "Park", "Bridge", "Queen",
    "King", "Lake", "Hill", "Orchard"
  };
  private static final String[] STREET_KINDS = {
    "Street", "Avenue", "Road", "Lane", "Boulevard", "Square"
  };
  private static final long[] STAR_BASE_CENTS = {0, 4_500, 6_500, 9_500, 14_000, 24_000};

  public static HotelCatalogue generate(CatalogueSize size, long seed) {
    List<City> cities = Destinations.cities(size);
    List<Hotel> hotels = new ArrayList<>();
    List<RoomType> rooms = new ArrayList<>();
    List<Rate> rates = new ArrayList<>();
    long hotelId = 1, roomId = 1;
    for (City city : cities) {
      SplittableRandom rnd =
          new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ city.key().hashCode());
      int cityLevel = 60 + rnd.nextInt(81); // percent
      Airport ap = city.mainAirport();
      Set<String> names = new HashSet<>();
      for (int i = 0, n = hotelCount(city.rank()); i < n; i++) {
        int stars = stars(rnd);
        String name;
        do {
          name =
              FIRST[rnd.nextInt(FIRST.length)]
                  + " "
                  + SECOND[rnd.nextInt(SECOND.length)]
                  + " "
                  + city.name();
        } while (!names.add(name) && names.size() < FIRST.length * SECOND.length);
        String district = DISTRICTS[rnd.nextInt(DISTRICTS.length)];
        String address =
            (1 + rnd.nextInt(240))
                + " "
                + STREETS[rnd.nextInt(STREETS.length)]
                + " "
                + STREET_KINDS[rnd.nextInt(STREET_KINDS.length)]
                + ", "
                + district
                + ", "
                + city.name();
        double lat = round6(ap.latitude() + (rnd.nextDouble() - 0.5) * 0.27);
        double lon = round6(ap.longitude() + (rnd.nextDouble() - 0.5) * 0.27);
        Hotel h = new Hotel(hotelId++, city.key(), name, stars, district, address, lat, lon, 1);
        hotels.add(h);
        long hotelBase = STAR_BASE_CENTS[stars] * cityLevel / 100;
        for (RoomKind kind : kinds(rnd)) {
          RoomType rt = new RoomType(roomId++, h.id(), kind.code(), kind.defaultOccupancy, 1);
          rooms.add(rt);
          long roomBase = hotelBase * kind.priceFactor / 100;
          for (Provider p : providers(rnd)) {
            long base = Math.max(1_000, roomBase * (92 + rnd.nextInt(19)) / 100);
            rates.add(new Rate(rt.id(), p.code(), Money.eur(base), 1));
          }
        }
      }
    }
    return new HotelCatalogue(cities, List.copyOf(hotels), List.copyOf(rooms), List.copyOf(rates));
  }

  /** 30 hotels for the busiest city down to 8 at rank {@link #RANK_SCALE} and beyond. */
  static int hotelCount(int rank) {
    int r = Math.min(rank, RANK_SCALE);
    return MIN_HOTELS + (MAX_HOTELS - MIN_HOTELS) * (RANK_SCALE - r) / RANK_SCALE;
  }

  private static int stars(SplittableRandom rnd) {
    int p = rnd.nextInt(100);
    return p < 8 ? 1 : p < 25 ? 2 : p < 60 ? 3 : p < 88 ? 4 : 5;
  }

  /** 2–4 distinct kinds, in canonical order. */
  private static List<RoomKind> kinds(SplittableRandom rnd) {
    int n = 2 + rnd.nextInt(3);
    EnumSet<RoomKind> set = EnumSet.noneOf(RoomKind.class);
    RoomKind[] all = RoomKind.values();
    while (set.size() < n) set.add(all[rnd.nextInt(all.length)]);
    return List.copyOf(set);
  }

  /** 3–5 distinct providers, in list order. */
  private static List<Provider> providers(SplittableRandom rnd) {
    int n = 3 + rnd.nextInt(3);
    List<Provider> pool = new ArrayList<>(Provider.ALL);
    while (pool.size() > n) pool.remove(rnd.nextInt(pool.size()));
    return pool;
  }

  private static double round6(double v) {
    return Math.round(v * 1e6) / 1e6;
  }
}
