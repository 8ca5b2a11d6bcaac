package dev.tarifa.hotels;

import dev.tarifa.hotels.api.HotelsRouter;
import dev.tarifa.hotels.store.HotelStore;
import dev.tarifa.shared.auth.JwtVerifier;
import dev.tarifa.shared.db.Postgres;
import dev.tarifa.shared.health.Health;
import dev.tarifa.shared.launch.HttpVerticle;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;

import java.time.Clock;

/** HTTP verticle of the hotels service; its pool is created once per instance. */
public final class HotelsVerticle extends HttpVerticle {
  private final HotelsConfig config;
  private Pool pool;

  public HotelsVerticle(HotelsConfig config) {
    this.config = config;
  }

  @Override
  protected Future<Router> router() {
    pool = Postgres.pool(vertx, config.pgUrl(), config.poolSize());
    Health health = new Health(vertx).check("postgres", () -> pool.query("SELECT 1").execute());
    return Future.succeededFuture(new HotelsRouter(vertx, health, new HotelStore(pool), JwtVerifier.create(vertx, config.auth()), Clock.systemUTC()).router());
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
