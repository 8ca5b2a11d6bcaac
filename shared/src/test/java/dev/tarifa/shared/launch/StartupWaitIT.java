package dev.tarifa.shared.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tarifa.shared.config.ConfigException;
import dev.tarifa.shared.db.Postgres;
import dev.tarifa.shared.health.Health;
import dev.tarifa.shared.http.Routers;
import dev.tarifa.shared.testing.TcpProxy;
import dev.tarifa.shared.testing.TestServers;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The start-up rule: a service whose PostgreSQL is unreachable waits for it (alive, not ready,
 * saying so in the log) and becomes ready without a restart once it is reachable; other failures
 * end the start at once.
 */
class StartupWaitIT {
  Vertx vertx;
  Vertx clientVertx;
  WebClient client;
  ListAppender<ILoggingEvent> log;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    clientVertx = Vertx.vertx();
    // A new connection per probe, as the kubelet's: a kept-alive one to the stand-in is closed when
    // the service's own server takes over the port.
    client = WebClient.create(clientVertx, new WebClientOptions().setKeepAlive(false));
    log = new ListAppender<>();
    log.start();
    ((Logger) LoggerFactory.getLogger(StartupWait.class)).addAppender(log);
  }

  @AfterEach
  void tearDown() throws Exception {
    ((Logger) LoggerFactory.getLogger(StartupWait.class)).detachAppender(log);
    vertx.close().await(10, TimeUnit.SECONDS);
    clientVertx.close().await(10, TimeUnit.SECONDS);
  }

  /**
   * A service whose preparation is {@code prepareWith} and whose verticle runs {@code startWith}
   * before serving health on {@code port}.
   */
  record DbService(
      Function<Vertx, Future<Void>> prepareWith,
      Function<Vertx, Future<Void>> startWith,
      int port,
      AtomicInteger attempts)
      implements TarifaService {
    /** Prepares its database through {@code url}. */
    DbService(URI url, int port, AtomicInteger attempts) {
      this(v -> Postgres.ensureDatabase(v, url), v -> Future.succeededFuture(), port, attempts);
    }

    @Override
    public String name() {
      return "waiter";
    }

    @Override
    public Future<Void> prepare(Vertx vertx) {
      attempts.incrementAndGet();
      return prepareWith.apply(vertx);
    }

    @Override
    public Supplier<Deployable> verticle() {
      return () ->
          new HttpVerticle() {
            @Override
            protected Future<Router> router() {
              return startWith.apply(vertx).map(v -> Routers.create(vertx, new Health(vertx)));
            }

            @Override
            protected int port() {
              return port;
            }
          };
    }

    @Override
    public int instances() {
      return 1;
    }
  }

  @Test
  void waitsNotReadyWhileThePostgresIsUnreachableThenBecomesReadyWithoutARestart()
      throws Exception {
    URI pg = TestServers.postgres();
    TcpProxy proxy =
        new TcpProxy(vertx, pg.getHost(), pg.getPort()).start().await(5, TimeUnit.SECONDS);
    proxy.cut();
    URI through = URI.create(pg.toString().replace(":" + pg.getPort(), ":" + proxy.port()));
    int port = freePort();
    AtomicInteger attempts = new AtomicInteger();
    Future<Void> started =
        ServiceLauncher.deploy(
            vertx,
            java.util.List.of(
                new DbService(
                    Postgres.withDatabase(through, "tarifa_startup_wait_it"), port, attempts)));

    // Waiting: alive, not ready, and the log says so (with the cause).
    await(() -> attempts.get() >= 2 || started.isComplete());
    assertThat(started.isComplete()).as("start ended: %s", started.cause()).isFalse();
    await(() -> attempts.get() >= 2);
    assertThat(started.isComplete()).isFalse();
    assertThat(status(port, "/health/live")).isEqualTo(200);
    assertThat(status(port, "/health/ready")).isEqualTo(503);
    assertThat(log.list)
        .anySatisfy(
            e ->
                assertThat(e.getFormattedMessage())
                    .startsWith("waiter: waiting for its datastore, not ready:")
                    .contains("retrying in"));

    // Reachable again: ready, same process, no restart.
    proxy.restore();
    started.await(30, TimeUnit.SECONDS);
    // The service's own health handler now (204: up, no checks registered in this test service).
    assertThat(status(port, "/health/ready")).isBetween(200, 204);
    assertThat(status(port, "/health/live")).isEqualTo(200);
    assertThat(log.list)
        .anySatisfy(
            e ->
                assertThat(e.getFormattedMessage())
                    .startsWith("waiter: datastore reachable after"));
  }

  @Test
  void aPoolThatTimesOutWaitingForAConnectionIsWaitedOutNotFatal() throws Exception {
    // A server that is reachable but too slow to hand out a connection: the pool's one connection
    // is held here, so every acquisition of the service's prepare times out after 200 ms.
    Pool pool = slowPool();
    try {
      SqlConnection held = hold(pool);
      int port = freePort();
      AtomicInteger attempts = new AtomicInteger();
      TarifaService slow =
          new DbService(
              v -> pool.query("SELECT 1").execute().mapEmpty(),
              v -> Future.succeededFuture(),
              port,
              attempts);
      Future<Void> started = ServiceLauncher.deploy(vertx, java.util.List.of(slow));

      await(() -> attempts.get() >= 2 || started.isComplete());
      assertThat(started.isComplete()).as("start ended: %s", started.cause()).isFalse();
      assertThat(status(port, "/health/live")).isEqualTo(200);
      assertThat(status(port, "/health/ready")).isEqualTo(503);
      assertThat(log.list)
          .anySatisfy(
              e ->
                  assertThat(e.getFormattedMessage())
                      .startsWith("waiter: waiting for its datastore, not ready:")
                      .contains("Timeout waiting for connection"));

      // The connection is free again: the next attempt gets it and the service becomes ready.
      held.close().await(5, TimeUnit.SECONDS);
      started.await(30, TimeUnit.SECONDS);
      assertThat(status(port, "/health/ready")).isBetween(200, 204);
      assertThat(log.list)
          .anySatisfy(
              e ->
                  assertThat(e.getFormattedMessage())
                      .startsWith("waiter: datastore reachable after"));
    } finally {
      pool.close().await(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void aDatastoreTooSlowWhileTheVerticlesStartIsWaitedOutToo() throws Exception {
    // Prepared, but the verticle reads the database while it starts (as the flights read model
    // does) and its pool gives up waiting for a connection (the pool's own exception, as the test
    // above gets it from a real pool): the deployment fails, Vert.x rolls it back, and it is tried
    // again until the database answers in time.
    int port = freePort();
    AtomicInteger starts = new AtomicInteger();
    java.util.concurrent.atomic.AtomicBoolean slow =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    TarifaService service =
        new DbService(
            v -> Future.succeededFuture(),
            v -> {
              starts.incrementAndGet();
              return slow.get()
                  ? Future.failedFuture(
                      new io.vertx.core.VertxException("Timeout waiting for connection", true))
                  : Future.succeededFuture();
            },
            port,
            new AtomicInteger());
    Future<Void> started = ServiceLauncher.deploy(vertx, java.util.List.of(service));

    await(() -> starts.get() >= 2 || started.isComplete());
    assertThat(started.isComplete()).as("start ended: %s", started.cause()).isFalse();
    assertThat(status(port, "/health/live")).isEqualTo(200);
    assertThat(status(port, "/health/ready")).isEqualTo(503);
    assertThat(log.list)
        .anySatisfy(
            e ->
                assertThat(e.getFormattedMessage())
                    .startsWith("waiter: waiting for its datastore, not ready:")
                    .contains("Timeout waiting for connection"));

    slow.set(false);
    started.await(30, TimeUnit.SECONDS);
    // The service's own server now: the stand-in shared the port with it until it listened.
    assertThat(status(port, "/health/ready")).isBetween(200, 204);
    assertThat(log.list)
        .anySatisfy(
            e ->
                assertThat(e.getFormattedMessage())
                    .startsWith("waiter: datastore reachable after")
                    .endsWith(": started"));
  }

  @Test
  void aRefusalThatIsNotUnreachabilityEndsTheStartAtOnce() throws Exception {
    int port = freePort();
    AtomicInteger attempts = new AtomicInteger();
    // A datastore that answers and refuses (no such role): no retry, the start fails with the
    // cause.
    URI pg = TestServers.postgres();
    URI noSuchRole =
        URI.create(
            "postgresql://no_such_role_startup:x@"
                + pg.getHost()
                + ":"
                + pg.getPort()
                + "/tarifa_startup_wait_it");
    assertThatThrownBy(
            () ->
                ServiceLauncher.deploy(
                        vertx, java.util.List.of(new DbService(noSuchRole, port, attempts)))
                    .await(20, TimeUnit.SECONDS))
        .hasMessageStartingWith("waiter: ")
        .hasMessageContaining("no_such_role_startup");
    assertThat(attempts.get()).isEqualTo(1);
    // A configuration error: no retry.
    attempts.set(0);
    TarifaService misconfigured =
        new TarifaService() {
          public String name() {
            return "bad";
          }

          public int port() {
            return port;
          }

          public Future<Void> prepare(Vertx v) {
            attempts.incrementAndGet();
            return Future.failedFuture(new ConfigException("TARIFA_X", "broken"));
          }

          public Supplier<Deployable> verticle() {
            throw new AssertionError("not deployed");
          }
        };
    long t0 = System.nanoTime();
    assertThatThrownBy(
            () ->
                ServiceLauncher.deploy(vertx, java.util.List.of(misconfigured))
                    .await(10, TimeUnit.SECONDS))
        .isInstanceOf(ConfigException.class);
    assertThat(attempts.get()).isEqualTo(1);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(2000);
  }

  @Test
  void classifiesUnreachableDatastores() {
    assertThat(
            StartupWait.isUnreachable(
                new RuntimeException("x", new ConnectException("Connection refused"))))
        .isTrue();
    assertThat(StartupWait.isUnreachable(new java.sql.SQLException("no connection", "08001")))
        .isTrue();
    assertThat(StartupWait.isUnreachable(new java.sql.SQLException("bad password", "28P01")))
        .isFalse();
    assertThat(
            StartupWait.isUnreachable(
                new io.vertx.core.VertxException("Timeout waiting for connection", true)))
        .isTrue();
    assertThat(
            StartupWait.isUnreachable(
                new io.vertx.pgclient.PgException(
                    "database \"nope\" does not exist", "FATAL", "3D000", null)))
        .isFalse();
    assertThat(StartupWait.isUnreachable(new ConfigException("TARIFA_X", "broken"))).isFalse();
    assertThat(StartupWait.isUnreachable(new java.net.BindException("Address already in use")))
        .isFalse();
  }

  /** A pool of one connection that gives up waiting for it after 200 ms. */
  private Pool slowPool() {
    return PgBuilder.pool()
        .with(
            new PoolOptions()
                .setMaxSize(1)
                .setConnectionTimeout(200)
                .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS))
        .connectingTo(Postgres.connectOptions(TestServers.postgres()))
        .using(vertx)
        .build();
  }

  /**
   * The pool's only connection; opening it may itself outlast the 200 ms on a busy machine, so it
   * is tried again, within 20 s.
   */
  private static SqlConnection hold(Pool pool) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      try {
        return pool.getConnection().await(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        if (System.nanoTime() > deadline) throw e;
      }
    }
  }

  private int status(int port, String path) throws Exception {
    return client.get(port, "127.0.0.1", path).send().await(5, TimeUnit.SECONDS).statusCode();
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void await(java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 20 s").isLessThan(deadline);
      Thread.sleep(20);
    }
  }
}
