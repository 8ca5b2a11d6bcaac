package dev.tarifa.shared.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tarifa.shared.testing.TlsCapture;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * rediss:// connects over TLS, verifies the server and sends the URL's credentials inside the TLS
 * session.
 */
class RedisConnectionsTest {
  // one server (and certificate: key generation is slow) for the class; reset before each test
  private static Vertx vertx;
  private static TlsCapture server;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    server = TlsCapture.start(vertx);
  }

  @BeforeEach
  void reset() {
    server.reset();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void redissSpeaksTlsAndSendsTheCredentials() throws Exception {
    RedisOptions options =
        RedisConnections.options(
            URI.create("rediss://cache-user:s3cret-pw@localhost:" + server.port() + "/0"));
    assertThat(options.getNetClientOptions().isSsl()).isTrue();
    assertThat(options.getNetClientOptions().getHostnameVerificationAlgorithm()).isEqualTo("HTTPS");
    options
        .getNetClientOptions()
        .setTrustOptions(server.trust()); // the test server's self-signed certificate
    Redis redis = Redis.createClient(vertx, options.setPoolCleanerInterval(-1));
    redis.connect(); // never answered: the capture only records

    String received = server.awaitReceived("s3cret-pw", Duration.ofSeconds(10));
    assertThat(server.handshakes()).isPositive();
    assertThat(received).contains("cache-user").contains("s3cret-pw");
    redis.close();
  }

  @Test
  void redissRefusesAServerItCannotVerify() throws Exception {
    // no trust in the self-signed certificate: the handshake fails and nothing is sent
    Redis redis =
        Redis.createClient(
            vertx,
            RedisConnections.options(URI.create("rediss://:s3cret-pw@localhost:" + server.port())));
    assertThatThrownBy(() -> redis.connect().await(10, TimeUnit.SECONDS))
        .isNotInstanceOf(java.util.concurrent.TimeoutException.class);
    assertThat(server.handshakes()).isZero();
    redis.close();
  }

  @Test
  void redissChecksTheHostName() throws Exception {
    // a trusted certificate, but issued to localhost: reached as 127.0.0.1 it does not name the
    // server
    RedisOptions options =
        RedisConnections.options(URI.create("rediss://:s3cret-pw@127.0.0.1:" + server.port()));
    options.getNetClientOptions().setTrustOptions(server.trust());
    Redis redis = Redis.createClient(vertx, options);
    assertThatThrownBy(() -> redis.connect().await(10, TimeUnit.SECONDS))
        .isNotInstanceOf(java.util.concurrent.TimeoutException.class);
    assertThat(server.awaitReceived("s3cret-pw", Duration.ofMillis(200))).isEmpty();
    redis.close();
  }

  @Test
  void plainRedisStaysPlain() {
    RedisOptions options = RedisConnections.options(URI.create("redis://127.0.0.1:6379"));
    assertThat(options.getNetClientOptions().isSsl()).isFalse();
    assertThat(options.getEndpoint()).isEqualTo("redis://127.0.0.1:6379");
  }
}
