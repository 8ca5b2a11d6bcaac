package dev.tarifa.shared.launch;

import dev.tarifa.shared.db.Postgres;
import dev.tarifa.shared.events.EventRetention;
import dev.tarifa.shared.events.EventSubscriber;
import dev.tarifa.shared.events.EventTransport;
import dev.tarifa.shared.events.EventTransports;
import dev.tarifa.shared.events.EventsConfig;
import dev.tarifa.shared.events.OutboxRelay;
import dev.tarifa.shared.events.OutboxStore;
import dev.tarifa.shared.events.PgOutboxStore;
import dev.tarifa.shared.events.RatingsConsumer;
import dev.tarifa.shared.health.Health;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every service verticle instance sets up around its routes, and takes down in order: its
 * datastore client, its {@link Health}, and optionally its event machinery (transport, outbox
 * relay, retention). A verticle composes one frame, creates it in {@link HttpVerticle#router()} and
 * returns {@link #close()} from {@link HttpVerticle#closeResources()} ({@link ServiceVerticle} does
 * both); the once-per-process work (waiting for the datastore with {@link StartupWait}, creating
 * and migrating the database with {@link #prepareDatabase}) happens before, in the service's {@link
 * TarifaService#prepare}.
 *
 * <p><b>Start.</b> {@link #postgres} opens the instance's pool ({@link Postgres#pool}, sized by
 * {@link ServiceConfig#poolSize()}) and registers the readiness check {@code postgres} ({@code
 * SELECT 1}); {@link #of} does the same for a datastore of the caller's (the reviews service's
 * MongoDB). Neither connects: the first query does. {@link #startEvents(EventsConfig)} then creates
 * the event transport ({@link EventTransports#create}: RabbitMQ when configured, else the event
 * bus), registers its readiness status {@code events} (never failing readiness, see {@link
 * EventTransports#registerReadiness}), and starts an {@link OutboxRelay} and an {@link
 * EventRetention} over the service's outbox. Everything is labelled with the service's name.
 *
 * <p><b>Shutdown.</b> {@link HttpVerticle} first stops the HTTP server accepting and lets in-flight
 * requests finish (so their outbox rows are committed); then {@link #close()} stops, each after the
 * previous one completed (successfully or not): the relay (after its running cycle), the retention
 * (after its batch in flight), the transport (its subscriptions and connections), and last the
 * datastore client, which the relay, the retention and the consumers use until then. Parts that
 * were never started are skipped.
 *
 * <p><b>Threading.</b> A frame belongs to one verticle instance: create it, start it and close it
 * on that verticle's context. The relay and the retention run on that context; {@link
 * OutboxRelay#nudge()} may be called from any thread.
 */
public final class ServiceFrame {
  /**
   * The location, under {@code classpath:db/}, of the migrations of the event machinery that every
   * PostgreSQL service runs with its own ({@link #prepareDatabase}). Its scripts keep the names and
   * bytes they had when each service carried a copy, so that databases migrated then still validate
   * (Flyway compares checksums).
   */
  public static final String EVENTS_MIGRATIONS = "events";

  private static final Logger log = LoggerFactory.getLogger(ServiceFrame.class);

  private final Vertx vertx;
  private final String name;
  private final Health health;
  private final Pool pool;
  private final Supplier<Future<Void>> closeDatastore;
  private EventTransport transport;
  private OutboxRelay relay;
  private EventRetention retention;
  private boolean eventsStarted;

  private ServiceFrame(Vertx vertx, String name, Pool pool, Supplier<Future<Void>> closeDatastore) {
    this.vertx = vertx;
    this.name = name;
    this.health = new Health(vertx, name);
    this.pool = pool;
    this.closeDatastore = closeDatastore;
  }

  /**
   * Once per process, before any verticle starts: creates the service's database when missing and
   * runs its migrations, over JDBC on a worker thread ({@link Postgres#prepare(Vertx, URI, List)}):
   * the service's own under {@code classpath:db/<name>} and the event machinery's every PostgreSQL
   * service shares under {@code classpath:db/}{@value #EVENTS_MIGRATIONS} ({@code V2__outbox.sql};
   * the services number their own scripts around it). Fails with the connection's error when the
   * server cannot be reached, which {@link StartupWait} recognises and waits out.
   */
  public static Future<Void> prepareDatabase(Vertx vertx, ServiceConfig config) {
    return Postgres.prepare(vertx, config.pgUrl(), List.of(config.name(), EVENTS_MIGRATIONS));
  }

  /**
   * A frame over a new pool of the service's database ({@code config.poolSize()} connections, not
   * connected yet) with readiness check {@code postgres}. Call on the verticle's context.
   */
  public static ServiceFrame postgres(Vertx vertx, ServiceConfig config) {
    Pool pool = Postgres.pool(vertx, config.pgUrl(), config.poolSize());
    ServiceFrame frame = new ServiceFrame(vertx, config.name(), pool, pool::close);
    frame.health.check("postgres", () -> pool.query("SELECT 1").execute());
    return frame;
  }

  /**
   * A frame over a datastore client of the caller's: readiness check {@code check} is up while
   * {@code probe} succeeds within {@link Health#CHECK_TIMEOUT_MS}, and {@code close} closes the
   * client last in {@link #close()}. Such a frame has no {@link #pool()}; its events start with
   * {@link #startEvents(EventsConfig, OutboxStore, List)}.
   *
   * @param name the service's name (labels, as {@link ServiceConfig#name()})
   * @param check the readiness check's name ({@code mongodb}, ...)
   */
  public static ServiceFrame of(
      Vertx vertx,
      String name,
      String check,
      Supplier<Future<?>> probe,
      Supplier<Future<Void>> close) {
    ServiceFrame frame =
        new ServiceFrame(
            vertx,
            Objects.requireNonNull(name, "name"),
            null,
            Objects.requireNonNull(close, "close"));
    frame.health.check(check, probe);
    return frame;
  }

  /**
   * The PostgreSQL service's events: {@link #startEvents(EventsConfig, OutboxStore, List)} over its
   * {@code outbox} table ({@link PgOutboxStore}), with the retention of its {@code outbox} and
   * {@code processed_events} tables ({@link EventRetention#forPostgres}; both tables must exist).
   *
   * @throws IllegalStateException if this frame has no pool, or if the events were started already
   */
  public Future<ServiceFrame> startEvents(EventsConfig events) {
    Pool pool = pool();
    return startEvents(
        events,
        new PgOutboxStore(pool),
        () -> EventRetention.forPostgres(vertx, name, pool, events));
  }

  /**
   * Creates the event transport, registers its readiness status {@code events}, and starts a relay
   * of {@code outbox} (nudged through {@link #relay()}) and the retention of {@code
   * retentionTargets} (at the default interval, first delay and batch size). Completes with this
   * frame once the transport is created: with a broker that is down it still completes (the
   * transport reconnects in the background); it fails only on a configuration error. Call once, on
   * the verticle's context.
   *
   * @throws IllegalStateException if the events were started already
   */
  public Future<ServiceFrame> startEvents(
      EventsConfig events, OutboxStore outbox, List<EventRetention.Target> retentionTargets) {
    return startEvents(
        events,
        outbox,
        () ->
            new EventRetention(
                vertx,
                name,
                retentionTargets,
                EventRetention.DEFAULT_INTERVAL,
                EventRetention.DEFAULT_FIRST_DELAY,
                EventRetention.DEFAULT_BATCH));
  }

  private Future<ServiceFrame> startEvents(
      EventsConfig events, OutboxStore outbox, Supplier<EventRetention> retention) {
    if (eventsStarted) throw new IllegalStateException(name + ": events already started");
    eventsStarted = true;
    return EventTransports.create(vertx, events, name)
        .map(
            t -> {
              transport = t;
              EventTransports.registerReadiness(health, t);
              relay = OutboxRelay.create(vertx, name, outbox, t, events).start();
              this.retention = retention.get().start();
              return this;
            });
  }

  /**
   * Subscribes a consumer to the transport in the background: a broker that is down at start-up is
   * not a start-up failure (the subscription keeps reconnecting), so a failure is logged at WARN as
   * {@code "<service>: <what> not running yet"} and the start goes on.
   *
   * @param what the consumer, as the log names it ({@code "hotel ratings consumer"})
   * @param subscribe subscribes the consumer to the given subscriber ({@code consumer::subscribe})
   * @throws IllegalStateException if the events were not started
   */
  public void subscribe(String what, Function<EventSubscriber, Future<?>> subscribe) {
    subscribe
        .apply(transport())
        .onFailure(e -> log.warn("{}: {} not running yet: {}", name, what, e.getMessage()));
  }

  /**
   * Subscribes a consumer of the review events kept as ratings, in the background as {@link
   * #subscribe(String, Function)} does: a failure is logged as {@code "<service>: ratings consumer
   * on <queue> not running yet"}.
   *
   * @throws IllegalStateException if the events were not started
   */
  public void subscribeRatings(RatingsConsumer<?> consumer) {
    subscribe("ratings consumer on " + consumer.queue(), consumer::subscribe);
  }

  /** The service's name. */
  public String name() {
    return name;
  }

  /**
   * The instance's health, with its datastore's readiness check (and {@code events} once started).
   */
  public Health health() {
    return health;
  }

  /**
   * The instance's pool.
   *
   * @throws IllegalStateException if this frame was not created by {@link #postgres}
   */
  public Pool pool() {
    if (pool == null) throw new IllegalStateException(name + ": this frame has no PostgreSQL pool");
    return pool;
  }

  /**
   * The event transport (publisher and subscriber).
   *
   * @throws IllegalStateException if the events were not started
   */
  public EventTransport transport() {
    if (transport == null) throw new IllegalStateException(name + ": events not started");
    return transport;
  }

  /**
   * The outbox relay; stores call its {@link OutboxRelay#nudge() nudge} after a write that appended
   * events.
   *
   * @throws IllegalStateException if the events were not started
   */
  public OutboxRelay relay() {
    if (relay == null) throw new IllegalStateException(name + ": events not started");
    return relay;
  }

  /**
   * Stops and closes, in order and each after the previous one completed: the relay, the retention,
   * the transport, the datastore client (see the class comment). The returned future completes when
   * all are done; it fails with the first failure, the later steps running nonetheless. Call once,
   * from {@link HttpVerticle#closeResources()}.
   */
  public Future<Void> close() {
    Future<Void> stopped = relay == null ? Future.succeededFuture() : relay.stop();
    return stopped
        .eventually(() -> retention == null ? Future.succeededFuture() : retention.stop())
        .eventually(() -> transport == null ? Future.succeededFuture() : transport.close())
        .eventually(closeDatastore);
  }
}
