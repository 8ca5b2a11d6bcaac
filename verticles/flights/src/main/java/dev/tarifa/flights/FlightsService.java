package dev.tarifa.flights;

import dev.tarifa.flights.store.CatalogueSeeder;
import dev.tarifa.shared.launch.OfferService;

/**
 * The flights service: its database is migrated and the catalogue seeded once (skipped when already
 * there; over JDBC, on a worker thread), then one {@link FlightsVerticle} per event loop serves
 * HTTP.
 */
public final class FlightsService extends OfferService {
  public FlightsService(FlightsConfig config) {
    super(
        config.offer(),
        (vertx, pgUrl, size, seed) ->
            vertx.executeBlocking(() -> CatalogueSeeder.seed(pgUrl, seed, size)),
        () -> new FlightsVerticle(config));
  }
}
