package dev.tarifa.flights.domain;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/**
 * The one place where a stored fare becomes the price of a trip on a date. A fare row holds a
 * provider's base amount per adult in EUR cents for one flight and cabin; the price on departure
 * date {@code d}, asked on {@code today}, is
 *
 * <pre>
 *   price = adults × round_half_up(base × advance(d − today) × weekday(d))
 *
 *   advance(days before departure): 0–6 → 1.45, 7–20 → 1.20, 21–59 → 1.00, 60+ → 0.92
 *   weekday(d):                      Fri, Sun → 1.10, Tue, Wed → 0.95, other days → 1.00
 * </pre>
 *
 * computed in integer arithmetic (factors in thousandths), so the same query on the same day gives
 * the same prices until an admin changes a fare. For a one-stop itinerary each leg is priced on its
 * own departure date and the legs are added.
 */
public final class Pricing {
  private Pricing() {}

  /** The advance-purchase factor in thousandths. */
  public static int advanceFactor(long daysBefore) {
    if (daysBefore < 7) return 1450;
    if (daysBefore < 21) return 1200;
    if (daysBefore < 60) return 1000;
    return 920;
  }

  /** The weekday factor in thousandths. */
  public static int weekdayFactor(DayOfWeek day) {
    return switch (day) {
      case FRIDAY, SUNDAY -> 1100;
      case TUESDAY, WEDNESDAY -> 950;
      default -> 1000;
    };
  }

  /**
   * Price in EUR cents of {@code adults} seats at base fare {@code baseCents} departing on {@code
   * date}.
   */
  public static long price(long baseCents, LocalDate date, LocalDate today, int adults) {
    long daysBefore = Math.max(0, ChronoUnit.DAYS.between(today, date));
    long scaled =
        Math.multiplyExact(
            baseCents, (long) advanceFactor(daysBefore) * weekdayFactor(date.getDayOfWeek()));
    long perAdult = (scaled + 500_000) / 1_000_000;
    return Math.multiplyExact(perAdult, adults);
  }
}
