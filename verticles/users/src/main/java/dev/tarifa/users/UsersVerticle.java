package dev.tarifa.users;

import dev.tarifa.users.api.UsersRouter;
import dev.tarifa.shared.db.Postgres;
import dev.tarifa.shared.health.Health;
import dev.tarifa.shared.launch.HttpVerticle;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;

/** HTTP verticle of the users service; its pool is created once per instance. */
public final class UsersVerticle extends HttpVerticle {
  private final UsersConfig config;
  private Pool pool;

  public UsersVerticle(UsersConfig config) {
    this.config = config;
  }

  @Override
  protected Future<Router> router() {
    pool = Postgres.pool(vertx, config.pgUrl(), config.poolSize());
    Health health = new Health(vertx).check("postgres", () -> pool.query("SELECT 1").execute());
    return Future.succeededFuture(new UsersRouter(vertx, health, pool).router());
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
