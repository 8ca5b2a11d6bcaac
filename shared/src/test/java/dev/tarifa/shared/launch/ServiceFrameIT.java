package dev.tarifa.shared.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tarifa.shared.config.Env;
import dev.tarifa.shared.events.DomainEvent;
import dev.tarifa.shared.events.EventsConfig;
import dev.tarifa.shared.events.OutboxStore;
import dev.tarifa.shared.http.Routers;
import dev.tarifa.shared.testing.TestServers;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The service frame: readiness checks, the order of its shutdown, and a PostgreSQL frame over the
 * real server.
 */
class ServiceFrameIT {
  private Vertx vertx;
  private HttpClient client;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    client = vertx.createHttpClient();
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /**
   * An outbox whose first claim stays open until {@link #finishCycle} is called, recording when it
   * ends.
   */
  static final class HeldOutbox implements OutboxStore {
    final List<String> log;
    final Promise<Void> release = Promise.promise();
    volatile boolean claimed;

    HeldOutbox(List<String> log) {
      this.log = log;
    }

    @Override
    public <T> Future<T> withUnsent(int limit, Function<Batch, Future<T>> work) {
      if (claimed) return work.apply(empty());
      claimed = true;
      return release
          .future()
          .compose(v -> work.apply(empty()))
          .onComplete(ar -> log.add("relay cycle ended"));
    }

    void finishCycle() {
      release.complete();
    }

    @Override
    public Future<Backlog> backlog() {
      return Future.succeededFuture(new Backlog(0, Optional.empty()));
    }

    private static Batch empty() {
      return new Batch() {
        @Override
        public List<DomainEvent> events() {
          return List.of();
        }

        @Override
        public Future<Void> markSent(List<UUID> ids) {
          return Future.succeededFuture();
        }

        @Override
        public Future<Void> markFailed(List<UUID> ids, String error) {
          return Future.succeededFuture();
        }
      };
    }
  }

  /**
   * A service verticle over a frame of the test's own datastore (check {@code store}) and an outbox
   * held open.
   */
  static final class HeldVerticle extends ServiceVerticle {
    final HeldOutbox outbox;

    HeldVerticle(HeldOutbox outbox, AtomicReference<String> storeState) {
      super(
          0,
          v ->
              ServiceFrame.of(
                  v,
                  "frame-it",
                  "store",
                  () ->
                      "open".equals(storeState.get())
                          ? Future.succeededFuture()
                          : Future.failedFuture("store " + storeState.get()),
                  () -> {
                    outbox.log.add("datastore closed");
                    storeState.set("closed");
                    return Future.succeededFuture();
                  }));
      this.outbox = outbox;
    }

    @Override
    protected Future<Router> router(ServiceFrame frame) {
      return frame
          .startEvents(EventsConfig.defaults(), outbox, List.of())
          .map(f -> Routers.create(vertx, f.health()));
    }
  }

  @Test
  void readinessHasTheDatastoreCheckAndTheEventsStatus() throws Exception {
    AtomicReference<String> store = new AtomicReference<>("open");
    HeldOutbox outbox = new HeldOutbox(new CopyOnWriteArrayList<>());
    HeldVerticle verticle = new HeldVerticle(outbox, store);
    vertx.deployVerticle(verticle).await(10, TimeUnit.SECONDS);

    JsonObject ready = get(verticle.actualPort(), "/health/ready", 200);
    assertThat(ids(ready.getJsonArray("checks"))).containsExactlyInAnyOrder("store", "events");

    store.set("down");
    JsonObject notReady = get(verticle.actualPort(), "/health/ready", 503);
    assertThat(notReady.encode()).contains("store down");
    outbox.finishCycle();
  }

  @Test
  void shutdownWaitsForTheRelaysCycleAndClosesTheDatastoreLast() throws Exception {
    List<String> log = new CopyOnWriteArrayList<>();
    HeldOutbox outbox = new HeldOutbox(log);
    AtomicReference<String> store = new AtomicReference<>("open");
    HeldVerticle verticle = new HeldVerticle(outbox, store);
    String id = vertx.deployVerticle(verticle).await(10, TimeUnit.SECONDS);
    int port = verticle.actualPort();
    waitFor(() -> outbox.claimed, "the relay's first cycle claims");

    Future<Void> undeployed = vertx.undeploy(id);
    // the server stops accepting first; the relay's cycle is still open, so the frame is not closed
    // yet
    waitFor(() -> refuses(port), "the server stops accepting");
    assertThat(log).as("nothing closed while the relay's cycle runs").isEmpty();
    outbox.finishCycle();
    undeployed.await(10, TimeUnit.SECONDS);

    assertThat(log).containsExactly("relay cycle ended", "datastore closed");
  }

