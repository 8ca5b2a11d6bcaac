package dev.tarifa.shared.catalogue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The OpenFlights subset shipped in {@code openflights/} (contains data from OpenFlights
 * (openflights.org), ODbL; see NOTICE.md there). Loaded once, immutable, shared by the catalogue
 * generators and the load-test feeders so both see the same network.
 */
public final class OpenFlights {
  /** An airport with an IATA code. */
  public record Airport(
      String iata,
      String name,
      String city,
      String country,
      String countryCode,
      double latitude,
      double longitude,
      double utcOffsetHours,
      String tz) {}

  public record Airline(String iata, String name, String country) {}

  /** A directional nonstop route operated by an airline. */
  public record Route(String airline, String from, String to) {}

  private static volatile OpenFlights instance;

  private final Map<String, Airport> airports;
  private final Map<String, Airline> airlines;
  private final List<Route> routes;
  private final Map<String, Integer> routeCounts;

  private OpenFlights(
      Map<String, Airport> airports, Map<String, Airline> airlines, List<Route> routes) {
    this.airports = Collections.unmodifiableMap(airports);
    this.airlines = Collections.unmodifiableMap(airlines);
    this.routes = List.copyOf(routes);
    Map<String, Integer> counts = new HashMap<>();
    for (Route r : routes) {
      counts.merge(r.from(), 1, Integer::sum);
      counts.merge(r.to(), 1, Integer::sum);
    }
    this.routeCounts = Collections.unmodifiableMap(counts);
  }

  public static OpenFlights load() {
    OpenFlights o = instance;
    if (o == null) {
      synchronized (OpenFlights.class) {
        if (instance == null) instance = read();
        o = instance;
      }
    }
    return o;
  }

  /** Airports by IATA code, in code order. */
  public Map<String, Airport> airports() {
    return airports;
  }

  public Map<String, Airline> airlines() {
    return airlines;
  }

  public List<Route> routes() {
    return routes;
  }

  /** Number of routes touching the airport: a fair proxy for its traffic. */
  public int routeCount(String iata) {
    return routeCounts.getOrDefault(iata, 0);
  }

  /** The {@code n} airports with the most routes, busiest first (ties by code). */
  public List<Airport> busiestAirports(int n) {
    List<Airport> all = new ArrayList<>(airports.values());
    all.sort(
        Comparator.comparingInt((Airport a) -> -routeCount(a.iata())).thenComparing(Airport::iata));
    return List.copyOf(all.subList(0, Math.min(n, all.size())));
  }

  /** Great-circle distance in kilometres. */
  public static double distanceKm(Airport a, Airport b) {
    double lat1 = Math.toRadians(a.latitude()), lat2 = Math.toRadians(b.latitude());
    double dLat = lat2 - lat1, dLon = Math.toRadians(b.longitude() - a.longitude());
    double h =
        Math.sin(dLat / 2) * Math.sin(dLat / 2)
            + Math.cos(lat1) * Math.cos(lat2) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
    return 2 * 6371.0 * Math.asin(Math.min(1, Math.sqrt(h)));
  }

  private static OpenFlights read() {
    Map<String, Airport> airports = new LinkedHashMap<>();
    for (String[] r : csv("airports.csv.gz")) {
      airports.put(
          r[0],
          new Airport(
              r[0],
              r[1],
              r[2],
              r[3],
              r[4],
              Double.parseDouble(r[5]),
              Double.parseDouble(r[6]),
              Double.parseDouble(r[7]),
              r[8]));
    }
    Map<String, Airline> airlines = new LinkedHashMap<>();
    for (String[] r : csv("airlines.csv.gz")) airlines.put(r[0], new Airline(r[0], r[1], r[2]));
    List<Route> routes = new ArrayList<>(70_000);
    for (String[] r : csv("routes.csv.gz")) routes.add(new Route(r[0], r[1], r[2]));
    return new OpenFlights(airports, airlines, routes);
  }

  private static List<String[]> csv(String name) {
    try (InputStream in = OpenFlights.class.getResourceAsStream("/openflights/" + name)) {
      if (in == null) throw new IllegalStateException("missing resource openflights/" + name);
      BufferedReader reader =
          new BufferedReader(
              new InputStreamReader(new GZIPInputStream(in), StandardCharsets.UTF_8));
      List<String[]> rows = new ArrayList<>();
      reader.readLine(); // header
      for (String line; (line = reader.readLine()) != null; ) rows.add(parseLine(line));
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** RFC 4180 line: fields optionally quoted, quotes doubled inside quotes. */
  static String[] parseLine(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder sb = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"') {
          if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
            sb.append('"');
            i++;
          } else quoted = false;
        } else sb.append(c);
      } else if (c == '"') quoted = true;
      else if (c == ',') {
        out.add(sb.toString());
        sb.setLength(0);
      } else sb.append(c);
    }
    out.add(sb.toString());
    return out.toArray(String[]::new);
  }
}
