package dev.tarifa.users;

import dev.tarifa.shared.auth.JwtIssuer;
import dev.tarifa.shared.auth.JwtVerifier;
import dev.tarifa.shared.db.Postgres;
import dev.tarifa.shared.health.Health;
import dev.tarifa.shared.launch.HttpVerticle;
import dev.tarifa.users.api.UsersRouter;
import dev.tarifa.users.service.Accounts;
import dev.tarifa.users.store.UsersStore;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;

/** HTTP verticle of the users service; its pool, token issuer and verifier are created once per instance. */
public final class UsersVerticle extends HttpVerticle {
  private final UsersConfig config;
  private final String dummyHash;
  public static final String HASHING_POOL = "users-password-hashing";
  private Pool pool;
  private WorkerExecutor hashing;

  /** @param dummyHash see {@link Accounts}; computed once per process by {@link UsersService#prepare}. */
  public UsersVerticle(UsersConfig config, String dummyHash) {
    this.config = config;
    this.dummyHash = dummyHash;
  }

  @Override
  protected Future<Router> router() {
    pool = Postgres.pool(vertx, config.pgUrl(), config.poolSize());
    Health health = new Health(vertx, "users").check("postgres", () -> pool.query("SELECT 1").execute());
    // Shared by name across instances: at most one hashing thread per core, whatever the number of verticles.
    hashing = vertx.createSharedWorkerExecutor(HASHING_POOL, Math.max(1, Runtime.getRuntime().availableProcessors()));
    JwtIssuer issuer = JwtIssuer.create(vertx, config.auth());
    JwtVerifier verifier = JwtVerifier.create(vertx, config.auth());
    return Future.succeededFuture(new UsersRouter(vertx, health, verifier,
      new Accounts(hashing, new UsersStore(pool), issuer, config.passwordIterations(), dummyHash)).router());
  }

  @Override
  protected int port() {
    return config.port();
  }

  @Override
  protected Future<?> closeResources() {
    if (hashing != null) hashing.close();
    return pool == null ? Future.succeededFuture() : pool.close();
  }
}
