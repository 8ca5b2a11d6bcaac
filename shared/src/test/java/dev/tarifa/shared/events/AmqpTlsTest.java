package dev.tarifa.shared.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.ConnectionFactory;
import dev.tarifa.shared.testing.TlsCapture;
import io.vertx.core.Vertx;
import io.vertx.rabbitmq.RabbitMQClient;
import io.vertx.rabbitmq.RabbitMQOptions;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * amqps:// connects over TLS, verifying the broker's certificate; the URL's credentials and vhost
 * are applied.
 */
class AmqpTlsTest {
  // one server (and certificate: key generation is slow) for the class; reset before each test
  private static Vertx vertx;
  private static TlsCapture broker;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    broker = TlsCapture.start(vertx);
  }

  @BeforeEach
  void reset() {
    broker.reset();
  }

  @AfterAll
  static void stop() throws Exception {
    broker.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void amqpsSpeaksTlsWithTheUrlsCredentials() throws Exception {
    URI url = URI.create("amqps://tarifa:br%40ker-pw@localhost:" + broker.port() + "/tarifa-prod");
    RabbitMQOptions options = AmqpConnection.options(url, "tls-test");
    assertThat(options.isSsl()).isTrue();
    // what the Vert.x client does with the URI: the AMQP client's own parsing
    ConnectionFactory cf = new ConnectionFactory();
    cf.setUri(options.getUri());
    assertThat(cf.getUsername()).isEqualTo("tarifa");
    assertThat(cf.getPassword()).isEqualTo("br@ker-pw");
    assertThat(cf.getVirtualHost()).isEqualTo("tarifa-prod");
    assertThat(cf.isSSL()).isTrue();

    // the test broker's self-signed certificate as the trust anchor, the host name still checked
    options = AmqpConnection.options(url, "tls-test", broker.trust().getTrustManagerFactory(vertx));
    RabbitMQClient client =
        RabbitMQClient.create(vertx, options.setHandshakeTimeout(2000).setConnectionTimeout(2000));
    client
        .start(); // the capture never answers the protocol header: this attempt fails after the TLS
    // handshake
    String received = broker.awaitReceived("AMQP", Duration.ofSeconds(10));
    assertThat(broker.handshakes()).isPositive();
    assertThat(received)
        .startsWith("AMQP"); // the AMQP 0-9-1 protocol header, inside the TLS session
    client.stop();
  }

  @Test
  void amqpsRefusesABrokerItCannotVerify() throws Exception {
    RabbitMQOptions options =
        AmqpConnection.options(
            URI.create("amqps://guest:guest@localhost:" + broker.port()), "tls-test");
    RabbitMQClient client =
        RabbitMQClient.create(vertx, options.setHandshakeTimeout(2000).setConnectionTimeout(2000));
    Throwable failure =
        client
            .start()
            .transform(ar -> io.vertx.core.Future.succeededFuture(ar.cause()))
            .await(20, TimeUnit.SECONDS);
    assertThat(failure).isNotNull();
    assertThat(broker.handshakes()).isZero();
    assertThat(broker.awaitReceived("AMQP", Duration.ofMillis(200))).isEmpty();
  }

  @Test
  void amqpsRefusesACertificateForAnotherHost() throws Exception {
    // a trusted certificate, but issued to localhost: reached as 127.0.0.1 it does not name the
    // broker
    URI url = URI.create("amqps://guest:guest@127.0.0.1:" + broker.port());
    RabbitMQOptions options =
        AmqpConnection.options(url, "tls-test", broker.trust().getTrustManagerFactory(vertx));
    RabbitMQClient client =
        RabbitMQClient.create(vertx, options.setHandshakeTimeout(2000).setConnectionTimeout(2000));
    Throwable failure =
        client
            .start()
            .transform(ar -> io.vertx.core.Future.succeededFuture(ar.cause()))
            .await(20, TimeUnit.SECONDS);
    assertThat(failure).isNotNull();
    assertThat(broker.awaitReceived("AMQP", Duration.ofMillis(500))).isEmpty();
  }

  @Test
  void wildcardsCoverOneLabel() {
    assertThat(HostnameCheckingTrustManager.matches("*.mq.example.org", "b-1.mq.example.org"))
        .isTrue();
    assertThat(HostnameCheckingTrustManager.matches("*.mq.example.org", "a.b.mq.example.org"))
        .isFalse();
    assertThat(HostnameCheckingTrustManager.matches("*.mq.example.org", "mq.example.org"))
        .isFalse();
    assertThat(HostnameCheckingTrustManager.matches("broker.example.org", "broker.example.org"))
        .isTrue();
  }

  @Test
  void plainAmqpStaysPlain() {
    assertThat(AmqpConnection.options(URI.create("amqp://guest:guest@127.0.0.1:5672"), "t").isSsl())
        .isFalse();
  }
}
