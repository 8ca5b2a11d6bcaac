package dev.tarifa.shared.pricing;

import dev.tarifa.shared.catalogue.OpenFlights;
import dev.tarifa.shared.catalogue.OpenFlights.Airport;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The destinations of the hotels and cars catalogues: the cities served by the busiest airports
 * (OpenFlights), deduplicated by city and country, busiest first. Hotels are generated per city,
 * car rental stations per airport, so both services agree on which places exist. Deterministic:
 * depends only on the shipped OpenFlights data and the {@link CatalogueSize}.
 */
public final class Destinations {
  /**
   * A city with its key ({@code paris-fr}: ASCII slug of the name, dash, lower-case country code),
   * its rank (0 = busiest) and the airports that serve it (busiest first, never empty).
   */
  public record City(
      String key,
      String name,
      String country,
      String countryCode,
      int rank,
      List<Airport> airports) {
    public Airport mainAirport() {
      return airports.get(0);
    }
  }

  private Destinations() {}

  /** The cities of the catalogue of the given size, busiest first. */
  public static List<City> cities(CatalogueSize size) {
    Map<String, List<Airport>> byKey = new LinkedHashMap<>();
    Map<String, Airport> first = new LinkedHashMap<>();
    for (Airport a : OpenFlights.load().busiestAirports(size.airports)) {
      if (a.city() == null
          || a.city().isBlank()
          || a.countryCode() == null
          || a.countryCode().isBlank()) continue;
      String key = cityKey(a.city(), a.countryCode());
      byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(a);
      first.putIfAbsent(key, a);
    }
    List<City> out = new ArrayList<>();
    for (var e : byKey.entrySet()) {
      if (out.size() >= size.maxCities) break;
      Airport a = first.get(e.getKey());
      out.add(
          new City(
              e.getKey(),
              a.city(),
              a.country(),
              a.countryCode().toUpperCase(Locale.ROOT),
              out.size(),
              List.copyOf(e.getValue())));
    }
    return List.copyOf(out);
  }

  /** {@code ("São Paulo", "BR")} becomes {@code sao-paulo-br}. */
  public static String cityKey(String city, String countryCode) {
    return slug(city) + "-" + countryCode.toLowerCase(Locale.ROOT);
  }

  /** Lower-case ASCII, accents dropped, every other run of characters a single dash. */
  public static String slug(String s) {
    String ascii = Normalizer.normalize(s, Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
    String slug =
        ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    return slug.isEmpty() ? "x" : slug;
  }
}
