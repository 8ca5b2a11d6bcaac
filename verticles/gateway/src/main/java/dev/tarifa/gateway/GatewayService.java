package dev.tarifa.gateway;

import dev.tarifa.shared.launch.TarifaService;
import io.vertx.core.Deployable;

import java.util.function.Supplier;

/** The public edge. */
public final class GatewayService implements TarifaService {
  private final GatewayConfig config;

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
  public Supplier<Deployable> verticle() {
    return () -> new GatewayVerticle(config);
  }
}
