package dev.tarifa.flights;

import dev.tarifa.shared.db.Postgres;
import dev.tarifa.shared.launch.TarifaService;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.function.Supplier;

/** The flights service: its database is prepared once, then one verticle per event loop serves HTTP. */
public final class FlightsService implements TarifaService {
  private final FlightsConfig config;

  public FlightsService(FlightsConfig config) {
    this.config = config;
  }

  @Override
  public String name() {
    return "flights";
  }

  @Override
  public int port() {
    return config.port();
  }

  @Override
  public Future<Void> prepare(Vertx vertx) {
    return Postgres.prepare(vertx, config.pgUrl(), "flights");
  }

  @Override
  public Supplier<Deployable> verticle() {
    return () -> new FlightsVerticle(config);
  }
}
