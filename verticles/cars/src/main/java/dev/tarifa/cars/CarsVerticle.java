package dev.tarifa.cars;

import dev.tarifa.cars.api.CarsRouter;
import dev.tarifa.cars.store.CarStore;
import dev.tarifa.shared.auth.JwtVerifier;
import dev.tarifa.shared.db.Postgres;
import dev.tarifa.shared.health.Health;
import dev.tarifa.shared.launch.HttpVerticle;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;

import java.time.Clock;

/** HTTP verticle of the cars service; its pool is created once per instance. */
public final class CarsVerticle extends HttpVerticle {
  private final CarsConfig config;
  private Pool pool;

  public CarsVerticle(CarsConfig config) {
    this.config = config;
  }

  @Override
  protected Future<Router> router() {
    pool = Postgres.pool(vertx, config.pgUrl(), config.poolSize());
    Health health = new Health(vertx).check("postgres", () -> pool.query("SELECT 1").execute());
    return Future.succeededFuture(new CarsRouter(vertx, health, new CarStore(pool), JwtVerifier.create(vertx, config.auth()), Clock.systemUTC()).router());
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
