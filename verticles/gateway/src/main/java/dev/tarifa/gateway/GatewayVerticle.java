package dev.tarifa.gateway;

import dev.tarifa.gateway.api.GatewayRouter;
import dev.tarifa.shared.health.Health;
import dev.tarifa.shared.launch.HttpVerticle;
import io.vertx.core.Future;
import io.vertx.core.http.HttpResponseExpectation;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.net.URI;
import java.util.Map;

/** HTTP verticle of the gateway; its clients are created once per instance. */
public final class GatewayVerticle extends HttpVerticle {
  private final GatewayConfig config;
  private WebClient client;

  public GatewayVerticle(GatewayConfig config) {
    this.config = config;
  }

  @Override
  protected Future<Router> router() {
    client = WebClient.create(vertx, new WebClientOptions()
      .setKeepAlive(true)
      .setConnectTimeout((int) config.upstreamTimeout().toMillis())
      .setUserAgent("tarifa-gateway"));
    Health health = new Health(vertx);
    Map<String, URI> upstreams = Map.of(
      "users", config.usersUrl(), "flights", config.flightsUrl(), "hotels", config.hotelsUrl(),
      "cars", config.carsUrl(), "reviews", config.reviewsUrl());
    upstreams.forEach((name, url) -> health.check(name, () -> client
      .getAbs(url.resolve("/health/live").toString())
      .timeout(1000)
      .send()
      .expecting(HttpResponseExpectation.SC_SUCCESS)));
    return Future.succeededFuture(new GatewayRouter(vertx, health, client, config).router());
  }

  @Override
  protected int port() {
    return config.port();
  }

  @Override
  protected Future<?> closeResources() {
    if (client != null) client.close();
    return Future.succeededFuture();
  }
}
