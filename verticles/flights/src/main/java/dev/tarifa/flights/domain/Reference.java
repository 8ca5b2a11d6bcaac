package dev.tarifa.flights.domain;

import java.util.Map;

/**
 * The catalogue's reference data (airports, airlines, providers), loaded once per verticle at
 * start: it only changes when the catalogue is re-seeded, which happens before the verticles start.
 */
public record Reference(
    Map<String, Airport> airports, Map<String, Airline> airlines, Map<String, Provider> providers) {
  public Reference {
    airports = Map.copyOf(airports);
    airlines = Map.copyOf(airlines);
    providers = Map.copyOf(providers);
  }
}
