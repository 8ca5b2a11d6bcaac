package dev.tarifa.cars.api;

import dev.tarifa.shared.health.Health;
import dev.tarifa.shared.http.Routers;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;

/** The cars service's HTTP API. */
public final class CarsRouter {
  private final Vertx vertx;
  private final Health health;
  private final Pool pool;

  public CarsRouter(Vertx vertx, Health health, Pool pool) {
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
