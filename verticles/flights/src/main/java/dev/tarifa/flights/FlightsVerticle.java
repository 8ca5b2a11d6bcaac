package dev.tarifa.flights;

import dev.tarifa.flights.api.FlightsRouter;
import dev.tarifa.flights.store.AdminStore;
import dev.tarifa.flights.store.FlightReadModel;
import dev.tarifa.flights.store.FlightStore;
import dev.tarifa.shared.auth.JwtVerifier;
import dev.tarifa.shared.db.Postgres;
import dev.tarifa.shared.events.EventRetention;
import dev.tarifa.shared.events.EventTransport;
import dev.tarifa.shared.events.EventTransports;
import dev.tarifa.shared.events.OutboxRelay;
import dev.tarifa.shared.events.PgOutboxStore;
import dev.tarifa.shared.health.Health;
import dev.tarifa.shared.launch.HttpVerticle;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

/**
 * HTTP verticle of the flights service. Per instance: its pool, its event transport, an outbox relay (nudged after
 * every admin write), a consumer of the review events on the shared durable airline ratings queue, and the retention
 * that deletes expired outbox and processed_events rows ({@link EventRetention}).
 */
public final class FlightsVerticle extends HttpVerticle {
  private static final Logger log = LoggerFactory.getLogger(FlightsVerticle.class);
  private final FlightsConfig config;
  private Pool pool;
  private EventTransport transport;
  private OutboxRelay relay;
  private EventRetention retention;
  private FlightReadModel model;

  public FlightsVerticle(FlightsConfig config) {
    this.config = config;
  }

  @Override
  protected Future<Router> router() {
    pool = Postgres.pool(vertx, config.pgUrl(), config.poolSize());
    Health health = new Health(vertx, "flights").check("postgres", () -> pool.query("SELECT 1").execute());
    JwtVerifier auth = JwtVerifier.create(vertx, config.auth());
    return FlightReadModel.acquire(vertx, config.pgUrl()).compose(m -> {
      model = m;
      return EventTransports.create(vertx, config.events(), "flights");
    }).compose(t -> {
      FlightStore store = new FlightStore(pool, model);
      transport = t;
      EventTransports.registerReadiness(health, transport);
      relay = OutboxRelay.create(vertx, "flights", new PgOutboxStore(pool), transport, config.events()).start();
      retention = EventRetention.forPostgres(vertx, "flights", pool, config.events()).start();
      // A broker that is down at start-up: the subscription keeps reconnecting in the background.
      store.ratingsConsumer(config.ratingsQueue()).subscribe(transport)
        .onFailure(e -> log.warn("airline ratings consumer not running yet: {}", e.getMessage()));
      return store.reference().map(ref ->
        new FlightsRouter(vertx, health, store, new AdminStore(pool, ref, relay::nudge, model::refresh), ref, auth, Clock.systemUTC()).router());
    });
  }

  @Override
  protected int port() {
    return config.port();
  }

  @Override
  protected Future<?> closeResources() {
    Future<Void> stopped = relay == null ? Future.succeededFuture() : relay.stop();
    return stopped
      .eventually(() -> retention == null ? Future.succeededFuture() : retention.stop())
      .eventually(() -> transport == null ? Future.succeededFuture() : transport.close())
      .eventually(() -> model == null ? Future.succeededFuture() : FlightReadModel.release(vertx, config.pgUrl()))
      .eventually(() -> pool == null ? Future.succeededFuture() : pool.close());
  }
}
