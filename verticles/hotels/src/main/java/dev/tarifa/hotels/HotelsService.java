package dev.tarifa.hotels;

import dev.tarifa.hotels.store.HotelSeeder;
import dev.tarifa.shared.launch.PostgresService;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/**
 * The hotels service: its database is prepared (migrations, catalogue seed) once, then one verticle
 * per event loop serves HTTP.
 */
public final class HotelsService extends PostgresService {
  private final HotelsConfig config;

  public HotelsService(HotelsConfig config) {
    super(config.service());
    this.config = config;
  }

  @Override
  protected Future<?> afterMigrations(Vertx vertx) {
    return HotelSeeder.seed(
        vertx, config.service().pgUrl(), config.catalogueSize(), config.catalogueSeed());
  }

  @Override
  public Supplier<Deployable> verticle() {
    return () -> new HotelsVerticle(config);
  }
}
