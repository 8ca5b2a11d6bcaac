package dev.tarifa.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tarifa.shared.cache.CachePolicy;
import dev.tarifa.shared.config.ConfigException;
import dev.tarifa.shared.config.Env;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gateway's cache policies: the measured defaults, and the per-domain overrides. */
class GatewayConfigCacheTest {
  private static GatewayConfig config(Map<String, String> overrides) {
    Map<String, String> env = GatewayHarness.baseEnv();
    env.remove("TARIFA_CACHE_JITTER"); // the harness turns jitter off; the default keeps it
    env.putAll(overrides);
    return GatewayConfig.fromEnv(Env.of(env));
  }

  @Test
  void everyDomainIsFresh15MinutesWith60SecondsSwrByDefault() {
    // docs/PERFORMANCE.md, "Fresh-TTL defaults from the measurement"
    CachePolicy expected =
        new CachePolicy(
            Duration.ofMinutes(15),
            Duration.ofSeconds(60),
            Duration.ofMinutes(10),
            Duration.ofSeconds(10),
            0.1);
    GatewayConfig c = config(Map.of());
    for (String domain : GatewayConfig.DOMAINS)
      assertThat(c.cache().policy(domain)).as(domain).isEqualTo(expected);
  }

  @Test
  void eachDomainsWindowsCanStillBeSetFromTheEnvironment() {
    GatewayConfig c =
        config(
            Map.of(
                "TARIFA_CACHE_FLIGHTS_TTL", "5m",
                "TARIFA_CACHE_HOTELS_SWR", "30s",
                "TARIFA_CACHE_CARS_SIE", "20m"));
    assertThat(c.cache().policy("flights").freshTtl()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.cache().policy("flights").staleWhileRevalidate())
        .isEqualTo(Duration.ofSeconds(60));
    assertThat(c.cache().policy("hotels").freshTtl()).isEqualTo(Duration.ofMinutes(15));
    assertThat(c.cache().policy("hotels").staleWhileRevalidate()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.cache().policy("cars").staleIfError()).isEqualTo(Duration.ofMinutes(20));
    assertThat(c.cache().policy("catalogue")).isEqualTo(CachePolicy.DEFAULT);
  }

  @Test
  void clientsMayKeepAnAnswer60SecondsByDefaultAndTheCapIsBounded() {
    assertThat(config(Map.of()).clientMaxAge()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config(Map.of("TARIFA_GATEWAY_CLIENT_MAX_AGE", "0s")).clientMaxAge()).isZero();
    assertThatThrownBy(() -> config(Map.of("TARIFA_GATEWAY_CLIENT_MAX_AGE", "2h")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("TARIFA_GATEWAY_CLIENT_MAX_AGE");
  }
}
