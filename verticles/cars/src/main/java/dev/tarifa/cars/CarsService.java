package dev.tarifa.cars;

import dev.tarifa.cars.store.CarSeeder;
import dev.tarifa.shared.launch.PostgresService;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/**
 * The cars service: its database is prepared (migrations, catalogue seed) once, then one verticle
 * per event loop serves HTTP.
 */
public final class CarsService extends PostgresService {
  private final CarsConfig config;

  public CarsService(CarsConfig config) {
    super(config.service());
    this.config = config;
  }

  @Override
  protected Future<?> afterMigrations(Vertx vertx) {
    return CarSeeder.seed(
        vertx, config.service().pgUrl(), config.catalogueSize(), config.catalogueSeed());
  }

  @Override
  public Supplier<Deployable> verticle() {
    return () -> new CarsVerticle(config);
  }
}
