package dev.tarifa.flights.domain;

import dev.tarifa.shared.catalogue.OpenFlights;
import java.util.List;

/**
 * A generated flights catalogue, ready to be bulk-loaded: the airports and airlines it uses, the
 * providers, the scheduled flights and the provider fares.
 */
public record Catalogue(
    List<OpenFlights.Airport> airports,
    List<OpenFlights.Airline> airlines,
    List<Provider> providers,
    List<Flight> flights,
    List<Fare> fares) {

  /**
   * A scheduled flight. Times are minutes: {@code depLocal} after local midnight at the origin;
   * {@code depUtc} and {@code arrUtc} relative to 00:00 UTC of the local departure date (so they
   * can be negative or exceed a day); {@code days} is a bit set of operating weekdays (bit 0 =
   * Monday ... bit 6 = Sunday).
   */
  public record Flight(
      long id,
      String airline,
      int number,
      String origin,
      String destination,
      int depLocal,
      int duration,
      int depUtc,
      int arrUtc,
      int days,
      int distanceKm) {}

  /**
   * A provider's base fare per adult in EUR cents for one flight and cabin (see {@link Pricing}).
   */
  public record Fare(long flightId, Cabin cabin, String provider, long amount) {}
}
