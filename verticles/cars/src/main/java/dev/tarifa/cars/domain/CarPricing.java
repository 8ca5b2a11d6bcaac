package dev.tarifa.cars.domain;

import dev.tarifa.shared.money.Money;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDateTime;

/**
 * The deterministic total price of a rental from a supplier's base daily rate:
 *
 * <pre>
 *   days    = rental duration in hours rounded up to whole days (at least 1)
 *   total   = round(base × days × weekly × weekday × season), each factor in percent
 *   weekly  = 85 when days ≥ 7 (weekly discount), else 100
 *   weekday = by pick-up day: Friday 115, Saturday 110, Sunday 105, else 100
 *   season  = by month of pick-up: Jan 80, Feb 80, Mar 90, Apr 100, May 105, Jun 120,
 *             Jul 135, Aug 135, Sep 105, Oct 95, Nov 85, Dec 110
 * </pre>
 *
 * Rounding is half up to the minor unit, once per rental. All amounts are EUR minor units.
 */
public final class CarPricing {
  private static final int[] SEASON = {80, 80, 90, 100, 105, 120, 135, 135, 105, 95, 85, 110};

  private CarPricing() {}

  public static int rentalDays(LocalDateTime pickUp, LocalDateTime dropOff) {
    long minutes = Duration.between(pickUp, dropOff).toMinutes();
    return (int) Math.max(1, (minutes + 24 * 60 - 1) / (24 * 60));
  }

  public static int weeklyPercent(int days) {
    return days >= 7 ? 85 : 100;
  }

  public static int weekdayPercent(LocalDateTime pickUp) {
    DayOfWeek d = pickUp.getDayOfWeek();
    return d == DayOfWeek.FRIDAY
        ? 115
        : d == DayOfWeek.SATURDAY ? 110 : d == DayOfWeek.SUNDAY ? 105 : 100;
  }

  public static int seasonPercent(LocalDateTime pickUp) {
    return SEASON[pickUp.getMonthValue() - 1];
  }

  public static Money total(long baseDaily, LocalDateTime pickUp, LocalDateTime dropOff) {
    int days = rentalDays(pickUp, dropOff);
    long scaled =
        baseDaily * days * weeklyPercent(days) * weekdayPercent(pickUp) * seasonPercent(pickUp);
    return Money.eur((scaled + 500_000) / 1_000_000);
  }
}
