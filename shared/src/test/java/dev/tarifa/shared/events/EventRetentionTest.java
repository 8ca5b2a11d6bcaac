package dev.tarifa.shared.events;

import static dev.tarifa.shared.events.EventsTesting.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tarifa.shared.config.ConfigException;
import dev.tarifa.shared.config.Env;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The retention's scheduling rules, with fake targets, and its configuration keys. */
@ExtendWith(VertxExtension.class)
class EventRetentionTest {

  @Test
  void oneRunAtATimePerProcessAndName(Vertx vertx) throws Exception {
    String name = unique("guarded");
    Promise<Integer> gate = Promise.promise();
    AtomicInteger calls = new AtomicInteger();
    EventRetention.Target slow =
        new EventRetention.Target(
            unique("t"),
            limit -> {
              calls.incrementAndGet();
              return gate.future();
            });
    EventRetention first =
        new EventRetention(
            vertx, name, List.of(slow), Duration.ofHours(1), Duration.ofHours(1), 10);
    EventRetention second =
        new EventRetention(
            vertx, name, List.of(slow), Duration.ofHours(1), Duration.ofHours(1), 10);
    Future<Map<String, Long>> running = first.runOnce();
    EventsTesting.await("the first batch", Duration.ofSeconds(5), () -> calls.get() == 1);
    // Same name in the same process: skipped while the first run is in progress.
    assertThat(second.runOnce().await(5, TimeUnit.SECONDS)).isEmpty();
    assertThat(first.runOnce().await(5, TimeUnit.SECONDS)).isEmpty();
    gate.complete(3);
    assertThat(running.await(5, TimeUnit.SECONDS)).containsExactly(Map.entry(slow.table(), 3L));
    // Released once finished.
    assertThat(second.runOnce().await(5, TimeUnit.SECONDS))
        .containsExactly(Map.entry(slow.table(), 3L));
    assertThat(calls.get()).isEqualTo(2);
  }

  @Test
  void aFailingTargetDoesNotStopTheOthersAndIsTriedAgain(Vertx vertx) throws Exception {
    AtomicInteger failures = new AtomicInteger(1);
    EventRetention.Target flaky =
        new EventRetention.Target(
            unique("flaky"),
            limit ->
                failures.getAndDecrement() > 0
                    ? Future.failedFuture(new IllegalStateException("database away"))
                    : Future.succeededFuture(0));
    AtomicInteger left = new AtomicInteger(25);
    EventRetention.Target healthy =
        new EventRetention.Target(
            unique("healthy"),
            limit -> {
              int n = Math.min(limit, left.get());
              left.addAndGet(-n);
              return Future.succeededFuture(n);
            });
    EventRetention retention =
        new EventRetention(
            vertx,
            unique("r"),
            List.of(flaky, healthy),
            Duration.ofHours(1),
            Duration.ofHours(1),
            10);
    assertThatThrownBy(() -> retention.runOnce().await(5, TimeUnit.SECONDS))
        .hasMessageContaining("database away");
    assertThat(left.get()).isZero();
    assertThat(retention.runOnce().await(5, TimeUnit.SECONDS))
        .containsExactly(Map.entry(flaky.table(), 0L), Map.entry(healthy.table(), 0L));
    // A target that throws instead of returning a failed future counts as failed too.
    EventRetention throwing =
        new EventRetention(
            vertx,
            unique("r"),
            List.of(
                new EventRetention.Target(
                    unique("throws"),
                    limit -> {
                      throw new IllegalStateException("bug");
                    })),
            Duration.ofHours(1),
            Duration.ofHours(1),
            10);
    assertThatThrownBy(() -> throwing.runOnce().await(5, TimeUnit.SECONDS))
        .hasMessageContaining("bug");
  }

  @Test
  void aRunIsBoundedInBatches(Vertx vertx) throws Exception {
    AtomicInteger batches = new AtomicInteger();
    EventRetention.Target endless =
        new EventRetention.Target(
            unique("endless"),
            limit -> {
              batches.incrementAndGet();
              return Future.succeededFuture(limit);
            });
    EventRetention retention =
        new EventRetention(
            vertx, unique("r"), List.of(endless), Duration.ofHours(1), Duration.ofHours(1), 7);
    assertThat(retention.runOnce().await(10, TimeUnit.SECONDS))
        .containsEntry(endless.table(), 7L * EventRetention.MAX_BATCHES_PER_RUN);
    assertThat(batches.get()).isEqualTo(EventRetention.MAX_BATCHES_PER_RUN);
  }

  @Test
  void stopWaitsForTheBatchInFlightAndStartsNoOther(Vertx vertx) throws Exception {
    Promise<Integer> gate = Promise.promise();
    AtomicInteger calls = new AtomicInteger();
    EventRetention.Target target =
        new EventRetention.Target(
            unique("t"),
            limit -> calls.incrementAndGet() == 1 ? gate.future() : Future.succeededFuture(limit));
    EventRetention retention =
        new EventRetention(
                vertx,
                unique("r"),
                List.of(target),
                Duration.ofMillis(100),
                Duration.ofMillis(10),
                5)
            .start();
    EventsTesting.await("the first scheduled batch", Duration.ofSeconds(5), () -> calls.get() == 1);
    Future<Void> stopped = retention.stop();
    Thread.sleep(200);
    assertThat(stopped.isComplete()).isFalse();
    gate.complete(5); // a full batch: would be followed by another if not stopped
    stopped.await(5, TimeUnit.SECONDS);
    Thread.sleep(300);
    assertThat(calls.get()).isEqualTo(1);
  }

  @Test
  void retentionKeys() {
    EventsConfig d = EventsConfig.defaults();
    assertThat(d.outboxRetention()).isEqualTo(Duration.ofDays(7));
    assertThat(d.processedEventsRetention()).isEqualTo(Duration.ofDays(14));
    EventsConfig c =
        EventsConfig.fromEnv(
            Env.of(
                Map.of(
                    "TARIFA_OUTBOX_RETENTION",
                    "36h",
                    "TARIFA_PROCESSED_EVENTS_RETENTION",
                    "P30D")));
    assertThat(c.outboxRetention()).isEqualTo(Duration.ofHours(36));
    assertThat(c.processedEventsRetention()).isEqualTo(Duration.ofDays(30));
    assertThat(
            EventsConfig.fromEnv(Env.of(Map.of("TARIFA_PROCESSED_EVENTS_RETENTION", "1h")))
                .processedEventsRetention())
        .isEqualTo(Duration.ofHours(1));
    assertThatThrownBy(
            () -> EventsConfig.fromEnv(Env.of(Map.of("TARIFA_PROCESSED_EVENTS_RETENTION", "30m"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("TARIFA_PROCESSED_EVENTS_RETENTION");
    assertThatThrownBy(() -> EventsConfig.fromEnv(Env.of(Map.of("TARIFA_OUTBOX_RETENTION", "0d"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("TARIFA_OUTBOX_RETENTION");
    assertThatThrownBy(
            () -> EventsConfig.fromEnv(Env.of(Map.of("TARIFA_OUTBOX_RETENTION", "a week"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("TARIFA_OUTBOX_RETENTION");
    // Other keys keep their values through withRetention.
    EventsConfig t =
        d.withHandlerTimeout(Duration.ofSeconds(3))
            .withRetention(Duration.ofMinutes(1), Duration.ofMinutes(2));
    assertThat(t.handlerTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(t.outboxRetention()).isEqualTo(Duration.ofMinutes(1));
    assertThat(t.withHandlerTimeout(Duration.ofSeconds(4)).processedEventsRetention())
        .isEqualTo(Duration.ofMinutes(2));
  }
}
