package dev.tarifa.shared.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The container probe's exit status follows the real HTTP answer: 2xx healthy, anything else
 * unhealthy.
 */
@ExtendWith(VertxExtension.class)
class HealthCheckTest {
  private HttpServer server;
  private int port;
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    server =
        vertx
            .createHttpServer()
            .requestHandler(
                req -> {
                  switch (req.path()) {
                    case "/ok" -> req.response().end("{\"status\":\"UP\"}");
                    case "/down" -> req.response().setStatusCode(503).end("{\"status\":\"DOWN\"}");
                    case "/moved" ->
                        req.response().setStatusCode(302).putHeader("Location", "/ok").end();
                    case "/hang" -> {} // never answers
                    default -> req.response().setStatusCode(404).end();
                  }
                })
            .listen(0, "127.0.0.1")
            .await(5, TimeUnit.SECONDS);
    port = server.actualPort();
  }

  @AfterEach
  void tearDown() throws Exception {
    server.close().await(5, TimeUnit.SECONDS);
  }

  private int probe(Duration timeout, String... args) {
    return HealthCheck.run(args, new PrintStream(printed, true, StandardCharsets.UTF_8), timeout);
  }

  private String printed() {
    return printed.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aTwoHundredIsHealthy() {
    assertThat(probe(Duration.ofSeconds(2), "http://127.0.0.1:" + port + "/ok")).isZero();
    assertThat(printed()).startsWith("healthy:").contains("answered 200");
  }

  @Test
  void aServiceUnavailableIsUnhealthy() {
    assertThat(probe(Duration.ofSeconds(2), "http://127.0.0.1:" + port + "/down")).isEqualTo(1);
    assertThat(printed()).startsWith("unhealthy:").contains("answered 503");
  }

  @Test
  void aRedirectIsNotFollowedAndIsUnhealthy() {
    assertThat(probe(Duration.ofSeconds(2), "http://127.0.0.1:" + port + "/moved")).isEqualTo(1);
    assertThat(printed()).contains("answered 302");
  }

  @Test
  void aClosedPortIsUnhealthy() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    assertThat(probe(Duration.ofSeconds(2), "http://127.0.0.1:" + closed + "/health/ready"))
        .isEqualTo(1);
    assertThat(printed()).startsWith("unhealthy:");
  }

  @Test
  void aServerThatNeverAnswersIsUnhealthyWithinTheTimeout() {
    long start = System.nanoTime();
    assertThat(probe(Duration.ofMillis(300), "http://127.0.0.1:" + port + "/hang")).isEqualTo(1);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    assertThat(printed()).contains("timed out");
  }

  @Test
  void badArgumentsAreUnhealthyNeverStatusTwo() {
    assertThat(probe(Duration.ofSeconds(1))).isEqualTo(1);
    assertThat(probe(Duration.ofSeconds(1), "ftp://127.0.0.1/x")).isEqualTo(1);
    assertThat(probe(Duration.ofSeconds(1), "not a url")).isEqualTo(1);
    assertThat(printed()).contains("usage:").contains("bad URL");
  }
}
