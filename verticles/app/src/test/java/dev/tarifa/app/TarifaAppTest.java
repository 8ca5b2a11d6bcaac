package dev.tarifa.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tarifa.shared.config.ConfigException;
import dev.tarifa.shared.config.Env;
import dev.tarifa.shared.launch.TarifaService;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TarifaAppTest {
  @Test
  void twoServicesOnOnePortAreAConfigurationErrorNamingBothKeys() {
    Env env = Env.of(Map.of("TARIFA_FLIGHTS_PORT", "18085", "TARIFA_CARS_PORT", "18085"));
    assertThatThrownBy(() -> TarifaApp.services(env))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("TARIFA_CARS_PORT")
        .hasMessageContaining("TARIFA_FLIGHTS_PORT")
        .hasMessageContaining("18085");
  }

  @Test
  void theDefaultPortsAreDistinctAndPortZeroMayRepeat() {
    assertThat(TarifaApp.services(Env.of(Map.of())))
        .extracting(TarifaService::port)
        .doesNotHaveDuplicates();
    Env anyFree =
        Env.of(
            Map.of(
                "TARIFA_USERS_PORT", "0",
                "TARIFA_FLIGHTS_PORT", "0",
                "TARIFA_HOTELS_PORT", "0",
                "TARIFA_CARS_PORT", "0",
                "TARIFA_REVIEWS_PORT", "0",
                "TARIFA_GATEWAY_PORT", "0"));
    assertThat(TarifaApp.services(anyFree)).hasSize(6);
  }
}
