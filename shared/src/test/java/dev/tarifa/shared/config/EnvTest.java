package dev.tarifa.shared.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EnvTest {
  private static final Set<String> PG = Set.of("postgresql", "postgres");

  @Test
  void defaultsApplyWhenAKeyIsAbsentOrBlank() {
    Env env = Env.of(Map.of("TARIFA_GATEWAY_PORT", "  "));
    assertThat(env.port("TARIFA_GATEWAY_PORT", 8080)).isEqualTo(8080);
    assertThat(env.duration("TARIFA_X", Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
    assertThat(env.url("TARIFA_PG_URL", PG)).isEmpty();
  }

  @Test
  void valuesAreParsedAndTrimmed() {
    Env env =
        Env.of(
            Map.of("P", " 9090 ", "D", "250ms", "D2", "5m", "D3", "PT2S", "B", "64m", "T", "yes"));
    assertThat(env.port("P", 1)).isEqualTo(9090);
    assertThat(env.duration("D", null)).isEqualTo(Duration.ofMillis(250));
    assertThat(env.duration("D2", null)).isEqualTo(Duration.ofMinutes(5));
    assertThat(env.duration("D3", null)).isEqualTo(Duration.ofSeconds(2));
    assertThat(env.bytes("B", 0)).isEqualTo(64L << 20);
    assertThat(env.bool("T", false)).isTrue();
  }

  @Test
  void overlayTakesPrecedence() {
    Env env = Env.of(Map.of("K", "1")).with("K", "2");
    assertThat(env.integer("K", 0)).isEqualTo(2);
  }

  @Test
  void aPortThatIsNotANumberNamesTheKey() {
    assertThatThrownBy(
            () -> Env.of(Map.of("TARIFA_FLIGHTS_PORT", "abc")).port("TARIFA_FLIGHTS_PORT", 8082))
        .isInstanceOf(ConfigException.class)
        .hasMessage("TARIFA_FLIGHTS_PORT: expected an integer, got 'abc'")
        .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo("TARIFA_FLIGHTS_PORT"));
  }

  @Test
  void aPortOutOfRangeIsRejected() {
    assertThatThrownBy(() -> Env.of(Map.of("P", "70000")).port("P", 1))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("P: port must be between 0 and 65535");
  }

  @Test
  void malformedUrlsNameTheKeyAndHideThePassword() {
    assertThatThrownBy(
            () ->
                Env.of(Map.of("TARIFA_PG_URL", "postgresql://u:secret@host:5432/x y"))
                    .url("TARIFA_PG_URL", PG))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("TARIFA_PG_URL: malformed URL")
        .hasMessageNotContaining("secret");
    assertThatThrownBy(
            () -> Env.of(Map.of("TARIFA_PG_URL", "mysql://host/db")).url("TARIFA_PG_URL", PG))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("must start with one of");
    assertThatThrownBy(
            () ->
                Env.of(Map.of("TARIFA_REDIS_URL", "redis:///0"))
                    .url("TARIFA_REDIS_URL", Set.of("redis")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("has no host");
  }

  @Test
  void validUrlsParse() {
    URI uri =
        Env.of(Map.of("TARIFA_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres"))
            .url("TARIFA_PG_URL", PG)
            .orElseThrow();
    assertThat(uri.getPort()).isEqualTo(5432);
  }

  @Test
  void otherMalformedValuesNameTheKey() {
    Env env = Env.of(Map.of("D", "soon", "B", "lots", "T", "maybe", "I", "5"));
    assertThatThrownBy(() -> env.duration("D", null))
        .hasMessageStartingWith("D: expected a duration");
    assertThatThrownBy(() -> env.bytes("B", 0)).hasMessageStartingWith("B: expected a size");
    assertThatThrownBy(() -> env.bool("T", false))
        .hasMessageStartingWith("T: expected true or false");
    assertThatThrownBy(() -> env.integer("I", 0, 10, 20))
        .hasMessageStartingWith("I: must be between 10 and 20");
  }

  @Test
  void redactHidesPasswords() {
    assertThat(Env.redact("amqp://guest:guest@127.0.0.1:5672"))
        .isEqualTo("amqp://guest:***@127.0.0.1:5672");
  }

  @Test
  void datastoreUrlsKeepTlsParametersAndSeedLists() {
    Set<String> mongo = Set.of("mongodb", "mongodb+srv");
    URI replicaSet =
        Env.of(
                Map.of(
                    "TARIFA_MONGO_URL", "mongodb://u:p@m1:27017,m2:27017/?replicaSet=rs0&tls=true"))
            .url("TARIFA_MONGO_URL", mongo)
            .orElseThrow();
    assertThat(replicaSet.getRawAuthority()).isEqualTo("u:p@m1:27017,m2:27017");
    assertThat(replicaSet.getQuery()).isEqualTo("replicaSet=rs0&tls=true");
    assertThat(
            Env.of(Map.of("TARIFA_REDIS_URL", "rediss://default:pw@cache.example.org:6380"))
                .url("TARIFA_REDIS_URL", Set.of("redis", "rediss")))
        .contains(URI.create("rediss://default:pw@cache.example.org:6380"));
    assertThatThrownBy(
            () ->
                Env.of(Map.of("TARIFA_MONGO_URL", "mongodb:///db")).url("TARIFA_MONGO_URL", mongo))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("no host");
  }
}
