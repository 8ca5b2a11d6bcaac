package dev.tarifa.shared.events;

import static dev.tarifa.shared.events.EventsTesting.await;
import static dev.tarifa.shared.events.EventsTesting.unique;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tarifa.shared.db.Postgres;
import dev.tarifa.shared.metrics.Metrics;
import dev.tarifa.shared.testing.TcpProxy;
import dev.tarifa.shared.testing.TestServers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Outbox relay and database idempotency against the real PostgreSQL and RabbitMQ. */
@ExtendWith(VertxExtension.class)
class OutboxRelayIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private URI amqp;
  private Pool pool;
  private RabbitMqTransport consumerSide;
  private String queue;
  private String type;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    amqp = TestServers.rabbitmq();
    URI db = TestServers.freshPostgresDatabase("tarifa_events_outbox_it");
    pool = Postgres.pool(vertx, db, 4);
    pool.query(resource("db/events/V2__outbox.sql")).execute().await(10, TimeUnit.SECONDS);
    pool.query(resource("db/outbox.sql")).execute().await(10, TimeUnit.SECONDS);
    pool.query(resource("db/processed_events.sql")).execute().await(10, TimeUnit.SECONDS);
    consumerSide =
        RabbitMqTransport.create(vertx, amqp, EventsTesting.fastConfig(), "it-consumer")
            .start()
            .await(10, TimeUnit.SECONDS);
    queue = unique("it.outbox");
    type = unique("it") + ".offer.changed";
  }

  @AfterEach
  void tearDown() throws Exception {
    if (consumerSide != null) {
      consumerSide.deleteQueues(queue).await(10, TimeUnit.SECONDS);
      consumerSide.close().await(10, TimeUnit.SECONDS);
    }
    if (pool != null) pool.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void eventsWrittenWhileTheBrokerIsAwayArePublishedOnceItIsBack(Vertx vertx) throws Exception {
    // Consumer side: a database handler made idempotent with processed_events.
    Set<UUID> distinct = ConcurrentHashMap.newKeySet();
    AtomicInteger deliveries = new AtomicInteger();
    consumerSide
        .subscribe(
            queue,
            List.of(type),
            e -> {
              deliveries.incrementAndGet();
              distinct.add(e.id());
              return pool.withTransaction(
                  tx -> ProcessedEvents.markProcessed(tx, queue, e.id()).mapEmpty());
            })
        .await(10, TimeUnit.SECONDS);

    TcpProxy proxy =
        new TcpProxy(vertx, amqp.getHost(), amqp.getPort()).start().await(5, TimeUnit.SECONDS);
    URI viaProxy = EventsTesting.via(amqp, proxy);
    RabbitMqTransport publisher =
        RabbitMqTransport.create(vertx, viaProxy, EventsTesting.fastConfig(), "it-relay")
            .start()
            .await(10, TimeUnit.SECONDS);
    String relayName = unique("relay");
    OutboxRelay relay =
        new OutboxRelay(
                vertx,
                relayName,
                new PgOutboxStore(pool),
                publisher,
                Duration.ofMillis(100),
                Duration.ofMillis(800),
                30)
            .start();
    try {
      assertThat(publisher.ready().await(10, TimeUnit.SECONDS)).isNull();
      proxy.cut();

      // 100 events written in 10 transactions while the broker is unreachable.
      List<UUID> written = new ArrayList<>();
      for (int t = 0; t < 10; t++) {
        List<DomainEvent> events = new ArrayList<>();
        for (int i = 0; i < 10; i++)
          events.add(
              DomainEvent.of(
                  type, List.of("route:FRA-JFK"), new JsonObject().put("i", t * 10 + i)));
        events.forEach(e -> written.add(e.id()));
        pool.withTransaction(
                tx -> Future.all(events.stream().map(e -> Outbox.append(tx, e)).toList()))
            .await(10, TimeUnit.SECONDS);
        relay.nudge();
      }

      // The relay waits for the broker instead of retrying: rows are still unsent, few attempts,
      // backlog exported.
      await(
          "the backlog gauge to show 100",
          WAIT,
          () -> gauge("tarifa.outbox.backlog", relayName) == 100);
      assertThat(scalar("SELECT coalesce(max(attempts), 0) FROM outbox"))
          .as("attempts per event during the outage")
          .isLessThanOrEqualTo(3);
      assertThat(scalar("SELECT count(*) FROM outbox WHERE published_at IS NULL")).isEqualTo(100);
      assertThat(distinct).isEmpty();

      proxy.restore();
      await("all 100 events to arrive", WAIT, () -> distinct.size() == 100);
      await(
          "the backlog gauge to drop to 0",
          WAIT,
          () -> gauge("tarifa.outbox.backlog", relayName) == 0);
      assertThat(distinct).containsExactlyInAnyOrderElementsOf(written);
      assertThat(scalar("SELECT count(*) FROM outbox WHERE published_at IS NULL")).isZero();
      // Each event had its effect exactly once, whatever the number of deliveries.
      await(
          "all deliveries to be handled",
          WAIT,
          () -> scalar("SELECT count(*) FROM processed_events") == 100);
      assertThat(deliveries.get()).isGreaterThanOrEqualTo(100);
      assertThat(gauge("tarifa.outbox.oldest.age", relayName)).isZero();
    } finally {
      relay.stop().await(10, TimeUnit.SECONDS);
      publisher.close().await(10, TimeUnit.SECONDS);
      proxy.close().await(5, TimeUnit.SECONDS);
    }
  }

  /**
   * With the default configuration (reconnect back-off, relay back-off), the backlog written during
   * an outage goes out as soon as the broker is reachable again, and the relay does not keep
   * retrying while it is away.
   */
  @Test
  void afterAnOutageTheBacklogIsDeliveredWithinASecondOrTwoOfTheBrokersReturn(Vertx vertx)
      throws Exception {
    Set<UUID> distinct = ConcurrentHashMap.newKeySet();
    consumerSide
        .subscribe(
            queue,
            List.of(type),
            e -> {
              distinct.add(e.id());
              return Future.succeededFuture();
            })
        .await(10, TimeUnit.SECONDS);

    TcpProxy proxy =
        new TcpProxy(vertx, amqp.getHost(), amqp.getPort()).start().await(5, TimeUnit.SECONDS);
    URI viaProxy = EventsTesting.via(amqp, proxy);
    EventsConfig defaults = EventsConfig.defaults();
    RabbitMqTransport publisher =
        RabbitMqTransport.create(vertx, viaProxy, defaults, "it-relay-return")
            .start()
            .await(10, TimeUnit.SECONDS);
    OutboxRelay relay =
        OutboxRelay.create(vertx, unique("relay"), new PgOutboxStore(pool), publisher, defaults)
            .start();
    try {
      assertThat(publisher.ready().await(10, TimeUnit.SECONDS)).isNull();
      proxy.cut();
      long cutAt = System.nanoTime();
      // 20 changes, each in its own transaction and nudging the relay, while the broker is
      // unreachable
      for (int i = 0; i < 20; i++) {
        DomainEvent e = DomainEvent.of(type, List.of("hotel:" + i), new JsonObject().put("i", i));
        pool.withTransaction(tx -> Outbox.append(tx, e)).await(10, TimeUnit.SECONDS);
        relay.nudge();
        Thread.sleep(100);
      }
      // an outage of about 6 s: the reconnect back-off has reached its cap
      Thread.sleep(Math.max(0, 6_000 - (System.nanoTime() - cutAt) / 1_000_000));
      assertThat(distinct).isEmpty();
      long attemptsDuringOutage = scalar("SELECT coalesce(max(attempts), 0) FROM outbox");

      proxy.restore();
      long restoredAt = System.nanoTime();
      await("all 20 events to arrive", WAIT, () -> distinct.size() == 20);
      long visibleMs = (System.nanoTime() - restoredAt) / 1_000_000;
      System.out.printf(
          "outbox relay: 20 events delivered %d ms after the broker's return; at most %d attempts per event during the outage%n",
          visibleMs, attemptsDuringOutage);
      assertThat(attemptsDuringOutage)
          .as("publish attempts per event during the outage")
          .isLessThanOrEqualTo(3);
      assertThat(visibleMs)
          .as("ms from the broker's return to all 20 events delivered (was 5.7-7.5 s)")
          .isLessThan(3_000);
      await(
          "every row marked sent",
          WAIT,
          () -> scalar("SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0);
    } finally {
      relay.stop().await(10, TimeUnit.SECONDS);
      publisher.close().await(10, TimeUnit.SECONDS);
      proxy.close().await(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void twoRelaysOnOneOutboxPublishEachEventOnce(Vertx vertx) throws Exception {
    Set<UUID> distinct = ConcurrentHashMap.newKeySet();
    AtomicInteger deliveries = new AtomicInteger();
    consumerSide
        .subscribe(
            queue,
            List.of(type),
            e -> {
              deliveries.incrementAndGet();
              distinct.add(e.id());
              return Future.succeededFuture();
            })
        .await(10, TimeUnit.SECONDS);
    List<DomainEvent> events = new ArrayList<>();
    for (int i = 0; i < 200; i++)
      events.add(DomainEvent.of(type, List.of(), new JsonObject().put("i", i)));
    pool.withTransaction(tx -> Future.all(events.stream().map(e -> Outbox.append(tx, e)).toList()))
        .await(10, TimeUnit.SECONDS);

    // Small batches so the two relays contend for rows many times.
    OutboxRelay a =
        new OutboxRelay(
                vertx,
                unique("relay-a"),
                new PgOutboxStore(pool),
                consumerSide,
                Duration.ofMillis(50),
                Duration.ofMillis(500),
                10)
            .start();
    OutboxRelay b =
        new OutboxRelay(
                vertx,
                unique("relay-b"),
                new PgOutboxStore(pool),
                consumerSide,
                Duration.ofMillis(50),
                Duration.ofMillis(500),
                10)
            .start();
    try {
      await("all 200 events", WAIT, () -> distinct.size() == 200);
      await(
          "every row marked sent",
          WAIT,
          () -> scalar("SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0);
    } finally {
      a.stop().await(10, TimeUnit.SECONDS);
      b.stop().await(10, TimeUnit.SECONDS);
    }
    // A barrier instead of a pause: a sentinel published after every relay publish was confirmed
    // queues behind them,
    // so once it is delivered, any duplicate a relay had sent has been delivered too.
    DomainEvent sentinel = DomainEvent.of(type, List.of(), new JsonObject().put("sentinel", true));
    consumerSide.publish(sentinel).await(10, TimeUnit.SECONDS);
    await("the sentinel", WAIT, () -> distinct.contains(sentinel.id()));
    assertThat(deliveries.get()).as("deliveries of the 200 events and the sentinel").isEqualTo(201);
  }

  @Test
  void theSameEventDeliveredTwiceChangesTheDatabaseOnce() throws Exception {
    pool.query("CREATE TABLE effects (n integer NOT NULL)")
        .execute()
        .compose(v -> pool.query("INSERT INTO effects VALUES (0)").execute())
        .await(10, TimeUnit.SECONDS);
    AtomicInteger calls = new AtomicInteger();
    consumerSide
        .subscribe(
            queue,
            List.of(type),
            e ->
                pool.withTransaction(
                        tx ->
                            ProcessedEvents.markProcessed(tx, queue, e.id())
                                .compose(
                                    first ->
                                        first
                                            ? tx.query("UPDATE effects SET n = n + 1")
                                                .execute()
                                                .mapEmpty()
                                            : Future.<Void>succeededFuture()))
                    .onComplete(ar -> calls.incrementAndGet()))
        .await(10, TimeUnit.SECONDS);

    DomainEvent e = DomainEvent.of(type, List.of(), new JsonObject());
    consumerSide.publish(e).await(10, TimeUnit.SECONDS);
    consumerSide.publish(e).await(10, TimeUnit.SECONDS);
    await("both deliveries", WAIT, () -> calls.get() == 2);
    assertThat(scalar("SELECT n FROM effects")).isEqualTo(1);
    assertThat(scalar("SELECT count(*) FROM processed_events WHERE event_id = '" + e.id() + "'"))
        .isEqualTo(1);
  }

  private long scalar(String sql) {
    try {
      Row r = pool.query(sql).execute().await(10, TimeUnit.SECONDS).iterator().next();
      return ((Number) r.getValue(0)).longValue();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static double gauge(String name, String relay) {
    var g = Metrics.registry().find(name).tag("relay", relay).gauge();
    return g == null ? -1 : g.value();
  }

  private static String resource(String path) throws Exception {
    try (InputStream in = OutboxRelayIT.class.getClassLoader().getResourceAsStream(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
