package dev.tarifa.hotels.domain;

import dev.tarifa.shared.money.Money;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/**
 * The deterministic nightly price of a provider's room rate. For a night starting on {@code night},
 * booked on {@code today}:
 *
 * <pre>
 *   nightly = round(base × weekend × season × lead), each factor in percent
 *   weekend = 125 for Friday and Saturday nights, else 100
 *   season  = by month of the night: Jan 85, Feb 85, Mar 95, Apr 100, May 105, Jun 120,
 *             Jul 130, Aug 130, Sep 110, Oct 100, Nov 90, Dec 115
 *   lead    = by days from today to check-in: 0–2 → 120, 3–13 → 110, 14–59 → 100, 60+ → 95
 *   stay    = (sum of nightly over the nights check-in .. check-out − 1) × rooms
 * </pre>
 *
 * Rounding is half up to the minor unit, once per night. All amounts are EUR minor units.
 */
public final class HotelPricing {
  private static final int[] SEASON = {85, 85, 95, 100, 105, 120, 130, 130, 110, 100, 90, 115};

  private HotelPricing() {}

  public static int weekendPercent(LocalDate night) {
    DayOfWeek d = night.getDayOfWeek();
    return d == DayOfWeek.FRIDAY || d == DayOfWeek.SATURDAY ? 125 : 100;
  }

  public static int seasonPercent(LocalDate night) {
    return SEASON[night.getMonthValue() - 1];
  }

  public static int leadPercent(LocalDate today, LocalDate checkIn) {
    long days = ChronoUnit.DAYS.between(today, checkIn);
    if (days <= 2) return 120;
    if (days <= 13) return 110;
    if (days <= 59) return 100;
    return 95;
  }

  /**
   * One night's price in minor units for a base nightly rate, with the lead factor already chosen.
   */
  public static long nightly(long base, LocalDate night, int leadPercent) {
    long scaled =
        base
            * weekendPercent(night)
            * seasonPercent(night)
            * leadPercent; // < 2^63 for base < 10^11
    return (scaled + 500_000) / 1_000_000;
  }

  /** The whole stay for {@code rooms} rooms. */
  public static Money stay(
      long base, LocalDate checkIn, LocalDate checkOut, int rooms, LocalDate today) {
    int lead = leadPercent(today, checkIn);
    long sum = 0;
    for (LocalDate n = checkIn; n.isBefore(checkOut); n = n.plusDays(1))
      sum += nightly(base, n, lead);
    return Money.eur(sum * rooms);
  }
}
