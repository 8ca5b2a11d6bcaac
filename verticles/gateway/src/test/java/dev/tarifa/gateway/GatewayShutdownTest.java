package dev.tarifa.gateway;

import static dev.tarifa.gateway.GatewayHarness.await;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tarifa.gateway.upstream.UpstreamHealth;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Stopping a gateway whose upstream call is in flight: the call is answered, and nothing is logged
 * at ERROR, including by the timers its HTTP client armed before it stopped. (It does not reproduce
 * the Vert.x 5.0.8 pool NPE of docs/RELIABILITY.md "Known issues", a race this machine could not
 * trigger on demand; it guards the ordinary stop.)
 */
class GatewayShutdownTest {
  static final String DATE = LocalDate.now(ZoneOffset.UTC).plusDays(20).toString();
  static final long UPSTREAM_TIMEOUT_MS = 5_000;
  Vertx vertx;
  ListAppender<ILoggingEvent> log;
  Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

  @BeforeEach
  void setUp() {
    // One event loop: every context's timers run on it in deadline order (see the test).
    vertx = Vertx.builder().with(new VertxOptions().setEventLoopPoolSize(1)).build();
    log = new ListAppender<>();
    log.start();
    root.addAppender(log);
  }

  @AfterEach
  void tearDown() {
    root.detachAppender(log);
    await(vertx.close());
  }

  @Test
  void stoppingWithAnUpstreamCallInFlightLogsNoError() {
    GatewayHarness gw =
        new GatewayHarness(vertx)
            .start(Map.of("TARIFA_UPSTREAM_TIMEOUT", UPSTREAM_TIMEOUT_MS + "ms"));
    FakeService flights = gw.service("flights");
    flights.delayMs = 300; // accepts, answers slowly
    // Without keep-alive, so that the server's drain ends with this call's answer.
    WebClient client =
        WebClient.create(
            vertx,
            new WebClientOptions()
                .setKeepAlive(false)
                .setDefaultHost("127.0.0.1")
                .setDefaultPort(gw.port()));
    Future<HttpResponse<Buffer>> pending =
        client.get("/api/v1/flights/search?from=FRA&to=JFK&date=" + DATE).send();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (flights.searchCalls.get() == 0) {
      assertThat(System.nanoTime()).as("the call reached the upstream").isLessThan(deadline);
      Thread.onSpinWait();
    }

    await(vertx.undeploy(gw.deploymentId));
    // The server drained: the call in flight was answered.
    assertThat(await(pending).statusCode()).isEqualTo(200);

    // Whatever the stopped verticle's clients armed before it stopped (their bounds are the
    // upstream
    // and probe timeouts) has run once a later timer on the same, only event loop has fired.
    Promise<Void> after = Promise.promise();
    vertx.setTimer(
        Math.max(UPSTREAM_TIMEOUT_MS, UpstreamHealth.PROBE_TIMEOUT_MS) + 200,
        id -> after.complete());
    await(after.future());

    assertThat(log.list)
        .noneSatisfy(
            e -> assertThat(e.getLevel().isGreaterOrEqual(Level.ERROR)).as(e.toString()).isTrue())
        .noneSatisfy(
            e ->
                assertThat(e.getThrowableProxy())
                    .isNotNull()
                    .extracting(t -> t.getClassName())
                    .isEqualTo(NullPointerException.class.getName()));
  }
}
