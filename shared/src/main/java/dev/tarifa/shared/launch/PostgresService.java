package dev.tarifa.shared.launch;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Objects;

/**
 * A {@link TarifaService} over its own PostgreSQL database, described by a {@link ServiceConfig}:
 * its name and port are the configuration's, and {@link #prepare} creates and migrates the database
 * ({@link ServiceFrame#prepareDatabase}) before the service's own one-time work ({@link
 * #afterMigrations}, a catalogue seed for example). Its verticles are usually {@link
 * ServiceVerticle}s over the same configuration.
 */
public abstract class PostgresService implements TarifaService {
  private final ServiceConfig service;

  protected PostgresService(ServiceConfig service) {
    this.service = Objects.requireNonNull(service, "service");
  }

  @Override
  public final String name() {
    return service.name();
  }

  @Override
  public final int port() {
    return service.port();
  }

  /**
   * Creates the database when missing, runs the migrations, then {@link #afterMigrations}; a
   * subclass with work to do before the database (checking keys, say) overrides this and calls
   * {@code super.prepare} after it.
   */
  @Override
  public Future<Void> prepare(Vertx vertx) {
    return ServiceFrame.prepareDatabase(vertx, service)
        .compose(v -> afterMigrations(vertx))
        .mapEmpty();
  }

  /** One-time work on the migrated database; the default does nothing. */
  protected Future<?> afterMigrations(Vertx vertx) {
    return Future.succeededFuture();
  }
}
