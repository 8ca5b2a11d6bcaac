package dev.tarifa.flights;

import dev.tarifa.flights.store.CatalogueSeeder;
import dev.tarifa.shared.launch.PostgresService;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/**
 * The flights service: its database is migrated and the catalogue seeded once (skipped when already
 * there), then one verticle per event loop serves HTTP.
 */
public final class FlightsService extends PostgresService {
  private final FlightsConfig config;

  public FlightsService(FlightsConfig config) {
    super(config.service());
    this.config = config;
  }

  @Override
  protected Future<?> afterMigrations(Vertx vertx) {
    return vertx.executeBlocking(
        () -> CatalogueSeeder.seed(config.service().pgUrl(), config.seed(), config.size()));
  }

  @Override
  public Supplier<Deployable> verticle() {
    return () -> new FlightsVerticle(config);
  }
}
