package dev.tarifa.cars.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tarifa.shared.pricing.CatalogueSize;
import dev.tarifa.shared.pricing.Destinations;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CarCatalogueTest {
  private static final CarCatalogue FULL = CarCatalogue.generate(CatalogueSize.FULL, 42);

  @Test
  void deterministicAndSmallIsAPrefixOfFull() {
    CarCatalogue a = CarCatalogue.generate(CatalogueSize.SMALL, 42);
    assertThat(CarCatalogue.generate(CatalogueSize.SMALL, 42)).isEqualTo(a);
    assertThat(CarCatalogue.generate(CatalogueSize.SMALL, 43).rates()).isNotEqualTo(a.rates());
    assertThat(FULL.rates().subList(0, a.rates().size())).isEqualTo(a.rates());
  }

  @Test
  void everyDestinationAirportHasAStationWithFiveToTenClassesAndThreeToFiveSuppliers() {
    long airports =
        Destinations.cities(CatalogueSize.FULL).stream().mapToLong(c -> c.airports().size()).sum();
    assertThat(FULL.stations()).hasSize((int) airports);
    assertThat(FULL.stations()).extracting(Station::iata).contains("JFK", "CDG", "ORY", "LHR");
    Map<String, Long> classes =
        FULL.classes().stream()
            .collect(
                Collectors.groupingBy(
                    CarCatalogue.StationClass::stationIata, Collectors.counting()));
    assertThat(classes).hasSize(FULL.stations().size());
    assertThat(classes.values()).allSatisfy(n -> assertThat(n).isBetween(5L, 10L));
    Map<String, Long> suppliers =
        FULL.rates().stream()
            .collect(
                Collectors.groupingBy(r -> r.stationIata() + r.classCode(), Collectors.counting()));
    assertThat(suppliers).hasSize(FULL.classes().size());
    assertThat(suppliers.values()).allSatisfy(n -> assertThat(n).isBetween(3L, 5L));
    assertThat(FULL.rates().stream().map(CarRate::supplierCode).distinct().count())
        .isGreaterThanOrEqualTo(4);
  }

  @Test
  void rentalDaysRoundHoursUp() {
    LocalDateTime t = LocalDateTime.of(2026, 12, 1, 10, 0);
    assertThat(CarPricing.rentalDays(t, t.plusHours(1))).isEqualTo(1);
    assertThat(CarPricing.rentalDays(t, t.plusHours(24))).isEqualTo(1);
    assertThat(CarPricing.rentalDays(t, t.plusHours(24).plusMinutes(1))).isEqualTo(2);
    assertThat(CarPricing.rentalDays(t, t.plusDays(4))).isEqualTo(4);
  }

  @Test
  void totalAppliesWeeklyWeekdayAndSeasonFactors() {
    // Tue 2026-12-01, 4 days: 10000 × 4 × 100 % × 100 % × 110 % (December)
    LocalDateTime tue = LocalDateTime.of(2026, 12, 1, 10, 0);
    assertThat(CarPricing.total(10_000, tue, tue.plusDays(4)).amount()).isEqualTo(44_000);
    // Fri 2026-12-04, 7 days: weekly 85 %, Friday 115 %, December 110 %: 10000 × 7 × .85 × 1.15 ×
    // 1.10 = 75267.5 → 75268
    LocalDateTime fri = LocalDateTime.of(2026, 12, 4, 10, 0);
    assertThat(CarPricing.total(10_000, fri, fri.plusDays(7)).amount()).isEqualTo(75_268);
    // July pick-up on a Monday: 135 %
    LocalDateTime jul = LocalDateTime.of(2027, 7, 5, 9, 0);
    assertThat(CarPricing.total(1_000, jul, jul.plusHours(30)).amount()).isEqualTo(2_700);
  }
}
