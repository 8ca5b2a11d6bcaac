package dev.tarifa.shared.events;

import static dev.tarifa.shared.events.EventsTesting.await;
import static dev.tarifa.shared.events.EventsTesting.consumed;
import static dev.tarifa.shared.events.EventsTesting.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The embedded transport: same contract as RabbitMQ within one Vert.x instance. */
@ExtendWith(VertxExtension.class)
class EventBusTransportTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private EventTransport transport;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    transport =
        EventTransports.create(vertx, EventsTesting.fastConfig(), "test")
            .await(5, TimeUnit.SECONDS);
    assertThat(transport).isInstanceOf(EventBusTransport.class);
  }

  @AfterEach
  void tearDown() throws Exception {
    transport.close().await(5, TimeUnit.SECONDS);
  }

  @Test
  void routesByPatternToEachQueueAndSharesAQueueAmongItsConsumers() throws Exception {
    String gateway = unique("gw"), ratings = unique("ratings");
    List<String> gatewayGot = new CopyOnWriteArrayList<>();
    AtomicInteger replicaA = new AtomicInteger(), replicaB = new AtomicInteger();
    transport
        .subscribe(
            gateway,
            List.of("*.offer.changed"),
            e -> {
              gatewayGot.add(e.type());
              return Future.succeededFuture();
            })
        .await(5, TimeUnit.SECONDS);
    // Two consumers of one queue share its events.
    transport
        .subscribe(
            ratings,
            List.of("reviews.#"),
            e -> {
              replicaA.incrementAndGet();
              return Future.succeededFuture();
            })
        .await(5, TimeUnit.SECONDS);
    transport
        .subscribe(
            ratings,
            List.of("reviews.#"),
            e -> {
              replicaB.incrementAndGet();
              return Future.succeededFuture();
            })
        .await(5, TimeUnit.SECONDS);

    transport
        .publish(DomainEvent.of("hotels.offer.changed", List.of("hotel:1"), new JsonObject()))
        .await(5, TimeUnit.SECONDS);
    transport
        .publish(DomainEvent.of("hotels.offer.created.extra", List.of(), new JsonObject()))
        .await(5, TimeUnit.SECONDS);
    for (int i = 0; i < 10; i++)
      transport
          .publish(DomainEvent.of("reviews.review.created", List.of(), new JsonObject()))
          .await(5, TimeUnit.SECONDS);

    await("ten review events", WAIT, () -> replicaA.get() + replicaB.get() == 10);
    await("the offer change", WAIT, () -> gatewayGot.size() == 1);
    Thread.sleep(200);
    assertThat(gatewayGot).containsExactly("hotels.offer.changed");
    assertThat(replicaA.get() + replicaB.get()).isEqualTo(10);
    assertThat(replicaA.get()).isPositive();
    assertThat(replicaB.get()).isPositive();

    String scrape =
        ((io.micrometer.prometheusmetrics.PrometheusMeterRegistry)
                dev.tarifa.shared.metrics.Metrics.registry())
            .scrape();
    assertThat(scrape)
        .contains("tarifa_events_published_total{type=\"hotels.offer.changed\"}")
        .contains("tarifa_events_consumed_total{outcome=\"ok\",queue=\"" + gateway + "\"}")
        .contains("tarifa_events_processing_seconds_count{queue=\"" + ratings + "\"}");
    // counters that have not moved yet are exported at 0 (dashboards and alerts need the series)
    assertThat(scrape)
        .contains(
            "tarifa_events_consumed_total{outcome=\"dead_lettered\",queue=\"" + ratings + "\"} 0.0")
        .contains("tarifa_events_consumed_total{outcome=\"retried\",queue=\"" + gateway + "\"} 0.0")
        .contains("tarifa_events_publish_failures_total 0.0");
  }

  @Test
  void failingHandlerIsRetriedThenParkedAndCanBeReplayedOrDiscarded() throws Exception {
    String queue = unique("poison");
    AtomicBoolean succeed = new AtomicBoolean();
    AtomicInteger attempts = new AtomicInteger();
    Set<UUID> processed = ConcurrentHashMap.newKeySet();
    transport
        .subscribe(
            queue,
            List.of("cars.offer.changed"),
            e -> {
              attempts.incrementAndGet();
              if (!succeed.get()) throw new IllegalStateException("boom");
              processed.add(e.id());
              return Future.succeededFuture();
            })
        .await(5, TimeUnit.SECONDS);

    DomainEvent poison =
        DomainEvent.of("cars.offer.changed", List.of("cars:station:FRA"), new JsonObject());
    transport.publish(poison).await(5, TimeUnit.SECONDS);
    DeadLetters dl = transport.deadLetters();
    await("the dead letter", WAIT, () -> dl.count(queue).result() == 1);
    assertThat(attempts.get()).isEqualTo(3);
    await("the retried count", WAIT, () -> consumed(queue, "retried") == 2);
    // The counter moves right after the message is parked.
    await("the dead-lettered count", WAIT, () -> consumed(queue, "dead_lettered") == 1);
    assertThat(dl.list(queue, 10).await(5, TimeUnit.SECONDS))
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.messageId()).isEqualTo(poison.id().toString());
              assertThat(d.attempts()).isEqualTo(3);
              assertThat(d.lastError()).isEqualTo("boom");
            });

    succeed.set(true);
    assertThat(dl.replay(queue, Optional.empty()).await(5, TimeUnit.SECONDS)).isEqualTo(1);
    await("the replayed event", WAIT, () -> processed.contains(poison.id()));
    assertThat(dl.count(queue).await(5, TimeUnit.SECONDS)).isZero();

    succeed.set(false);
    DomainEvent second = DomainEvent.of("cars.offer.changed", List.of(), new JsonObject());
    transport.publish(second).await(5, TimeUnit.SECONDS);
    await("the second dead letter", WAIT, () -> dl.count(queue).result() == 1);
    assertThat(dl.discard(queue, Optional.of(second.id().toString())).await(5, TimeUnit.SECONDS))
        .isEqualTo(1);
    assertThat(dl.list(queue, 10).await(5, TimeUnit.SECONDS)).isEmpty();
  }

  @Test
  void aHandlerThatNeverCompletesCountsAsFailed(Vertx vertx) throws Exception {
    EventTransport quick =
        EventTransports.create(
                vertx,
                EventsTesting.fastConfig().withHandlerTimeout(Duration.ofMillis(200)),
                "quick")
            .await(5, TimeUnit.SECONDS);
    String queue = unique("stuck");
    AtomicInteger attempts = new AtomicInteger();
    quick
        .subscribe(
            queue,
            List.of("cars.offer.changed"),
            e -> {
              attempts.incrementAndGet();
              return io.vertx.core.Promise.<Void>promise().future();
            })
        .await(5, TimeUnit.SECONDS);
    quick
        .publish(DomainEvent.of("cars.offer.changed", List.of(), new JsonObject()))
        .await(5, TimeUnit.SECONDS);
    await("the dead letter", WAIT, () -> quick.deadLetters().count(queue).result() == 1);
    assertThat(attempts.get()).isEqualTo(3);
    assertThat(quick.deadLetters().list(queue, 1).await(5, TimeUnit.SECONDS).get(0).lastError())
        .contains("imeout");
    quick.close().await(5, TimeUnit.SECONDS);
  }

  @Test
  void dedupeSkipsARepeatedEvent() throws Exception {
    String queue = unique("dedupe");
    AtomicInteger effects = new AtomicInteger();
    transport
        .subscribe(
            queue,
            List.of("flights.offer.changed"),
            e -> {
              effects.incrementAndGet();
              return Future.succeededFuture();
            },
            SubscribeOptions.DEFAULT.withDedupe(ProcessedEvents.inMemory(100)))
        .await(5, TimeUnit.SECONDS);
    DomainEvent e =
        DomainEvent.of("flights.offer.changed", List.of("route:FRA-JFK"), new JsonObject());
    transport.publish(e).await(5, TimeUnit.SECONDS);
    await("the first delivery", WAIT, () -> effects.get() == 1);
    transport.publish(e).await(5, TimeUnit.SECONDS);
    await("the duplicate", WAIT, () -> consumed(queue, "duplicate") == 1);
    assertThat(effects.get()).isEqualTo(1);
  }
}
