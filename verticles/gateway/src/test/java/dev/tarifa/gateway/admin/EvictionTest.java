package dev.tarifa.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tarifa.shared.cache.CacheKey;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvictionTest {
  @Test
  void anEvictionNamesTheTagOrTheKeyAndHowManyWent() {
    assertThat(Eviction.ofTag("flights:FRA-JFK", 3).toJson().encode())
        .isEqualTo("{\"tag\":\"flights:FRA-JFK\",\"evicted\":3}");
    CacheKey key = CacheKey.of("catalogue", Map.of("airport", "FRA"));
    assertThat(Eviction.ofKey(key, true).toJson().encode())
        .isEqualTo("{\"key\":\"" + key.value() + "\",\"evicted\":1}");
    assertThat(Eviction.ofKey(key, false).toJson().getInteger("evicted")).isZero();
  }
}
