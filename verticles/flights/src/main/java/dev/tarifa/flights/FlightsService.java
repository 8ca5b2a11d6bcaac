package dev.tarifa.flights;

import dev.tarifa.flights.store.CatalogueSeeder;
import dev.tarifa.shared.db.Postgres;
import dev.tarifa.shared.launch.TarifaService;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.function.Supplier;

/**
 * The flights service: its database is migrated and the catalogue seeded once (skipped when already there),
 * then one verticle per event loop serves HTTP.
 */
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
    return Postgres.prepare(vertx, config.pgUrl(), "flights")
      .compose(v -> vertx.executeBlocking(() -> CatalogueSeeder.seed(config.pgUrl(), config.seed(), config.size())))
      .mapEmpty();
  }

  @Override
  public Supplier<Deployable> verticle() {
    return () -> new FlightsVerticle(config);
  }
}
