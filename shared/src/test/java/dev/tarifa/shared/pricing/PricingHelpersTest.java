package dev.tarifa.shared.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tarifa.shared.http.Problem;
import dev.tarifa.shared.money.Money;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class PricingHelpersTest {
  @Test
  void comparisonSortsByPriceThenProviderAndComputesCheapestAndSpread() {
    OfferComparison c =
        OfferComparison.of(
            List.of(
                new Offer("b", "B", Money.eur(300)),
                new Offer("c", "C", Money.eur(100)),
                new Offer("a", "A", Money.eur(100))));
    assertThat(c.offers()).extracting(Offer::providerCode).containsExactly("a", "c", "b");
    assertThat(c.cheapest().providerCode()).isEqualTo("a");
    assertThat(c.spread()).isEqualTo(Money.eur(200));
    JsonObject json = c.writeTo(new JsonObject());
    assertThat(
            json.getJsonArray("offers")
                .getJsonObject(2)
                .getJsonObject("provider")
                .getString("name"))
        .isEqualTo("B");
    assertThat(json.getJsonObject("cheapest").getJsonObject("price").getLong("amount"))
        .isEqualTo(100L);
    assertThat(json.getJsonObject("spread").getString("currency")).isEqualTo("EUR");
    assertThat(OfferComparison.of(List.of(new Offer("a", "A", Money.eur(5)))).spread())
        .isEqualTo(Money.eur(0));
    assertThatThrownBy(() -> OfferComparison.of(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void pageAndEnvelope() {
    List<Integer> all = List.of(1, 2, 3, 4, 5);
    assertThat(SearchPage.page(all, 2, 0)).containsExactly(1, 2);
    assertThat(SearchPage.page(all, 2, 4)).containsExactly(5);
    assertThat(SearchPage.page(all, 2, 5)).isEmpty();
    JsonObject env =
        SearchPage.envelope(
            new JsonObject().put("q", 1),
            List.of(new JsonObject()),
            5,
            2,
            0,
            List.of("z", "a", "z"));
    assertThat(env.getJsonObject("providers").getJsonArray("answered").getList())
        .containsExactly("a", "z");
    assertThat(env.getInteger("total")).isEqualTo(5);
  }

  @Test
  void destinationsAreRealCitiesWithKeys() {
    assertThat(Destinations.cityKey("São Paulo", "BR")).isEqualTo("sao-paulo-br");
    assertThat(Destinations.cityKey("Dallas-Fort Worth", "US")).isEqualTo("dallas-fort-worth-us");
    List<Destinations.City> full = Destinations.cities(CatalogueSize.FULL);
    assertThat(full.size()).isGreaterThanOrEqualTo(300);
    assertThat(full.stream().map(Destinations.City::key).distinct().count()).isEqualTo(full.size());
    assertThat(Destinations.cities(CatalogueSize.SMALL)).isEqualTo(full.subList(0, 20));
  }

  @Test
  void rateInputNamesTheFaultyField() {
    assertThat(
            RateInput.eur(
                new JsonObject()
                    .put("r", new JsonObject().put("amount", 1234).put("currency", "EUR")),
                "r"))
        .isEqualTo(Money.eur(1234));
    assertThatThrownBy(() -> RateInput.eur(new JsonObject(), "r"))
        .isInstanceOf(Problem.class)
        .extracting("parameter")
        .isEqualTo("r");
    assertThatThrownBy(
            () ->
                RateInput.eur(
                    new JsonObject()
                        .put("r", new JsonObject().put("amount", 12.5).put("currency", "EUR")),
                    "r"))
        .extracting("parameter")
        .isEqualTo("r.amount");
    assertThatThrownBy(
            () ->
                RateInput.eur(
                    new JsonObject()
                        .put("r", new JsonObject().put("amount", 1234).put("currency", "USD")),
                    "r"))
        .extracting("parameter")
        .isEqualTo("r.currency");
  }
}