  @Test
  void aFrameOverAnotherDatastoreHasNoPoolAndItsEventsStartOnce() throws Exception {
    ServiceFrame frame =
        ServiceFrame.of(
            vertx, "frame-it", "store", Future::succeededFuture, Future::succeededFuture);
    assertThatThrownBy(frame::pool)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no PostgreSQL pool");
    assertThatThrownBy(frame::relay)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("events not started");
    assertThatThrownBy(() -> frame.startEvents(EventsConfig.defaults()))
        .isInstanceOf(IllegalStateException.class);

    HeldOutbox outbox = new HeldOutbox(new ArrayList<>());
    outbox.finishCycle();
    frame.startEvents(EventsConfig.defaults(), outbox, List.of()).await(10, TimeUnit.SECONDS);
    assertThat(frame.transport()).isNotNull();
    assertThatThrownBy(() -> frame.startEvents(EventsConfig.defaults(), outbox, List.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already started");
    frame.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aPostgresFrameMigratesTheSharedOutboxServesAndClosesItsPool() throws Exception {
    URI url = TestServers.freshPostgresDatabase("tarifa_service_frame_it");
    ServiceConfig config = new ServiceConfig("service_frame_it", 0, url, 2);
    ServiceFrame.prepareDatabase(vertx, config).await(60, TimeUnit.SECONDS);

    ServiceFrame frame = ServiceFrame.postgres(vertx, config);
    Pool pool = frame.pool();
    List<String> scripts = new ArrayList<>();
    for (Row r :
        pool.query("SELECT script FROM flyway_schema_history WHERE success ORDER BY installed_rank")
            .execute()
            .await(10, TimeUnit.SECONDS)) {
      scripts.add(r.getString(0));
    }
    assertThat(scripts)
        .as("the outbox migration every PostgreSQL service shares")
        .contains("V2__outbox.sql");
    // the outbox as the relay reads it: empty
    assertThat(
            pool.query("SELECT count(*) FROM outbox WHERE published_at IS NULL")
                .execute()
                .await(10, TimeUnit.SECONDS)
                .iterator()
                .next()
                .getLong(0))
        .isZero();

    frame.close().await(10, TimeUnit.SECONDS);
    assertThatThrownBy(() -> pool.query("SELECT 1").execute().await(10, TimeUnit.SECONDS))
        .as("the pool is closed")
        .isNotNull();
  }

  @Test
  void serviceConfigReadsTheServicesKeysAndRedactsThePassword() throws Exception {
    var env =
        Env.of(
            Map.of(
                "TARIFA_DEMO_PORT",
                "9001",
                "TARIFA_DEMO_PG_URL",
                "postgresql://app:secret@db:5432/demo",
                "TARIFA_DEMO_PG_POOL",
                "3"));
    ServiceConfig c = ServiceConfig.fromEnv(env, "demo", 8099);
    assertThat(c.port()).isEqualTo(9001);
    assertThat(c.poolSize()).isEqualTo(3);
    assertThat(c.pgUrl()).isEqualTo(URI.create("postgresql://app:secret@db:5432/demo"));
    assertThat(c.toString()).doesNotContain("secret");
    assertThat(ServiceConfig.fromEnv(Env.of(Map.of()), "demo", 8099).pgUrl())
        .isEqualTo(URI.create("postgresql://postgres@127.0.0.1:5432/tarifa_demo"));
    assertThatThrownBy(
            () -> ServiceConfig.fromEnv(env.with("TARIFA_DEMO_PG_POOL", "0"), "demo", 8099))
        .hasMessage("TARIFA_DEMO_PG_POOL: must be between 1 and 100, got 0");
  }

  private JsonObject get(int port, String path, int status) throws Exception {
    return client
        .request(HttpMethod.GET, port, "127.0.0.1", path)
        .compose(
            req ->
                req.send()
                    .compose(
                        res -> {
                          assertThat(res.statusCode()).as(path).isEqualTo(status);
                          return res.body();
                        }))
        .map(Buffer::toJsonObject)
        .await(10, TimeUnit.SECONDS);
  }

  private static List<String> ids(JsonArray checks) {
    List<String> out = new ArrayList<>();
    checks.forEach(c -> out.add(((JsonObject) c).getString("id")));
    return out;
  }

  private boolean refuses(int port) {
    HttpClient fresh = vertx.createHttpClient();
    try {
      fresh
          .request(HttpMethod.GET, port, "127.0.0.1", "/health/live")
          .compose(r -> r.send())
          .map(HttpClientResponse::statusCode)
          .await(2, TimeUnit.SECONDS);
      return false;
    } catch (Exception e) {
      return true;
    } finally {
      fresh.close();
    }
  }

  private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting until " + what);
      Thread.sleep(10);
    }
  }
}
