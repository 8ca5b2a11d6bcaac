package dev.tarifa.hotels.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tarifa.shared.pricing.CatalogueSize;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class HotelCatalogueTest {
  private static final HotelCatalogue FULL = HotelCatalogue.generate(CatalogueSize.FULL, 42);

  @Test
  void sameSeedSameCatalogueOtherSeedOtherCatalogue() {
    HotelCatalogue a = HotelCatalogue.generate(CatalogueSize.SMALL, 42);
    HotelCatalogue b = HotelCatalogue.generate(CatalogueSize.SMALL, 42);
    HotelCatalogue c = HotelCatalogue.generate(CatalogueSize.SMALL, 7);
    assertThat(a).isEqualTo(b);
    assertThat(c.hotels()).isNotEqualTo(a.hotels());
    assertThat(c.cities()).isEqualTo(a.cities());
  }

  @Test
  void smallCatalogueIsAPrefixOfTheFullOne() {
    HotelCatalogue small = HotelCatalogue.generate(CatalogueSize.SMALL, 42);
    assertThat(small.cities()).hasSize(20);
    assertThat(FULL.hotels().subList(0, small.hotels().size())).isEqualTo(small.hotels());
    assertThat(FULL.rates().subList(0, small.rates().size())).isEqualTo(small.rates());
  }

  @Test
  void fullCatalogueHasEnoughRealCitiesAndAirports() {
    assertThat(FULL.cities()).hasSizeGreaterThanOrEqualTo(300);
    assertThat(FULL.cities().stream().map(c -> c.key()).collect(Collectors.toSet()))
        .contains("paris-fr", "london-gb", "new-york-us");
    var paris =
        FULL.cities().stream().filter(c -> c.key().equals("paris-fr")).findFirst().orElseThrow();
    assertThat(paris.airports()).extracting(a -> a.iata()).contains("CDG", "ORY");
  }

  @Test
  void hotelsRoomsAndRatesRespectTheirBounds() {
    Map<String, Long> perCity =
        FULL.hotels().stream()
            .collect(Collectors.groupingBy(Hotel::cityKey, Collectors.counting()));
    assertThat(perCity.values()).allSatisfy(n -> assertThat(n).isBetween(8L, 30L));
    assertThat(perCity.get(FULL.cities().get(0).key())).isEqualTo(30L);
    assertThat(FULL.hotels()).allSatisfy(h -> assertThat(h.stars()).isBetween(1, 5));
    assertThat(FULL.hotels().stream().map(Hotel::stars).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder(1, 2, 3, 4, 5);
    Map<Long, Long> roomsPerHotel =
        FULL.roomTypes().stream()
            .collect(Collectors.groupingBy(RoomType::hotelId, Collectors.counting()));
    assertThat(roomsPerHotel).hasSize(FULL.hotels().size());
    assertThat(roomsPerHotel.values()).allSatisfy(n -> assertThat(n).isBetween(2L, 4L));
    Map<Long, Long> ratesPerRoom =
        FULL.rates().stream()
            .collect(Collectors.groupingBy(Rate::roomTypeId, Collectors.counting()));
    assertThat(ratesPerRoom).hasSize(FULL.roomTypes().size());
    assertThat(ratesPerRoom.values()).allSatisfy(n -> assertThat(n).isBetween(3L, 5L));
    Set<String> providers =
        FULL.rates().stream().map(Rate::providerCode).collect(Collectors.toSet());
    assertThat(providers).hasSizeGreaterThanOrEqualTo(4);
    assertThat(FULL.rates()).allSatisfy(r -> assertThat(r.baseNightly().amount()).isPositive());
  }

  @Test
  void hotelNamesAreUniqueWithinACityAndIdsAreSequential() {
    Set<String> seen = new HashSet<>();
    for (Hotel h : FULL.hotels())
      assertThat(seen.add(h.cityKey() + "|" + h.name())).as(h.name()).isTrue();
    List<Long> ids = FULL.hotels().stream().map(Hotel::id).toList();
    for (int i = 0; i < ids.size(); i++) assertThat(ids.get(i)).isEqualTo(i + 1L);
  }
}
