package dev.tarifa.gateway;

import dev.tarifa.gateway.api.GatewayRouter;
import dev.tarifa.gateway.upstream.Upstream;
import dev.tarifa.gateway.upstream.UpstreamHealth;
import dev.tarifa.shared.auth.JwtVerifier;
import dev.tarifa.shared.cache.L2Status;
import dev.tarifa.shared.health.Health;
import dev.tarifa.shared.launch.HttpVerticle;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * HTTP verticle of the gateway; its clients are created once per instance, the cache and breakers
 * are shared.
 */
public final class GatewayVerticle extends HttpVerticle {
  private final GatewayConfig config;
  private final Clock clock;
  private final GatewayShared shared;
  private WebClient client;
  private UpstreamHealth upstreamHealth;

  public GatewayVerticle(GatewayConfig config, GatewayShared shared) {
    this(config, shared, Clock.systemUTC());
  }

  /**
   * @param clock today's date for search validation (tests fix it)
   */
  public GatewayVerticle(GatewayConfig config, GatewayShared shared, Clock clock) {
    this.config = config;
    this.shared = shared;
    this.clock = clock;
  }

  @Override
  protected Future<Router> router() {
    client =
        WebClient.create(
            vertx,
            new WebClientOptions()
                .setKeepAlive(true)
                .setConnectTimeout((int) config.upstreamTimeout().toMillis())
                .setUserAgent("tarifa-gateway"),
            new PoolOptions().setHttp1MaxSize(64).setMaxWaitQueueSize(2048));
    Map<String, URI> urls = new LinkedHashMap<>();
    urls.put("users", config.usersUrl());
    urls.put("flights", config.flightsUrl());
    urls.put("hotels", config.hotelsUrl());
    urls.put("cars", config.carsUrl());
    urls.put("reviews", config.reviewsUrl());
    Map<String, Upstream> upstreams = new LinkedHashMap<>();
    long timeout = config.upstreamTimeout().toMillis();
    urls.forEach(
        (name, url) ->
            upstreams.put(
                name, new Upstream(name, url, client, shared.breakers().of(name), timeout)));

    // Readiness is this process serving (its server answers only after start-up); upstreams, the L2
    // and the broker
    // are reported as degraded, never failing it: one service down must not pull every gateway out
    // of rotation.
    Health health = new Health(vertx, "gateway");
    upstreamHealth = new UpstreamHealth(vertx, client, urls, shared.breakers()).start();
    urls.keySet().forEach(name -> health.status(name, () -> upstreamHealth.probe(name)));
    health.status(
        "cache-l2",
        () -> {
          L2Status s = shared.cache().l2Status();
          // L1-only by configuration (no TARIFA_REDIS_URL) is a choice, not a degradation
          JsonObject data =
              new JsonObject()
                  .put("l2", s.name().toLowerCase())
                  .put("degraded", s == L2Status.DEGRADED);
          return Future.succeededFuture(Status.OK(data));
        });
    // Reported, never failing readiness: without events answers still expire by TTL.
    health.status(
        "events",
        () -> {
          var t = shared.events().get();
          if (t == null)
            return Future.succeededFuture(
                Status.OK(
                    new JsonObject()
                        .put("invalidation", false)
                        .put("broker", "down")
                        .put("degraded", true)));
          return t.ready()
              .transform(
                  ar ->
                      Future.succeededFuture(
                          Status.OK(
                              new JsonObject()
                                  .put("invalidation", true)
                                  .put("broker", ar.succeeded() ? "up" : "down")
                                  .put("degraded", ar.failed()))));
        });
    JwtVerifier auth = JwtVerifier.create(vertx, config.auth());
    return Future.succeededFuture(
        new GatewayRouter(vertx, health, config, shared, auth, upstreams, clock).router());
  }

  @Override
  protected HttpServerOptions serverOptions() {
    // The router answers 414 problems above maxUriLength; the server itself cuts request lines 1
    // KiB longer.
    return super.serverOptions().setMaxInitialLineLength(config.maxUriLength() + 1024);
  }

  @Override
  protected int port() {
    return config.port();
  }

  @Override
  protected Future<?> closeResources() {
    if (upstreamHealth != null) upstreamHealth.stop();
    if (client != null) client.close();
    return Future.succeededFuture();
  }
}
