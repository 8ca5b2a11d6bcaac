package dev.tarifa.hotels;

import dev.tarifa.hotels.store.HotelSeeder;
import dev.tarifa.shared.db.Postgres;
import dev.tarifa.shared.launch.TarifaService;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.function.Supplier;

/** The hotels service: its database is prepared (migrations, catalogue seed) once, then one verticle per event loop serves HTTP. */
public final class HotelsService implements TarifaService {
  private final HotelsConfig config;

  public HotelsService(HotelsConfig config) {
    this.config = config;
  }

  @Override
  public String name() {
    return "hotels";
  }

  @Override
  public int port() {
    return config.port();
  }

  @Override
  public Future<Void> prepare(Vertx vertx) {
    return Postgres.prepare(vertx, config.pgUrl(), "hotels")
      .compose(v -> HotelSeeder.seed(vertx, config.pgUrl(), config.catalogueSize(), config.catalogueSeed()))
      .mapEmpty();
  }

  @Override
  public Supplier<Deployable> verticle() {
    return () -> new HotelsVerticle(config);
  }
}
