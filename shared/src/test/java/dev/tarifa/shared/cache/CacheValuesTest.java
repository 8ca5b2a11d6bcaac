package dev.tarifa.shared.cache;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tarifa.shared.config.ConfigException;
import dev.tarifa.shared.config.Env;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Keys, entries and configuration. */
class CacheValuesTest {

  @Test
  void keyIgnoresParameterOrderAndEscapesSeparators() {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("from", "FRA");
    a.put("to", "JFK");
    a.put("date", "2026-12-01");
    Map<String, String> b = new LinkedHashMap<>();
    b.put("date", "2026-12-01");
    b.put("to", "JFK");
    b.put("from", "FRA");
    assertThat(CacheKey.of("flights", a)).isEqualTo(CacheKey.of("flights", b));
    assertThat(CacheKey.of("flights", a).value())
        .isEqualTo("flights:date=2026-12-01&from=FRA&to=JFK");
    assertThat(CacheKey.of("hotels", a)).isNotEqualTo(CacheKey.of("flights", a));
    assertThat(CacheKey.of("x", Map.of("a", "1&b=2")))
        .isNotEqualTo(CacheKey.of("x", Map.of("a", "1", "b", "2")));
    assertThatThrownBy(() -> CacheKey.of("bad:domain", Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void longKeysAreHashedToABoundedSize() {
    CacheKey k = CacheKey.of("hotels", Map.of("q", "y".repeat(1000)));
    assertThat(k.value())
        .hasSizeLessThanOrEqualTo(CacheKey.MAX_LENGTH)
        .startsWith("hotels:#")
        .hasSize("hotels:#".length() + 64);
    assertThat(CacheKey.of("hotels", Map.of("q", "y".repeat(1000)))).isEqualTo(k);
    assertThat(CacheKey.of("hotels", Map.of("q", "y".repeat(999)))).isNotEqualTo(k);
  }

  @Test
  void entriesSurviveTheStoredFormAndRejectCorruption() {
    Buffer body = Buffer.buffer("{\"results\":[1,2,3]} ü");
    CachedResponse r =
        new CachedResponse(
            body,
            "application/json",
            CachedResponse.strongEtag(body),
            1,
            2,
            3,
            4,
            Set.of("route:FRA-JFK", "hotel:123"),
            true);
    Buffer bytes = r.serialize();
    CachedResponse back = CachedResponse.deserialize(bytes);
    assertThat(back.body()).isEqualTo(body);
    assertThat(back.gzipBody()).isNull();
    assertThat(back.gzipEtag()).isNull();
    assertThat(back.contentType()).isEqualTo("application/json");
    assertThat(back.etag()).isEqualTo(r.etag());
    assertThat(
            List.of(
                back.createdAt(),
                back.softExpiresAt(),
                back.hardExpiresAt(),
                back.staleIfErrorUntil()))
        .containsExactly(1L, 2L, 3L, 4L);
    assertThat(back.tags()).containsExactlyInAnyOrder("route:FRA-JFK", "hotel:123");
    assertThat(back.negative()).isTrue();
    assertThat(bytes.length())
        .as("63-byte fixed header, then the metadata")
        .isLessThan(body.length() + 63 + 2 + 16 + 2 + 34 + 2 + 15 + 11 + 1);
    assertThatThrownBy(() -> CachedResponse.deserialize(bytes.getBuffer(0, bytes.length() - 1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CachedResponse.deserialize(Buffer.buffer(new byte[] {9})))
        .isInstanceOf(IllegalArgumentException.class);
    // the earlier format (version 1) is not read as this one
    Buffer v1 = bytes.copy().setByte(0, (byte) 1);
    assertThatThrownBy(() -> CachedResponse.deserialize(v1))
        .isInstanceOf(IllegalArgumentException.class);
    Buffer badDigit = bytes.copy().setByte(CachedResponse.SOFT_OFFSET + 3, (byte) 'x');
    assertThatThrownBy(() -> CachedResponse.deserialize(badDigit))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theStoredFormCarriesBothBodiesReadyToWriteAndItsHeaderIsReadableByScripts()
      throws Exception {
    Buffer body = Buffer.buffer(large());
    Buffer gz = Gzip.compressOrNull(body.getBytes());
    CachedResponse r =
        new CachedResponse(
            body,
            gz,
            "application/json; charset=utf-8",
            CachedResponse.strongEtag(body),
            1_764_600_000_000L,
            1_764_600_060_000L,
            1_764_600_090_000L,
            1_764_600_660_000L,
            Set.of("route:FRA-JFK"),
            false);
    Buffer bytes = r.serialize();
    // the scripts judge freshness from decimal digits at fixed offsets
    assertThat(
            bytes.getString(
                CachedResponse.SOFT_OFFSET, CachedResponse.SOFT_OFFSET + CachedResponse.DIGITS))
        .isEqualTo("0001764600060000");
    assertThat(
            bytes.getString(
                CachedResponse.HARD_OFFSET, CachedResponse.HARD_OFFSET + CachedResponse.DIGITS))
        .isEqualTo("0001764600090000");
    assertThat(bytes.getByte(CachedResponse.STATE_OFFSET)).isEqualTo(CachedResponse.STATE_VALID);
    CachedResponse back = CachedResponse.deserialize(bytes);
    assertThat(back.body()).isEqualTo(body);
    assertThat(back.gzipBody()).isEqualTo(gz);
    assertThat(gunzip(back.gzipBody())).isEqualTo(large());
    assertThat(back.contentType()).isEqualTo("application/json; charset=utf-8");
    assertThat(back.gzipEtag()).isEqualTo(CachedResponse.gzipEtag(r.etag())).endsWith("-gzip\"");
    assertThat(back.softExpiresAt()).isEqualTo(1_764_600_060_000L);
    assertThat(back.isFresh(1_764_600_059_999L)).isTrue();

    // soft eviction in Redis flips the state byte in place: read as expired since creation, same
    // fallback window
    Buffer evicted =
        bytes.copy().setByte(CachedResponse.STATE_OFFSET, CachedResponse.STATE_INVALIDATED);
    CachedResponse soft = CachedResponse.deserialize(evicted);
    assertThat(soft.isServable(1_764_600_000_000L)).isFalse();
    assertThat(soft.maxAgeSeconds(1_764_600_000_000L)).isZero();
    assertThat(soft.isWithinStaleIfError(1_764_600_600_000L)).isTrue();
    assertThat(gunzip(soft.gzipBody())).isEqualTo(large());
    // and an expired copy keeps both forms
    assertThat(back.expiredAt(1_764_600_010_000L).gzipBody()).isEqualTo(gz);
  }

  @Test
  void gzipFormsAreMadeOnlyWhenWorthKeeping() throws Exception {
    assertThat(Gzip.compressOrNull("x".repeat(CachedResponse.GZIP_MIN_BYTES - 1).getBytes(UTF_8)))
        .as("small")
        .isNull();
    byte[] random = new byte[8192];
    new java.util.Random(42).nextBytes(random);
    assertThat(Gzip.compressOrNull(random)).as("incompressible").isNull();
    Buffer gz = Gzip.compressOrNull(large().getBytes(UTF_8));
    assertThat(gz.length()).isLessThan(large().length() / 3);
    assertThat(gunzip(gz)).isEqualTo(large());
    // the per-thread deflater is reset between bodies
    assertThat(gunzip(Gzip.compressOrNull((large() + "!").getBytes(UTF_8))))
        .isEqualTo(large() + "!");

    CachedResponse small =
        CachePolicy.DEFAULT.entryFor(
            new OriginResponse(Buffer.buffer("{}"), "application/json", Set.of(), false), 1000, 0);
    assertThat(small.gzipBody()).isNull();
    CachedResponse big =
        CachePolicy.DEFAULT.entryFor(
            new OriginResponse(Buffer.buffer(large()), "application/json", Set.of(), false),
            1000,
            0);
    assertThat(gunzip(big.gzipBody())).isEqualTo(large());
    assertThat(big.gzipEtag()).isEqualTo(CachedResponse.gzipEtag(big.etag()));
  }

  static String large() {
    StringBuilder sb = new StringBuilder("{\"results\":[");
    for (int i = 0; i < 50; i++)
      sb.append(i == 0 ? "" : ",")
          .append("{\"id\":\"LH-")
          .append(400 + i)
          .append("\",\"amount\":")
          .append(41_000 + 37 * i)
          .append('}');
    return sb.append("]}").toString();
  }

  static String gunzip(Buffer gz) throws Exception {
    try (var in =
        new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz.getBytes()))) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  @Test
  void etagIsStrongAndDependsOnTheBodyOnly() {
    assertThat(CachedResponse.strongEtag(Buffer.buffer("a")))
        .isEqualTo(CachedResponse.strongEtag(Buffer.buffer("a")))
        .isNotEqualTo(CachedResponse.strongEtag(Buffer.buffer("b")))
        .matches("\"[0-9a-f]{32}\"");
  }

  @Test
  void everyDomainDefaultsTo15MinutesFreshAnd60SecondsSwr() {
    CachePolicy expected =
        new CachePolicy(
            Duration.ofMinutes(15),
            Duration.ofSeconds(60),
            Duration.ofMinutes(10),
            Duration.ofSeconds(10),
            0.1);
    assertThat(CachePolicy.DEFAULT).isEqualTo(expected);
    CacheConfig c =
        CacheConfig.fromEnv(Env.of(Map.of()), List.of("flights", "hotels", "cars", "catalogue"));
    for (String domain : List.of("flights", "hotels", "cars", "catalogue", "unknown"))
      assertThat(c.policy(domain)).as(domain).isEqualTo(expected);
  }

  @Test
  void policiesAndTunablesComeFromTheEnvironment() {
    Env env =
        Env.of(
            Map.of(
                "TARIFA_CACHE_FLIGHTS_TTL",
                "45s",
                "TARIFA_CACHE_FLIGHTS_SWR",
                "15s",
                "TARIFA_CACHE_FLIGHTS_SIE",
                "20m",
                "TARIFA_CACHE_NEGATIVE_TTL",
                "5s",
                "TARIFA_CACHE_JITTER",
                "0.2",
                "TARIFA_CACHE_L1_MAX_BYTES",
                "32m",
                "TARIFA_CACHE_L2_TIMEOUT",
                "60ms",
                "TARIFA_CACHE_HOTELS_TTL",
                "2m"));
    CacheConfig c = CacheConfig.fromEnv(env, List.of("flights", "hotels", "cars"));
    assertThat(c.policy("flights"))
        .isEqualTo(
            new CachePolicy(
                Duration.ofSeconds(45),
                Duration.ofSeconds(15),
                Duration.ofMinutes(20),
                Duration.ofSeconds(5),
                0.2));
    assertThat(c.policy("hotels").freshTtl()).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.policy("hotels").staleWhileRevalidate())
        .isEqualTo(CachePolicy.DEFAULT.staleWhileRevalidate());
    assertThat(c.policy("cars").negativeTtl()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.policy("unknown").jitter()).isEqualTo(0.2);
    assertThat(c.l1MaxBytes()).isEqualTo(32L << 20);
    assertThat(c.l2Timeout()).isEqualTo(Duration.ofMillis(60));

    assertThatThrownBy(
            () -> CacheConfig.fromEnv(Env.of(Map.of("TARIFA_CACHE_JITTER", "1.5")), List.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("TARIFA_CACHE_JITTER");
    assertThatThrownBy(
            () ->
                CacheConfig.fromEnv(
                    Env.of(Map.of("TARIFA_CACHE_FLIGHTS_TTL", "soon")), List.of("flights")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("TARIFA_CACHE_FLIGHTS_TTL");
  }
}
