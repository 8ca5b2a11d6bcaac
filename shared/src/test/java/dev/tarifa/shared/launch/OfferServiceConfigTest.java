package dev.tarifa.shared.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tarifa.shared.auth.AuthConfig;
import dev.tarifa.shared.config.ConfigException;
import dev.tarifa.shared.config.Env;
import dev.tarifa.shared.events.EventsConfig;
import dev.tarifa.shared.pricing.CatalogueSize;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OfferServiceConfigTest {
  @Test
  void readsTheServicesOwnKeysAndTheSharedOnes() {
    OfferServiceConfig c =
        OfferServiceConfig.fromEnv(
            Env.of(
                Map.of(
                    "TARIFA_HOTELS_PORT", "9083",
                    "TARIFA_HOTELS_PG_URL", "postgresql://u@db:5432/h",
                    "TARIFA_HOTELS_PG_POOL", "3",
                    "TARIFA_CATALOGUE_SIZE", "small",
                    "TARIFA_CATALOGUE_SEED", "7",
                    "TARIFA_HOTELS_RATINGS_QUEUE", "h.r",
                    "TARIFA_CARS_RATINGS_QUEUE", "not.mine")),
            "hotels",
            8083);
    assertThat(c.service())
        .isEqualTo(new ServiceConfig("hotels", 9083, URI.create("postgresql://u@db:5432/h"), 3));
    assertThat(c.catalogueSize()).isEqualTo(CatalogueSize.SMALL);
    assertThat(c.catalogueSeed()).isEqualTo(7);
    assertThat(c.ratingsQueue()).isEqualTo("h.r");
  }

  @Test
  void defaultsAreTheServicesPortAndQueueAndTheFullCatalogue() {
    OfferServiceConfig c = OfferServiceConfig.fromEnv(Env.of(Map.of()), "cars", 8084);
    assertThat(c.service().port()).isEqualTo(8084);
    assertThat(c.service().poolSize()).isEqualTo(ServiceConfig.DEFAULT_POOL_SIZE);
    assertThat(c.catalogueSize()).isEqualTo(CatalogueSize.FULL);
    assertThat(c.catalogueSeed()).isEqualTo(CatalogueSize.DEFAULT_SEED);
    assertThat(c.ratingsQueue())
        .isEqualTo("cars.ratings")
        .isEqualTo(OfferServiceConfig.defaultRatingsQueue("cars"));
  }

  @Test
  void aBadValueNamesItsKey() {
    assertThatThrownBy(
            () ->
                OfferServiceConfig.fromEnv(
                    Env.of(Map.of("TARIFA_CATALOGUE_SIZE", "huge")), "flights", 8082))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("TARIFA_CATALOGUE_SIZE");
  }

  @Test
  void testConfigurationsUseTheEventBusAndTheDefaultQueue() {
    AuthConfig auth = AuthConfig.fromEnv(Env.of(Map.of()));
    OfferServiceConfig c =
        OfferServiceConfig.of(
            "flights", 0, URI.create("postgresql://u@h/f"), 4, CatalogueSize.SMALL, 42, auth);
    assertThat(c.events()).isEqualTo(EventsConfig.defaults());
    assertThat(c.ratingsQueue()).isEqualTo("flights.ratings");
    OfferServiceConfig moved = c.withEvents(EventsConfig.defaults(), "q");
    assertThat(moved.ratingsQueue()).isEqualTo("q");
    assertThat(moved.service()).isEqualTo(c.service());
  }
}
