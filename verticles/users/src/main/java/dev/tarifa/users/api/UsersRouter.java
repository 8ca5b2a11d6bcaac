package dev.tarifa.users.api;

import dev.tarifa.shared.health.Health;
import dev.tarifa.shared.http.Routers;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;

/** The users service's HTTP API. */
public final class UsersRouter {
  private final Vertx vertx;
  private final Health health;
  private final Pool pool;

  public UsersRouter(Vertx vertx, Health health, Pool pool) {
    this.vertx = vertx;
    this.health = health;
    this.pool = pool;
  }

  public Router router() {
    Router router = Routers.create(vertx, health);
    // route table
    return router;
  }
}
