package dev.tarifa.users;

import dev.tarifa.shared.db.Postgres;
import dev.tarifa.shared.launch.TarifaService;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.function.Supplier;

/** The users service: its database is prepared once, then one verticle per event loop serves HTTP. */
public final class UsersService implements TarifaService {
  private final UsersConfig config;

  public UsersService(UsersConfig config) {
    this.config = config;
  }

  @Override
  public String name() {
    return "users";
  }

  @Override
  public int port() {
    return config.port();
  }

  @Override
  public Future<Void> prepare(Vertx vertx) {
    return Postgres.prepare(vertx, config.pgUrl(), "users");
  }

  @Override
  public Supplier<Deployable> verticle() {
    return () -> new UsersVerticle(config);
  }
}
