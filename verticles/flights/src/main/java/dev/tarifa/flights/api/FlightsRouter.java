package dev.tarifa.flights.api;

import dev.tarifa.shared.health.Health;
import dev.tarifa.shared.http.Routers;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;

/** The flights service's HTTP API. */
public final class FlightsRouter {
  private final Vertx vertx;
  private final Health health;
  private final Pool pool;

  public FlightsRouter(Vertx vertx, Health health, Pool pool) {
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
