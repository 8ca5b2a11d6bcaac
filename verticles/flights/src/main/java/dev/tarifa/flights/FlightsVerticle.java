package dev.tarifa.flights;

import dev.tarifa.flights.api.FlightsRouter;
import dev.tarifa.flights.store.AdminStore;
import dev.tarifa.flights.store.FlightStore;
import dev.tarifa.shared.auth.JwtVerifier;
import dev.tarifa.shared.db.Postgres;
import dev.tarifa.shared.health.Health;
import dev.tarifa.shared.launch.HttpVerticle;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;

import java.time.Clock;

/** HTTP verticle of the flights service; its pool is created once per instance. */
public final class FlightsVerticle extends HttpVerticle {
  private final FlightsConfig config;
  private Pool pool;

  public FlightsVerticle(FlightsConfig config) {
    this.config = config;
  }

  @Override
  protected Future<Router> router() {
    pool = Postgres.pool(vertx, config.pgUrl(), config.poolSize());
    Health health = new Health(vertx).check("postgres", () -> pool.query("SELECT 1").execute());
    FlightStore store = new FlightStore(pool);
    JwtVerifier auth = JwtVerifier.create(vertx, config.auth());
    return store.reference().map(ref ->
      new FlightsRouter(vertx, health, store, new AdminStore(pool, ref), ref, auth, Clock.systemUTC()).router());
  }

  @Override
  protected int port() {
    return config.port();
  }

  @Override
  protected Future<?> closeResources() {
    return pool == null ? Future.succeededFuture() : pool.close();
  }
}
