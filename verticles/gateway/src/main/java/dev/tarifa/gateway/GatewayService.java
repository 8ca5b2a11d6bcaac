package dev.tarifa.gateway;

import dev.tarifa.shared.launch.TarifaService;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/**
 * The public edge. {@link #prepare} builds the per-process {@link GatewayShared} that all its
 * verticles use.
 */
public final class GatewayService implements TarifaService {
  private final GatewayConfig config;
  private volatile GatewayShared shared;

  public GatewayService(GatewayConfig config) {
    this.config = config;
  }

  @Override
  public String name() {
    return "gateway";
  }

  @Override
  public int port() {
    return config.port();
  }

  @Override
  public Future<Void> prepare(Vertx vertx) {
    return GatewayShared.create(vertx, config).onSuccess(s -> shared = s).mapEmpty();
  }

  @Override
  public Supplier<Deployable> verticle() {
    GatewayShared s = shared;
    if (s == null)
      throw new IllegalStateException(
          "GatewayService.prepare must run before the verticles are deployed");
    return () -> new GatewayVerticle(config, s);
  }
}
