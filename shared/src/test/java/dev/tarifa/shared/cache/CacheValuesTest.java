package dev.tarifa.shared.cache;

import dev.tarifa.shared.config.ConfigException;
import dev.tarifa.shared.config.Env;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Keys, entries and configuration. */
class CacheValuesTest {

  @Test
  void keyIgnoresParameterOrderAndEscapesSeparators() {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("from", "FRA"); a.put("to", "JFK"); a.put("date", "2026-12-01");
    Map<String, String> b = new LinkedHashMap<>();
    b.put("date", "2026-12-01"); b.put("to", "JFK"); b.put("from", "FRA");
    assertThat(CacheKey.of("flights", a)).isEqualTo(CacheKey.of("flights", b));
    assertThat(CacheKey.of("flights", a).value()).isEqualTo("flights:date=2026-12-01&from=FRA&to=JFK");
    assertThat(CacheKey.of("hotels", a)).isNotEqualTo(CacheKey.of("flights", a));
    assertThat(CacheKey.of("x", Map.of("a", "1&b=2"))).isNotEqualTo(CacheKey.of("x", Map.of("a", "1", "b", "2")));
    assertThatThrownBy(() -> CacheKey.of("bad:domain", Map.of())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void longKeysAreHashedToABoundedSize() {
    CacheKey k = CacheKey.of("hotels", Map.of("q", "y".repeat(1000)));
    assertThat(k.value()).hasSizeLessThanOrEqualTo(CacheKey.MAX_LENGTH).startsWith("hotels:#").hasSize("hotels:#".length() + 64);
    assertThat(CacheKey.of("hotels", Map.of("q", "y".repeat(1000)))).isEqualTo(k);
    assertThat(CacheKey.of("hotels", Map.of("q", "y".repeat(999)))).isNotEqualTo(k);
  }

  @Test
  void entriesSurviveTheBinaryFormatAndRejectCorruption() {
    Buffer body = Buffer.buffer("{\"results\":[1,2,3]} ü");
    CachedResponse r = new CachedResponse(body, "application/json", CachedResponse.strongEtag(body), 1, 2, 3, 4,
      Set.of("route:FRA-JFK", "hotel:123"), true);
    Buffer bytes = r.serialize();
    CachedResponse back = CachedResponse.deserialize(bytes);
    assertThat(back.body()).isEqualTo(body);
    assertThat(back.contentType()).isEqualTo("application/json");
    assertThat(back.etag()).isEqualTo(r.etag());
    assertThat(List.of(back.createdAt(), back.softExpiresAt(), back.hardExpiresAt(), back.staleIfErrorUntil())).containsExactly(1L, 2L, 3L, 4L);
    assertThat(back.tags()).containsExactlyInAnyOrder("route:FRA-JFK", "hotel:123");
    assertThat(back.negative()).isTrue();
    assertThat(bytes.length()).isLessThan(body.length() + 140);
    assertThatThrownBy(() -> CachedResponse.deserialize(bytes.getBuffer(0, bytes.length() - 1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CachedResponse.deserialize(Buffer.buffer(new byte[] {9}))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void etagIsStrongAndDependsOnTheBodyOnly() {
    assertThat(CachedResponse.strongEtag(Buffer.buffer("a"))).isEqualTo(CachedResponse.strongEtag(Buffer.buffer("a")))
      .isNotEqualTo(CachedResponse.strongEtag(Buffer.buffer("b"))).matches("\"[0-9a-f]{32}\"");
  }

  @Test
  void policiesAndTunablesComeFromTheEnvironment() {
    Env env = Env.of(Map.of("TARIFA_CACHE_FLIGHTS_TTL", "45s", "TARIFA_CACHE_FLIGHTS_SWR", "15s", "TARIFA_CACHE_FLIGHTS_SIE", "20m",
      "TARIFA_CACHE_NEGATIVE_TTL", "5s", "TARIFA_CACHE_JITTER", "0.2", "TARIFA_CACHE_L1_MAX_BYTES", "32m",
      "TARIFA_CACHE_L2_TIMEOUT", "60ms", "TARIFA_CACHE_HOTELS_TTL", "2m"));
    CacheConfig c = CacheConfig.fromEnv(env, List.of("flights", "hotels", "cars"));
    assertThat(c.policy("flights")).isEqualTo(new CachePolicy(Duration.ofSeconds(45), Duration.ofSeconds(15), Duration.ofMinutes(20), Duration.ofSeconds(5), 0.2));
    assertThat(c.policy("hotels").freshTtl()).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.policy("hotels").staleWhileRevalidate()).isEqualTo(CachePolicy.DEFAULT.staleWhileRevalidate());
    assertThat(c.policy("cars").negativeTtl()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.policy("unknown").jitter()).isEqualTo(0.2);
    assertThat(c.l1MaxBytes()).isEqualTo(32L << 20);
    assertThat(c.l2Timeout()).isEqualTo(Duration.ofMillis(60));

    assertThatThrownBy(() -> CacheConfig.fromEnv(Env.of(Map.of("TARIFA_CACHE_JITTER", "1.5")), List.of()))
      .isInstanceOf(ConfigException.class).hasMessageContaining("TARIFA_CACHE_JITTER");
    assertThatThrownBy(() -> CacheConfig.fromEnv(Env.of(Map.of("TARIFA_CACHE_FLIGHTS_TTL", "soon")), List.of("flights")))
      .isInstanceOf(ConfigException.class).hasMessageContaining("TARIFA_CACHE_FLIGHTS_TTL");
  }
}
