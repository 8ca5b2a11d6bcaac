package dev.tarifa.flights.domain;

/**
 * How much of the OpenFlights network becomes the catalogue: {@link #FULL} every route whose airline and
 * airports are known; {@link #SMALL} only routes between two of the {@link #SMALL_AIRPORTS} busiest airports
 * (tests and quick local runs).
 */
public enum CatalogueSize {
  FULL, SMALL;

  public static final int SMALL_AIRPORTS = 40;
}
