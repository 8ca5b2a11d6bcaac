package dev.tarifa.gateway;

import dev.tarifa.shared.auth.AuthConfig;
import dev.tarifa.shared.auth.JwtIssuer;
import dev.tarifa.shared.auth.JwtKeys;
import dev.tarifa.shared.config.Env;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Fake services plus a gateway in front of them, on one Vert.x instance; blocking helpers for test
 * set-up.
 */
public final class GatewayHarness {
  public static final JwtKeys.KeyPairPem KEYS = JwtKeys.generateEs256();
  public final Vertx vertx;
  public final Map<String, FakeService> services = new LinkedHashMap<>();
  public GatewayShared shared;
  public GatewayVerticle verticle;
  public String deploymentId;
  public WebClient client;
  public GatewayConfig config;

  public GatewayHarness(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Base settings: fast breakers, generous rate limit, no cache jitter, the test key pair. */
  public static Map<String, String> baseEnv() {
    Map<String, String> env = new HashMap<>();
    env.put("TARIFA_GATEWAY_PORT", "0");
    env.put("TARIFA_UPSTREAM_TIMEOUT", "10s");
    env.put("TARIFA_CACHE_ORIGIN_TIMEOUT", "10s");
    env.put("TARIFA_CIRCUIT_MAX_FAILURES", "3");
    env.put("TARIFA_CIRCUIT_RESET", "500ms");
    env.put("TARIFA_RATE_LIMIT_RPS", "100000");
    env.put("TARIFA_RATE_LIMIT_BURST", "100000");
    env.put("TARIFA_CACHE_JITTER", "0");
    env.put(AuthConfig.PUBLIC_KEY, KEYS.publicPem());
    return env;
  }

  public GatewayHarness start(Map<String, String> overrides) {
    for (String s : List.of("users", "flights", "hotels", "cars", "reviews")) {
      services.put(s, await(new FakeService(vertx, s).start()));
    }
    return startGateway(overrides);
  }

  /** A gateway in front of another harness's fake services (a second replica). */
  public GatewayHarness start(Map<String, String> overrides, Map<String, FakeService> existing) {
    services.putAll(existing);
    return startGateway(overrides);
  }

  private GatewayHarness startGateway(Map<String, String> overrides) {
    Map<String, String> env = baseEnv();
    services.forEach((name, fake) -> env.put("TARIFA_" + name.toUpperCase() + "_URL", fake.url()));
    env.putAll(overrides);
    config = GatewayConfig.fromEnv(Env.of(env));
    shared = await(GatewayShared.create(vertx, config));
    verticle = new GatewayVerticle(config, shared);
    deploymentId = await(vertx.deployVerticle(verticle, new DeploymentOptions()));
    client =
        WebClient.create(
            vertx,
            new WebClientOptions()
                .setDefaultHost("127.0.0.1")
                .setDefaultPort(verticle.actualPort())
                .setMaxInitialLineLength(16384),
            new io.vertx.core.http.PoolOptions().setHttp1MaxSize(100).setMaxWaitQueueSize(10_000));
    return this;
  }

  public FakeService service(String name) {
    return services.get(name);
  }

  public int port() {
    return verticle.actualPort();
  }

  public String token(String subject, Set<String> roles) {
    return JwtIssuer.create(vertx, authConfig()).issue(subject, subject + "@example.org", roles);
  }

  public static AuthConfig authConfig() {
    return AuthConfig.fromEnv(Env.of(Map.of())).withKeys(KEYS);
  }

  public static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
