package dev.tarifa.hotels;

import dev.tarifa.hotels.api.HotelsRouter;
import dev.tarifa.hotels.store.HotelStore;
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
 * HTTP verticle of the hotels service. Per instance: its pool, its event transport, an outbox relay (nudged after
 * every admin write), a consumer of the review events on the shared durable ratings queue, and the retention that
 * deletes expired outbox and processed_events rows ({@link EventRetention}).
 */
public final class HotelsVerticle extends HttpVerticle {
  private static final Logger log = LoggerFactory.getLogger(HotelsVerticle.class);
  private final HotelsConfig config;
  private final Clock clock;
  private Pool pool;
  private EventTransport transport;
  private OutboxRelay relay;
  private EventRetention retention;

  public HotelsVerticle(HotelsConfig config) {
    this(config, Clock.systemUTC());
  }

  /** @param clock today's date for search validation and pricing (tests fix it) */
  public HotelsVerticle(HotelsConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  @Override
  protected Future<Router> router() {
    pool = Postgres.pool(vertx, config.pgUrl(), config.poolSize());
    Health health = new Health(vertx, "hotels").check("postgres", () -> pool.query("SELECT 1").execute());
    return EventTransports.create(vertx, config.events(), "hotels").map(t -> {
      transport = t;
      EventTransports.registerReadiness(health, transport);
      relay = OutboxRelay.create(vertx, "hotels", new PgOutboxStore(pool), transport, config.events()).start();
      retention = EventRetention.forPostgres(vertx, "hotels", pool, config.events()).start();
      HotelStore store = new HotelStore(pool, relay::nudge);
      // A broker that is down at start-up: the subscription keeps reconnecting in the background.
      store.ratingsConsumer(config.ratingsQueue()).subscribe(transport)
        .onFailure(e -> log.warn("hotel ratings consumer not running yet: {}", e.getMessage()));
      return new HotelsRouter(vertx, health, store, JwtVerifier.create(vertx, config.auth()), clock).router();
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
      .eventually(() -> pool == null ? Future.succeededFuture() : pool.close());
  }
}
