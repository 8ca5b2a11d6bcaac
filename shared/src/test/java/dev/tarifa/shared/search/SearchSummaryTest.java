package dev.tarifa.shared.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tarifa.shared.money.Money;
import dev.tarifa.shared.pricing.Offer;
import dev.tarifa.shared.pricing.OfferComparison;
import io.vertx.core.MultiMap;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SearchSummaryTest {
  private static OfferComparison product(long... amounts) {
    return OfferComparison.of(
        java.util.Arrays.stream(amounts)
            .mapToObj(a -> new Offer("p" + a, "P", Money.eur(a)))
            .toList());
  }

  @Test
  void whatAServiceWritesTheGatewayReadsBack() {
    SearchSummary written =
        SearchSummary.of(
            List.of(product(30_000, 31_000), product(29_500)),
            List.of(
                CacheTag.flights("FRA", "JFK"), CacheTag.airline("LH"), CacheTag.airline("UA")));
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    written.writeTo(headers);

    assertThat(headers.get("X-Search-Count")).isEqualTo("2");
    assertThat(headers.get("X-Search-Cheapest")).isEqualTo("29500 EUR");
    assertThat(headers.get("X-Cache-Tags")).isEqualTo("flights:FRA-JFK airline:LH airline:UA");
    SearchSummary read = SearchSummary.read(headers);
    assertThat(read).isEqualTo(written);
    assertThat(read.cheapest()).contains(Money.eur(29_500));
    assertThat(read.empty()).isFalse();
  }

  @Test
  void anEmptyAnswerHasNoCheapestPrice() {
    SearchSummary none = SearchSummary.of(List.of(), List.of(CacheTag.station("JFK")));
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().set("X-Search-Cheapest", "1 EUR");
    none.writeTo(headers);
    assertThat(headers.contains("X-Search-Cheapest")).isFalse();
    assertThat(SearchSummary.read(headers)).isEqualTo(none);
    assertThat(none.empty()).isTrue();
    assertThat(none.tagValues()).containsExactly("cars:station:JFK");
  }

  @Test
  void aMissingOrInconsistentSummaryIsRefused() {
    assertThatThrownBy(() -> SearchSummary.read(MultiMap.caseInsensitiveMultiMap()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                SearchSummary.read(
                    MultiMap.caseInsensitiveMultiMap().set("X-Search-Count", "many")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                SearchSummary.read(
                    MultiMap.caseInsensitiveMultiMap()
                        .set("X-Search-Count", "2")
                        .set("X-Search-Cheapest", "cheap")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                SearchSummary.read(
                    MultiMap.caseInsensitiveMultiMap()
                        .set("X-Search-Count", "0")
                        .set("X-Search-Cheapest", "100 EUR")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SearchSummary(3, Optional.empty(), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void tagsAreTheStringsEventsAndPurgesUse() {
    assertThat(
            List.of(
                CacheTag.route("FRA", "JFK"),
                CacheTag.flights("FRA", "JFK"),
                CacheTag.airline("LH"),
                CacheTag.hotelCity("paris-fr"),
                CacheTag.hotel(42),
                CacheTag.station("JFK"),
                CacheTag.supplier("sixt"),
                CacheTag.CATALOGUE))
        .extracting(CacheTag::value)
        .containsExactly(
            "route:FRA-JFK",
            "flights:FRA-JFK",
            "airline:LH",
            "hotels:city:paris-fr",
            "hotel:42",
            "cars:station:JFK",
            "cars:supplier:sixt",
            "catalogue");
    assertThat(CacheTag.parseHeader("  a:1   b:2 a:1 "))
        .extracting(CacheTag::value)
        .containsExactly("a:1", "b:2");
    assertThat(CacheTag.parseHeader(null)).isEmpty();
    assertThatThrownBy(() -> new CacheTag("two words"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new CacheTag(" ")).isInstanceOf(IllegalArgumentException.class);
  }
}
