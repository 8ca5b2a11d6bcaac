package dev.tarifa.flights.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class PricingTest {
  // 2026-12-02 is a Wednesday, 2026-12-03 a Thursday, 2026-12-04 a Friday.
  private static final LocalDate TODAY = LocalDate.of(2026, 11, 21);

  @Test
  void advanceFactorBands() {
    assertThat(Pricing.advanceFactor(0)).isEqualTo(1450);
    assertThat(Pricing.advanceFactor(6)).isEqualTo(1450);
    assertThat(Pricing.advanceFactor(7)).isEqualTo(1200);
    assertThat(Pricing.advanceFactor(20)).isEqualTo(1200);
    assertThat(Pricing.advanceFactor(21)).isEqualTo(1000);
    assertThat(Pricing.advanceFactor(59)).isEqualTo(1000);
    assertThat(Pricing.advanceFactor(60)).isEqualTo(920);
  }

  @Test
  void priceIsBaseTimesFactorsTimesAdultsRoundedToCents() {
    // Thursday 12 days ahead: x1.20 x1.00
    assertThat(Pricing.price(10_000, LocalDate.of(2026, 12, 3), TODAY, 1)).isEqualTo(12_000);
    // Friday 13 days ahead: x1.20 x1.10 = 1.32
    assertThat(Pricing.price(10_000, LocalDate.of(2026, 12, 4), TODAY, 2)).isEqualTo(26_400);
    // Wednesday 11 days ahead: 12345 x 1.2 x 0.95 = 14073.3 -> 14073 per adult
    assertThat(Pricing.price(12_345, LocalDate.of(2026, 12, 2), TODAY, 3)).isEqualTo(3 * 14_073);
    // Tomorrow (Sunday): 999 x 1.45 x 1.10 = 1593.405 -> 1593
    assertThat(Pricing.price(999, LocalDate.of(2026, 11, 22), TODAY, 1)).isEqualTo(1_593);
    // Half a cent rounds up: 1 x 1.45 x 1.10 = 1.595 -> 2
    assertThat(Pricing.price(1, LocalDate.of(2026, 11, 22), TODAY, 1)).isEqualTo(2);
    // 90 days ahead, a Saturday: x0.92
    assertThat(Pricing.price(10_000, LocalDate.of(2027, 2, 20), TODAY, 1)).isEqualTo(9_200);
  }

  @Test
  void samePriceForTheSameQuery() {
    assertThat(Pricing.price(54_321, LocalDate.of(2026, 12, 24), TODAY, 4))
        .isEqualTo(Pricing.price(54_321, LocalDate.of(2026, 12, 24), TODAY, 4));
  }
}
