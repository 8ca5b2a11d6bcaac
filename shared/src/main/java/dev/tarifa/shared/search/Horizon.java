package dev.tarifa.shared.search;

import dev.tarifa.shared.http.Params;
import dev.tarifa.shared.http.Problem;
import java.time.Clock;
import java.time.LocalDate;

/**
 * How far ahead a search may look: every travel date (a flight's date, a check-in, a car pick-up, a
 * trip's departure and return) lies from today up to {@link #MAX_DAYS_AHEAD} days ahead, compared
 * by calendar day on the validating clock (the time of day never matters, so the gateway and a
 * service agree within the same day).
 */
public final class Horizon {
  /** The last bookable day, counted from today. */
  public static final int MAX_DAYS_AHEAD = 365;

  private Horizon() {}

  /**
   * The ISO date parameter {@code name}, within the horizon.
   *
   * @throws Problem 400 naming {@code name} when absent, malformed, in the past or too far ahead
   */
  public static LocalDate travelDate(Params p, String name, Clock clock) {
    return p.travelDate(name, clock, MAX_DAYS_AHEAD);
  }

  /**
   * Checks an already parsed {@code day} (e.g. a pick-up's date) against the horizon with the same
   * answers as {@link #travelDate}.
   *
   * @throws Problem 400 naming {@code name} when in the past or too far ahead
   */
  public static LocalDate check(String name, LocalDate day, Clock clock) {
    return Params.withinDaysAhead(name, day, clock, MAX_DAYS_AHEAD);
  }
}
