package dev.tarifa.users;

import dev.tarifa.shared.auth.JwtIssuer;
import dev.tarifa.shared.auth.JwtVerifier;
import dev.tarifa.shared.launch.RouterParts;
import dev.tarifa.shared.launch.ServiceFrame;
import dev.tarifa.shared.launch.ServiceVerticle;
import dev.tarifa.users.api.UsersRouter;
import dev.tarifa.users.service.Accounts;
import dev.tarifa.users.store.UsersStore;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.Router;
import java.time.Clock;

/**
 * HTTP verticle of the users service; its pool (in its {@link ServiceFrame}), token issuer and
 * verifier are created once per instance.
 */
public final class UsersVerticle extends ServiceVerticle {
  private final UsersConfig config;
  private final String dummyHash;
  public static final String HASHING_POOL = "users-password-hashing";
  private WorkerExecutor hashing;

  /**
   * @param dummyHash see {@link Accounts}; computed once per process by {@link
   *     UsersService#prepare}.
   */
  public UsersVerticle(UsersConfig config, String dummyHash) {
    super(config.service());
    this.config = config;
    this.dummyHash = dummyHash;
  }

  @Override
  protected Future<Router> router(ServiceFrame frame) {
    // Shared by name across instances: at most one hashing thread per core, whatever the number of
    // verticles.
    hashing =
        vertx.createSharedWorkerExecutor(
            HASHING_POOL, Math.max(1, Runtime.getRuntime().availableProcessors()));
    JwtIssuer issuer = JwtIssuer.create(vertx, config.auth());
    JwtVerifier verifier = JwtVerifier.create(vertx, config.auth());
    return Future.succeededFuture(
        new UsersRouter(
                new RouterParts(vertx, frame.health(), verifier, Clock.systemUTC()),
                new Accounts(
                    hashing,
                    new UsersStore(frame.pool()),
                    issuer,
                    config.passwordIterations(),
                    dummyHash))
            .router());
  }

  @Override
  protected Future<?> closeResources() {
    if (hashing != null) hashing.close();
    return super.closeResources();
  }
}
