package dev.tarifa.hotels.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class HotelPricingTest {
  private static final LocalDate TODAY = LocalDate.of(2026, 11, 21);

  @Test
  void weekendNightsAreDearer() {
    assertThat(HotelPricing.weekendPercent(LocalDate.of(2026, 12, 4))).isEqualTo(125); // Friday
    assertThat(HotelPricing.weekendPercent(LocalDate.of(2026, 12, 5))).isEqualTo(125); // Saturday
    assertThat(HotelPricing.weekendPercent(LocalDate.of(2026, 12, 6))).isEqualTo(100); // Sunday
  }

  @Test
  void seasonAndLeadFactors() {
    assertThat(HotelPricing.seasonPercent(LocalDate.of(2027, 1, 10))).isEqualTo(85);
    assertThat(HotelPricing.seasonPercent(LocalDate.of(2027, 7, 10))).isEqualTo(130);
    assertThat(HotelPricing.leadPercent(TODAY, TODAY)).isEqualTo(120);
    assertThat(HotelPricing.leadPercent(TODAY, TODAY.plusDays(3))).isEqualTo(110);
    assertThat(HotelPricing.leadPercent(TODAY, TODAY.plusDays(14))).isEqualTo(100);
    assertThat(HotelPricing.leadPercent(TODAY, TODAY.plusDays(60))).isEqualTo(95);
  }

  @Test
  void stayIsTheSumOfNightsTimesRooms() {
    // Thu 2026-12-03 .. Sun 2026-12-06: Thu, Fri, Sat nights; December 115 %; 12 days ahead → lead
    // 110 %.
    long base = 10_000;
    long thu = Math.round(10_000 * 1.00 * 1.15 * 1.10); // 12650
    long fri = Math.round(10_000 * 1.25 * 1.15 * 1.10); // 15812.5 → 15813 (half up)
    assertThat(HotelPricing.nightly(base, LocalDate.of(2026, 12, 3), 110)).isEqualTo(thu);
    assertThat(HotelPricing.nightly(base, LocalDate.of(2026, 12, 4), 110)).isEqualTo(15_813);
    assertThat(
            HotelPricing.stay(base, LocalDate.of(2026, 12, 3), LocalDate.of(2026, 12, 6), 2, TODAY)
                .amount())
        .isEqualTo((thu + fri + 15_813) * 2);
    assertThat(
            HotelPricing.stay(base, LocalDate.of(2026, 12, 3), LocalDate.of(2026, 12, 6), 2, TODAY)
                .currency())
        .isEqualTo("EUR");
  }
}
