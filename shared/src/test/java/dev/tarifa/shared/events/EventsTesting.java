package dev.tarifa.shared.events;

import static org.assertj.core.api.Assertions.fail;

import dev.tarifa.shared.metrics.Metrics;
import dev.tarifa.shared.testing.TcpProxy;
import io.micrometer.core.instrument.Counter;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/** Helpers for the event tests. */
final class EventsTesting {
  private EventsTesting() {}

  /** Short retry delays and reconnect back-off so tests run in seconds. */
  static EventsConfig fastConfig() {
    return EventsConfig.defaults()
        .withRetries(2, List.of(Duration.ofMillis(100), Duration.ofMillis(200)))
        .withReconnect(Duration.ofMillis(100), Duration.ofMillis(500));
  }

  /**
   * {@code amqp} with its host and port replaced by {@code proxy}'s (credentials and vhost kept).
   */
  static URI via(URI amqp, TcpProxy proxy) {
    return URI.create(
        amqp.getScheme()
            + "://"
            + amqp.getRawUserInfo()
            + "@127.0.0.1:"
            + proxy.port()
            + Optional.ofNullable(amqp.getRawPath()).orElse(""));
  }

  static String unique(String prefix) {
    return prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
  }

  static void await(String what, Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) fail("timed out waiting for " + what);
      Thread.sleep(50);
    }
  }

  static double consumed(String queue, String outcome) {
    Counter c =
        Metrics.registry()
            .find("tarifa.events.consumed")
            .tag("queue", queue)
            .tag("outcome", outcome)
            .counter();
    return c == null ? 0 : c.count();
  }
}
