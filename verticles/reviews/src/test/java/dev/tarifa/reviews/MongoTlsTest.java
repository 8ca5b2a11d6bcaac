package dev.tarifa.reviews;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tarifa.shared.config.Env;
import dev.tarifa.shared.testing.TlsCapture;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A TARIFA_MONGO_URL with {@code tls=true} makes the reviews service's client speak TLS and verify
 * the server.
 */
class MongoTlsTest {
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

  private JsonObject mongoConfig() {
    ReviewsConfig config =
        ReviewsConfig.fromEnv(
            Env.of(
                Map.of(
                    "TARIFA_MONGO_URL",
                    "mongodb://reviews:m0ngo-pw@localhost:"
                        + server.port()
                        + "/?tls=true&authSource=admin")));
    return ReviewsVerticle.mongoConfig(config);
  }

  @Test
  void tlsTrueSpeaksTls() throws Exception {
    // the test server's self-signed certificate; a managed MongoDB's is verified against the JVM's
    // trust store
    MongoClient mongo =
        MongoClient.create(vertx, mongoConfig().put("caPath", server.certificatePath()));
    mongo.runCommand(
        "ping", new JsonObject().put("ping", 1)); // never answered: the capture only records

    assertThat(server.awaitHandshake(Duration.ofSeconds(10)))
        .as("TLS handshake completed")
        .isTrue();
    // the driver's first command (its handshake, with the client's metadata), inside the TLS
    // session
    String received = server.awaitReceived("ismaster", Duration.ofSeconds(10));
    assertThat(received.toLowerCase()).contains("ismaster").contains("driver");
    mongo.close();
  }

  @Test
  void tlsTrueChecksTheHostName() throws Exception {
    // a trusted certificate, but issued to localhost: reached as 127.0.0.1 it does not name the
    // server
    ReviewsConfig config =
        ReviewsConfig.fromEnv(
            Env.of(
                Map.of(
                    "TARIFA_MONGO_URL",
                    "mongodb://reviews:m0ngo-pw@127.0.0.1:" + server.port() + "/?tls=true")));
    MongoClient mongo =
        MongoClient.create(
            vertx,
            ReviewsVerticle.mongoConfig(config)
                .put("caPath", server.certificatePath())
                .put("serverSelectionTimeoutMS", 500));
    Throwable failure =
        mongo
            .runCommand("ping", new JsonObject().put("ping", 1))
            .transform(ar -> io.vertx.core.Future.succeededFuture(ar.cause()))
            .await(20, TimeUnit.SECONDS);
    assertThat(failure).isNotNull();
    assertThat(server.awaitReceived("ismaster", Duration.ofMillis(200))).isEmpty();
    mongo.close();
  }

  @Test
  void tlsTrueRefusesAServerItCannotVerify() throws Exception {
    MongoClient mongo =
        MongoClient.create(vertx, mongoConfig().put("serverSelectionTimeoutMS", 500));
    Throwable failure =
        mongo
            .runCommand("ping", new JsonObject().put("ping", 1))
            .transform(ar -> io.vertx.core.Future.succeededFuture(ar.cause()))
            .await(20, TimeUnit.SECONDS);
    assertThat(failure).isNotNull();
    assertThat(server.handshakes()).isZero();
    mongo.close();
  }
}
