package dev.tarifa.gateway.api;

import dev.tarifa.gateway.GatewayConfig;
import dev.tarifa.shared.health.Health;
import dev.tarifa.shared.http.Routers;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;

/** The public API. */
public final class GatewayRouter {
  private final Vertx vertx;
  private final Health health;
  private final WebClient client;
  private final GatewayConfig config;

  public GatewayRouter(Vertx vertx, Health health, WebClient client, GatewayConfig config) {
    this.vertx = vertx;
    this.health = health;
    this.client = client;
    this.config = config;
  }

  public Router router() {
    Router router = Routers.create(vertx, health);
    // route table
    return router;
  }
}
