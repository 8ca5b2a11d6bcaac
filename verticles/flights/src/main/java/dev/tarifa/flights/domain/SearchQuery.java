package dev.tarifa.flights.domain;

import java.time.LocalDate;

/**
 * A flight search in the store's terms: the validated {@code dev.tarifa.shared.search.FlightQuery},
 * cabin and sort typed.
 */
public record SearchQuery(
    String from,
    String to,
    LocalDate date,
    int adults,
    Cabin cabin,
    int maxStops,
    Sort sort,
    int limit,
    int offset) {
  public enum Sort {
    PRICE,
    DEPARTURE,
    DURATION
  }
}
