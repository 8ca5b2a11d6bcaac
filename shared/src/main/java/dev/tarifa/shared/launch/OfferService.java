package dev.tarifa.shared.launch;

import dev.tarifa.shared.pricing.CatalogueSize;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * An offer service (flights, hotels, cars): a {@link PostgresService} whose one-time work after the
 * migrations is seeding its generated catalogue, of the configured {@link
 * OfferServiceConfig#catalogueSize() size} and {@link OfferServiceConfig#catalogueSeed() seed};
 * then one verticle per event loop serves HTTP (usually an {@link OfferServiceVerticle}). A service
 * only names its parts:
 *
 * <pre>{@code
 * public CarsService(CarsConfig config) {
 *   super(config.offer(), CarSeeder::seed, () -> new CarsVerticle(config));
 * }
 * }</pre>
 */
public abstract class OfferService extends PostgresService {
  /** Seeds a service's catalogue into its migrated database. */
  @FunctionalInterface
  public interface Seeder {
    /**
     * Seeds the catalogue of {@code size} generated from {@code seed} into the database at {@code
     * pgUrl}; called on an event loop, so it must not block it.
     *
     * @return completes when the catalogue is there, fails with the seeding's error
     */
    Future<?> seed(Vertx vertx, URI pgUrl, CatalogueSize size, long seed);
  }

  private final OfferServiceConfig config;
  private final Seeder seeder;
  private final Supplier<Deployable> verticle;

  /**
   * @param seeder seeds the catalogue ({@code CarSeeder::seed})
   * @param verticle a new verticle of the service, per instance
   */
  protected OfferService(OfferServiceConfig config, Seeder seeder, Supplier<Deployable> verticle) {
    super(config.service());
    this.config = config;
    this.seeder = Objects.requireNonNull(seeder, "seeder");
    this.verticle = Objects.requireNonNull(verticle, "verticle");
  }

  @Override
  protected final Future<?> afterMigrations(Vertx vertx) {
    return seeder.seed(
        vertx, config.service().pgUrl(), config.catalogueSize(), config.catalogueSeed());
  }

  @Override
  public final Supplier<Deployable> verticle() {
    return verticle;
  }
}
