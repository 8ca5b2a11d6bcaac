package dev.tarifa.shared.events;

import static dev.tarifa.shared.events.EventsTesting.await;
import static dev.tarifa.shared.events.EventsTesting.consumed;
import static dev.tarifa.shared.events.EventsTesting.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tarifa.shared.testing.TcpProxy;
import dev.tarifa.shared.testing.TestServers;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.VertxExtension;
import io.vertx.rabbitmq.RabbitMQClient;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The RabbitMQ transport against the real broker: confirms, retries, dead letters, idempotency. */
@ExtendWith(VertxExtension.class)
class RabbitMqTransportIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private URI amqp;
  private RabbitMqTransport transport;
  private String queue;
  private String type;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    amqp = TestServers.rabbitmq();
    transport =
        RabbitMqTransport.create(vertx, amqp, EventsTesting.fastConfig(), "it")
            .start()
            .await(10, TimeUnit.SECONDS);
    queue = unique("it.q");
    // A routing key no other test run uses, so only this run's events reach this run's queue.
    type = unique("it") + ".offer.changed";
    // Queues here bind this type only, never a pattern such as *.offer.changed: other test runs and
    // services on the same broker publish offer changes too, and a poison test that counted theirs
    // saw 27 attempts instead of 3.
  }

  @AfterEach
  void tearDown() throws Exception {
    transport.deleteQueues(queue).await(10, TimeUnit.SECONDS);
    transport.close().await(10, TimeUnit.SECONDS);
  }

  private DomainEvent event() {
    return DomainEvent.of(type, List.of("route:FRA-JFK"), new JsonObject().put("n", 1));
  }

  @Test
  void poisonMessageIsParkedAfterRetriesThenReplayedOrDiscarded() throws Exception {
    AtomicBoolean succeed = new AtomicBoolean(false);
    AtomicInteger attempts = new AtomicInteger();
    Set<UUID> processed = ConcurrentHashMap.newKeySet();
    transport
        .subscribe(
            queue,
            List.of(type),
            e -> {
              attempts.incrementAndGet();
              if (!succeed.get()) return Future.failedFuture("boom");
              processed.add(e.id());
              return Future.succeededFuture();
            })
        .await(10, TimeUnit.SECONDS);

    DomainEvent poison = event();
    transport.publish(poison).await(10, TimeUnit.SECONDS);
    DeadLetters dl = transport.deadLetters();
    await("the dead letter", WAIT, () -> count(dl) == 1);
    // The first delivery plus the two configured retries, then parked.
    assertThat(attempts.get()).isEqualTo(3);
    await("the retried count", WAIT, () -> consumed(queue, "retried") == 2);
    // The counter moves right after the message is parked.
    await("the dead-lettered count", WAIT, () -> consumed(queue, "dead_lettered") == 1);

    // Listing does not consume.
    List<DeadLetters.DeadLetter> listed = dl.list(queue, 10).await(10, TimeUnit.SECONDS);
    assertThat(listed)
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.messageId()).isEqualTo(poison.id().toString());
              assertThat(d.type()).isEqualTo(type);
              assertThat(d.attempts()).isEqualTo(3);
              assertThat(d.lastError()).isEqualTo("boom");
              assertThat(DomainEvent.fromJson(d.body())).isEqualTo(poison);
            });
    assertThat(dl.list(queue, 10).await(10, TimeUnit.SECONDS)).hasSize(1);
    await("the listed message to be back", WAIT, () -> count(dl) == 1);

    // Replay an unknown id moves nothing; replay the parked one with a now-succeeding handler
    // processes it.
    assertThat(
            dl.replay(queue, Optional.of(UUID.randomUUID().toString())).await(10, TimeUnit.SECONDS))
        .isZero();
    assertThat(attempts.get()).isEqualTo(3);
    succeed.set(true);
    assertThat(dl.replay(queue, Optional.of(poison.id().toString())).await(10, TimeUnit.SECONDS))
        .isEqualTo(1);
    await("the replayed event", WAIT, () -> processed.contains(poison.id()));
    assertThat(dl.list(queue, 10).await(10, TimeUnit.SECONDS)).isEmpty();

    // Discard removes a parked message for good.
    succeed.set(false);
    DomainEvent second = event();
    transport.publish(second).await(10, TimeUnit.SECONDS);
    await("the second dead letter", WAIT, () -> count(dl) == 1);
    int before = attempts.get();
    assertThat(dl.discard(queue, Optional.of(second.id().toString())).await(10, TimeUnit.SECONDS))
        .isEqualTo(1);
    assertThat(dl.list(queue, 10).await(10, TimeUnit.SECONDS)).isEmpty();
    Thread.sleep(500);
    assertThat(attempts.get()).isEqualTo(before);
    assertThat(processed).doesNotContain(second.id());
  }

  @Test
  void duplicateDeliveryHasNoSecondEffectWithInMemoryDedupe() throws Exception {
    AtomicInteger effects = new AtomicInteger();
    transport
        .subscribe(
            queue,
            List.of(type),
            e -> {
              effects.incrementAndGet();
              return Future.succeededFuture();
            },
            SubscribeOptions.DEFAULT.withDedupe(ProcessedEvents.inMemory(1000)))
        .await(10, TimeUnit.SECONDS);

    DomainEvent e = event();
    transport.publish(e).await(10, TimeUnit.SECONDS);
    transport.publish(e).await(10, TimeUnit.SECONDS);
    await("the duplicate", WAIT, () -> consumed(queue, "duplicate") == 1);
    assertThat(effects.get()).isEqualTo(1);
    assertThat(consumed(queue, "ok")).isEqualTo(1);
  }

  @Test
  void handlersRunOnTheSubscribersContextAndResultsComeBackToTheCallers(Vertx vertx)
      throws Exception {
    Context subscriber = vertx.getOrCreateContext();
    List<Boolean> onSubscriber = new java.util.concurrent.CopyOnWriteArrayList<>();
    on(
            subscriber,
            () ->
                transport.subscribe(
                    queue,
                    List.of(type),
                    e -> {
                      onSubscriber.add(Vertx.currentContext() == subscriber);
                      return Future.succeededFuture();
                    }))
        .await(10, TimeUnit.SECONDS);
    Context publisher = vertx.getOrCreateContext();
    CompletableFuture<Boolean> publishedOnCaller = new CompletableFuture<>();
    on(
        publisher,
        () ->
            transport
                .publish(event())
                .onComplete(ar -> publishedOnCaller.complete(Vertx.currentContext() == publisher)));
    assertThat(publishedOnCaller.get(10, TimeUnit.SECONDS)).isTrue();
    await("the delivery", WAIT, () -> consumed(queue, "ok") == 1);
    assertThat(onSubscriber).containsExactly(true);
  }

  @Test
  void aTransportThatOnlySubscribesOpensItsPublisherOnlyToPublish(Vertx vertx) throws Exception {
    RabbitMqTransport subscriber =
        RabbitMqTransport.create(vertx, amqp, EventsTesting.fastConfig(), "it-subscriber");
    try {
      assertThatThrownBy(() -> subscriber.ready().await(10, TimeUnit.SECONDS))
          .hasMessageContaining("not started");
      subscriber
          .subscribe(queue, List.of(type), e -> Future.succeededFuture())
          .await(10, TimeUnit.SECONDS);
      // Ready means consuming here; no publisher connection was opened.
      subscriber.ready().await(10, TimeUnit.SECONDS);
      assertThat(subscriber.connected()).isFalse();

      subscriber.publish(event()).await(10, TimeUnit.SECONDS);
      assertThat(subscriber.connected()).isTrue();
      await("the delivery", WAIT, () -> consumed(queue, "ok") == 1);
    } finally {
      subscriber.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void ephemeralReplicaQueueReceivesOfferChanges(Vertx vertx) throws Exception {
    List<String> got = new java.util.concurrent.CopyOnWriteArrayList<>();
    transport
        .subscribe(
            queue,
            List.of(type),
            e -> {
              got.add(e.type());
              return Future.succeededFuture();
            },
            SubscribeOptions.DEFAULT.withEphemeral(Duration.ofMinutes(1)))
        .await(10, TimeUnit.SECONDS);
    transport.publish(event()).await(10, TimeUnit.SECONDS);
    await("the offer change", WAIT, () -> got.size() == 1);
    assertThat(got).containsExactly(type);
    // Durable, so a broker restart keeps it: declaring it again as transient is refused as
    // inequivalent.
    RabbitMQClient probe =
        RabbitMQClient.create(vertx, AmqpConnection.options(amqp, "durability-probe"));
    try {
      probe.start().await(10, TimeUnit.SECONDS);
      assertThatThrownBy(
              () ->
                  probe
                      .queueDeclare(queue, false, false, false, new JsonObject())
                      .await(10, TimeUnit.SECONDS))
          .rootCause()
          .hasMessageContaining("PRECONDITION_FAILED")
          .hasMessageContaining("inequivalent arg 'durable'");
    } finally {
      probe.stop().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void publishFailsWhileTheBrokerIsUnreachableAndWorksAfterReconnect(Vertx vertx) throws Exception {
    TcpProxy proxy =
        new TcpProxy(vertx, amqp.getHost(), amqp.getPort()).start().await(5, TimeUnit.SECONDS);
    URI viaProxy = EventsTesting.via(amqp, proxy);
    AtomicInteger received = new AtomicInteger();
    transport.subscribe(queue, List.of(type), counting(received)).await(10, TimeUnit.SECONDS);

    proxy.cut();
    RabbitMqTransport viaCut =
        RabbitMqTransport.create(vertx, viaProxy, EventsTesting.fastConfig(), "it-proxy")
            .start()
            .await(10, TimeUnit.SECONDS);
    try {
      // Never connected: fails, does not succeed.
      assertThatThrownBy(() -> viaCut.publish(event()).await(10, TimeUnit.SECONDS))
          .hasMessageContaining("unavailable");
      assertThatThrownBy(() -> viaCut.ready().await(10, TimeUnit.SECONDS))
          .hasMessageContaining("unavailable");

      proxy.restore();
      await("the publisher to connect", WAIT, () -> viaCut.ready().succeeded());
      viaCut.publish(event()).await(10, TimeUnit.SECONDS);
      await("the first event", WAIT, () -> received.get() == 1);

      // Connected, then the broker goes away: the next publish fails as well.
      proxy.cut();
      assertThatThrownBy(() -> viaCut.publish(event()).await(10, TimeUnit.SECONDS)).isNotNull();
      proxy.restore();
      await("the publisher to reconnect", WAIT, () -> viaCut.ready().succeeded());
      viaCut.publish(event()).await(10, TimeUnit.SECONDS);
      await("the second event", WAIT, () -> received.get() >= 2);
    } finally {
      viaCut.close().await(10, TimeUnit.SECONDS);
      proxy.close().await(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void theFirstConnectionBackOnTheBrokerWakesTheOthersOfTheProcess(Vertx vertx) throws Exception {
    TcpProxy proxy =
        new TcpProxy(vertx, amqp.getHost(), amqp.getPort()).start().await(5, TimeUnit.SECONDS);
    URI viaProxy = EventsTesting.via(amqp, proxy);
    proxy.cut();
    // its first retry would come 60 s after its failed first attempt
    RabbitMqTransport sleepy =
        RabbitMqTransport.create(
                vertx,
                viaProxy,
                EventsTesting.fastConfig()
                    .withReconnect(Duration.ofSeconds(60), Duration.ofSeconds(60)),
                "it-sleepy")
            .start()
            .await(10, TimeUnit.SECONDS);
    RabbitMqTransport first = null;
    try {
      assertThatThrownBy(() -> sleepy.ready().await(10, TimeUnit.SECONDS))
          .hasMessageContaining("unavailable");
      proxy.restore();
      first =
          RabbitMqTransport.create(vertx, viaProxy, EventsTesting.fastConfig(), "it-first")
              .start()
              .await(10, TimeUnit.SECONDS);
      RabbitMqTransport f = first;
      await("the first connection", WAIT, () -> f.ready().succeeded());
      await("the sleeping connection, woken", WAIT, () -> sleepy.ready().succeeded());
      sleepy.publish(event()).await(10, TimeUnit.SECONDS);
    } finally {
      sleepy.close().await(10, TimeUnit.SECONDS);
      if (first != null) first.close().await(10, TimeUnit.SECONDS);
      proxy.close().await(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void aConnectionLeftOnAClosedVertxNeverStopsAnotherInstanceFromConnecting(Vertx vertx)
      throws Exception {
    Vertx gone = Vertx.vertx();
    RabbitMqTransport leftOpen =
        RabbitMqTransport.create(gone, amqp, EventsTesting.fastConfig(), "it-left-open")
            .start()
            .await(10, TimeUnit.SECONDS);
    assertThat(leftOpen.ready().await(10, TimeUnit.SECONDS)).isNull();
    gone.close().await(10, TimeUnit.SECONDS); // the transport itself is never closed

    RabbitMqTransport next =
        RabbitMqTransport.create(vertx, amqp, EventsTesting.fastConfig(), "it-next")
            .start()
            .await(10, TimeUnit.SECONDS);
    try {
      await("the next instance's connection", WAIT, () -> next.ready().succeeded());
      next.publish(event()).await(10, TimeUnit.SECONDS);
    } finally {
      next.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aSlowConnectDoesNotHoldUpTheOtherConnectionsOfItsVerticle(Vertx vertx) throws Exception {
    // A server that accepts and never answers: an AMQP handshake with it blocks for the
    // handshake timeout (5 s).
    Set<NetSocket> held = ConcurrentHashMap.newKeySet();
    NetServer silent =
        vertx
            .createNetServer()
            .connectHandler(held::add)
            .listen(0, "127.0.0.1")
            .await(5, TimeUnit.SECONDS);
    Context verticle = vertx.getOrCreateContext();
    RabbitMqTransport stuck = null;
    RabbitMqTransport fine = null;
    try {
      stuck =
          on(
              verticle,
              () ->
                  RabbitMqTransport.create(
                      vertx,
                      URI.create("amqp://guest:guest@127.0.0.1:" + silent.actualPort()),
                      EventsTesting.fastConfig(),
                      "it-stuck"));
      RabbitMqTransport s = stuck;
      on(verticle, s::start);
      await("the stuck handshake to begin", WAIT, () -> !held.isEmpty());
      fine =
          on(
              verticle,
              () -> RabbitMqTransport.create(vertx, amqp, EventsTesting.fastConfig(), "it-fine"));
      RabbitMqTransport f = fine;
      on(verticle, f::start);
      await("the other connection", WAIT, () -> f.ready().succeeded());
      // Had it waited for its turn, it would have connected only after the stuck handshake gave
      // up (seconds later); it did while that first attempt was still under way.
      assertThatThrownBy(() -> s.ready().await(10, TimeUnit.SECONDS))
          .hasMessageContaining("not connected yet");
    } finally {
      if (fine != null) fine.close().await(10, TimeUnit.SECONDS);
      if (stuck != null) stuck.close().await(10, TimeUnit.SECONDS);
      held.forEach(NetSocket::close);
      silent.close().await(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void aHangingHandshakeHoldsItsProcesssTurnToOpenOnlyBriefly(Vertx vertx) throws Exception {
    TcpProxy proxy =
        new TcpProxy(vertx, amqp.getHost(), amqp.getPort()).start().await(5, TimeUnit.SECONDS);
    URI viaProxy = EventsTesting.via(amqp, proxy);
    proxy.holdNext(1);
    // Its handshake hangs until the client gives up, holding the turn of this process's
    // connections to this address.
    RabbitMqTransport hanging =
        RabbitMqTransport.create(vertx, viaProxy, EventsTesting.fastConfig(), "it-hanging");
    RabbitMqTransport next = null;
    try {
      hanging.start();
      await(
          "the hanging handshake to hold the turn",
          WAIT,
          () -> AmqpOpenings.of(vertx, viaProxy.getHost() + ":" + viaProxy.getPort()).busy());
      next =
          RabbitMqTransport.create(vertx, viaProxy, EventsTesting.fastConfig(), "it-next")
              .start()
              .await(10, TimeUnit.SECONDS);
      RabbitMqTransport n = next;
      await("the next connection", WAIT, () -> n.ready().succeeded());
      // It got the turn after at most AmqpConnection.TURN_MS, not once the hanging attempt gave up.
      assertThatThrownBy(() -> hanging.ready().await(10, TimeUnit.SECONDS))
          .hasMessageContaining("not connected yet");
    } finally {
      if (next != null) next.close().await(10, TimeUnit.SECONDS);
      hanging.close().await(10, TimeUnit.SECONDS);
      proxy.close().await(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void aStalledCallOnOneConnectionDoesNotHoldUpAnotherOfItsVerticle(Vertx vertx) throws Exception {
    TcpProxy proxy =
        new TcpProxy(vertx, amqp.getHost(), amqp.getPort()).start().await(5, TimeUnit.SECONDS);
    Context verticle = vertx.getOrCreateContext();
    RabbitMqTransport stalled = null;
    RabbitMqTransport other = null;
    try {
      stalled =
          on(
              verticle,
              () ->
                  RabbitMqTransport.create(
                      vertx,
                      EventsTesting.via(amqp, proxy),
                      EventsTesting.fastConfig(),
                      "it-stalled"));
      other =
          on(
              verticle,
              () -> RabbitMqTransport.create(vertx, amqp, EventsTesting.fastConfig(), "it-other"));
      RabbitMqTransport s = stalled;
      RabbitMqTransport o = other;
      on(verticle, s::start).await(10, TimeUnit.SECONDS);
      on(verticle, o::start).await(10, TimeUnit.SECONDS);
      await("both connected", WAIT, () -> s.connected() && o.connected());

      proxy.stall();
      // Its broker no longer answers: the publish waits for a confirm (up to 10 s).
      Future<Void> waiting = on(verticle, () -> s.publish(event()));
      // The client orders blocking calls per calling context: made from the verticle's context,
      // this publish would have queued behind that wait.
      on(verticle, () -> o.publish(event())).await(3, TimeUnit.SECONDS);
      assertThat(waiting.isComplete()).as("the stalled publish still waits").isFalse();
      proxy.unstall();
      waiting.await(15, TimeUnit.SECONDS);
    } finally {
      if (other != null) other.close().await(10, TimeUnit.SECONDS);
      if (stalled != null) stalled.close().await(10, TimeUnit.SECONDS);
      proxy.close().await(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void aConsumerWhoseQueueVanishedWhileCutOffDeclaresItAgain(Vertx vertx) throws Exception {
    TcpProxy proxy =
        new TcpProxy(vertx, amqp.getHost(), amqp.getPort()).start().await(5, TimeUnit.SECONDS);
    RabbitMqTransport cutOff =
        RabbitMqTransport.create(
                vertx, EventsTesting.via(amqp, proxy), EventsTesting.fastConfig(), "it-vanished")
            .start()
            .await(10, TimeUnit.SECONDS);
    AtomicInteger received = new AtomicInteger();
    try {
      cutOff.subscribe(queue, List.of(type), counting(received)).await(10, TimeUnit.SECONDS);
      transport.publish(event()).await(10, TimeUnit.SECONDS);
      await("the first event", WAIT, () -> received.get() == 1);

      proxy.cut();
      // as a new broker would have it, or an ephemeral queue expired while its replica was away
      transport.deleteQueues(queue).await(10, TimeUnit.SECONDS);
      proxy.restore();
      // Events published before the queue is declared again reach no queue: publish until one
      // arrives.
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (received.get() < 2 && System.nanoTime() < deadline) {
        transport.publish(event()).await(10, TimeUnit.SECONDS);
        Thread.sleep(100);
      }
      assertThat(received.get()).as("events after the queue was declared again").isGreaterThan(1);
    } finally {
      cutOff.close().await(10, TimeUnit.SECONDS);
      proxy.close().await(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void aFailureLongAfterTheLastConnectionIsStillRetried(Vertx vertx) throws Exception {
    Set<UUID> failedOnce = ConcurrentHashMap.newKeySet();
    Set<UUID> done = ConcurrentHashMap.newKeySet();
    // A short expiry: its retry queues expire about 1.2 s after being declared, unless used.
    transport
        .subscribe(
            queue,
            List.of(type),
            e -> {
              if (failedOnce.add(e.id())) return Future.failedFuture("once");
              done.add(e.id());
              return Future.succeededFuture();
            },
            SubscribeOptions.DEFAULT.withEphemeral(Duration.ofSeconds(1)))
        .await(10, TimeUnit.SECONDS);
    String retryQueue = RabbitMqTransport.retryQueue(queue, 100);
    RabbitMQClient probe = RabbitMQClient.create(vertx, AmqpConnection.options(amqp, "probe"));
    try {
      probe.start().await(10, TimeUnit.SECONDS);
      // Checking is a passive declaration, which counts as use: look less often than it expires.
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (exists(probe, retryQueue)) {
        assertThat(System.nanoTime()).as("the unused retry queue expired").isLessThan(deadline);
        Thread.sleep(2000);
      }
    } finally {
      probe.stop().await(10, TimeUnit.SECONDS);
    }
    DomainEvent e = event();
    transport.publish(e).await(10, TimeUnit.SECONDS);
    await("the retried event", WAIT, () -> done.contains(e.id()));
  }

  private static boolean exists(RabbitMQClient probe, String queue) {
    try {
      probe.messageCount(queue).await(10, TimeUnit.SECONDS);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  /** A handler counting the events it gets into {@code received}. */
  private static Function<DomainEvent, Future<Void>> counting(AtomicInteger received) {
    return e -> {
      received.incrementAndGet();
      return Future.succeededFuture();
    };
  }

  /** Runs {@code action} on {@code context} and returns what its future completes with. */
  private static <T> T on(Context context, Supplier<T> action) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    context.runOnContext(
        v -> {
          try {
            result.complete(action.get());
          } catch (RuntimeException e) {
            result.completeExceptionally(e);
          }
        });
    return result.get(10, TimeUnit.SECONDS);
  }

  private long count(DeadLetters dl) {
    try {
      return dl.count(queue).await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
