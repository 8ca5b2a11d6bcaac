package dev.tarifa.flights.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tarifa.shared.catalogue.OpenFlights;
import dev.tarifa.shared.pricing.CatalogueSize;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CatalogueGeneratorTest {
  private static final OpenFlights NETWORK = OpenFlights.load();

  @Test
  void sameSeedGivesTheSameCatalogue() {
    Catalogue a = CatalogueGenerator.generate(NETWORK, 42, CatalogueSize.SMALL);
    Catalogue b = CatalogueGenerator.generate(NETWORK, 42, CatalogueSize.SMALL);
    assertThat(a.flights()).isEqualTo(b.flights());
    assertThat(a.fares()).isEqualTo(b.fares());
    assertThat(a.providers()).isEqualTo(b.providers());
  }

  @Test
  void differentSeedGivesADifferentCatalogueOnTheSameNetwork() {
    Catalogue a = CatalogueGenerator.generate(NETWORK, 42, CatalogueSize.SMALL);
    Catalogue b = CatalogueGenerator.generate(NETWORK, 43, CatalogueSize.SMALL);
    assertThat(routes(a)).isEqualTo(routes(b));
    assertThat(a.flights()).isNotEqualTo(b.flights());
    assertThat(a.fares()).isNotEqualTo(b.fares());
  }

  @Test
  void routesDoNotDependOnTheOrderOfOtherRoutes() {
    // The full catalogue contains every small-catalogue route; each route's schedule (times, days,
    // duration)
    // must be the same in both, because it is seeded from the route alone.
    Catalogue small = CatalogueGenerator.generate(NETWORK, 42, CatalogueSize.SMALL);
    Catalogue full = CatalogueGenerator.generate(NETWORK, 42, CatalogueSize.FULL);
    Map<String, List<String>> fullByRoute = schedules(full);
    schedules(small)
        .forEach((route, s) -> assertThat(fullByRoute.get(route)).as(route).isEqualTo(s));
  }

  @Test
  void smallCatalogueOnlyLinksTheBusiestAirports() {
    Catalogue small = CatalogueGenerator.generate(NETWORK, 42, CatalogueSize.SMALL);
    Set<String> busiest =
        NETWORK.busiestAirports(CatalogueGenerator.SMALL_AIRPORTS).stream()
            .map(OpenFlights.Airport::iata)
            .collect(Collectors.toSet());
    assertThat(small.flights())
        .isNotEmpty()
        .allSatisfy(f -> assertThat(busiest).contains(f.origin(), f.destination()));
  }

  @Test
  void flightsFollowTheGenerationRules() {
    Catalogue c = CatalogueGenerator.generate(NETWORK, 42, CatalogueSize.SMALL);
    Map<String, Integer> perRoute = new HashMap<>();
    Set<String> numbers = new HashSet<>();
    for (Catalogue.Flight f : c.flights()) {
      perRoute.merge(f.airline() + ":" + f.origin() + "-" + f.destination(), 1, Integer::sum);
      assertThat(numbers.add(f.airline() + f.number())).as("unique flight number").isTrue();
      assertThat(f.duration() % 5).isZero();
      assertThat(f.duration())
          .isEqualTo(
              Math.max(35, (int) (Math.round((30 + f.distanceKm() * 60.0 / 800.0) / 5.0) * 5)));
      assertThat(f.depLocal()).isBetween(6 * 60, 22 * 60);
      assertThat(f.days()).isBetween(1, 127);
      assertThat(f.arrUtc() - f.depUtc()).isEqualTo(f.duration());
    }
    assertThat(perRoute.values()).allSatisfy(n -> assertThat(n).isBetween(1, 3));
    assertThat(c.flights().stream().filter(f -> f.days() != 127).count()).isPositive();

    Map<Long, Set<String>> economySellers = new HashMap<>();
    Map<Long, Catalogue.Flight> byId =
        c.flights().stream().collect(Collectors.toMap(Catalogue.Flight::id, f -> f));
    for (Catalogue.Fare fare : c.fares()) {
      if (fare.cabin() == Cabin.ECONOMY)
        economySellers.computeIfAbsent(fare.flightId(), k -> new HashSet<>()).add(fare.provider());
      assertThat(fare.amount()).isPositive();
    }
    assertThat(economySellers).hasSameSizeAs(c.flights());
    economySellers.forEach(
        (id, sellers) -> {
          assertThat(sellers).contains(byId.get(id).airline());
          assertThat(sellers).hasSizeBetween(3, 6);
        });
    assertThat(c.providers().stream().map(Provider::code))
        .containsAll(Provider.AGENCIES.stream().map(Provider::code).toList());
    assertThat(Provider.AGENCIES).hasSizeGreaterThanOrEqualTo(6);
  }

  private static Set<String> routes(Catalogue c) {
    return c.flights().stream()
        .map(f -> f.airline() + ":" + f.origin() + "-" + f.destination())
        .collect(Collectors.toSet());
  }

  private static Map<String, List<String>> schedules(Catalogue c) {
    return c.flights().stream()
        .collect(
            Collectors.groupingBy(
                f -> f.airline() + ":" + f.origin() + "-" + f.destination(),
                Collectors.mapping(
                    f -> f.depLocal() + "/" + f.duration() + "/" + f.days(), Collectors.toList())));
  }
}
