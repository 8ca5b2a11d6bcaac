package dev.tarifa.cars;

import dev.tarifa.cars.store.CarSeeder;
import dev.tarifa.shared.db.Postgres;
import dev.tarifa.shared.launch.TarifaService;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.function.Supplier;

/** The cars service: its database is prepared (migrations, catalogue seed) once, then one verticle per event loop serves HTTP. */
public final class CarsService implements TarifaService {
  private final CarsConfig config;

  public CarsService(CarsConfig config) {
    this.config = config;
  }

  @Override
  public String name() {
    return "cars";
  }

  @Override
  public int port() {
    return config.port();
  }

  @Override
  public Future<Void> prepare(Vertx vertx) {
    return Postgres.prepare(vertx, config.pgUrl(), "cars")
      .compose(v -> CarSeeder.seed(vertx, config.pgUrl(), config.catalogueSize(), config.catalogueSeed()))
      .mapEmpty();
  }

  @Override
  public Supplier<Deployable> verticle() {
    return () -> new CarsVerticle(config);
  }
}
