package dev.tarifa.users;

import dev.tarifa.shared.auth.AuthConfig;
import dev.tarifa.shared.auth.JwtIssuer;
import dev.tarifa.shared.auth.JwtVerifier;
import dev.tarifa.shared.config.ConfigException;
import dev.tarifa.shared.db.Postgres;
import dev.tarifa.shared.launch.PostgresService;
import dev.tarifa.users.domain.PasswordHash;
import dev.tarifa.users.store.UsersStore;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The users service: checks its signing key, prepares its database, creates the admin account once,
 * then one verticle per event loop serves HTTP.
 */
public final class UsersService extends PostgresService {
  private static final Logger log = LoggerFactory.getLogger(UsersService.class);
  private final UsersConfig config;
  private volatile String dummyHash;

  public UsersService(UsersConfig config) {
    super(config.service());
    this.config = config;
  }

  /**
   * Fails with a {@link ConfigException} naming {@code TARIFA_JWT_PRIVATE_KEY} (or {@code
   * TARIFA_JWT_PUBLIC_KEY}) when a key is missing or unusable; then migrates, creates the admin
   * account if configured and absent (an existing account is left as it is), and computes the dummy
   * hash used for unknown e-mails at login.
   */
  @Override
  public Future<Void> prepare(Vertx vertx) {
    Future<Void> keys;
    try {
      keys = checkKeys(vertx, config.auth());
    } catch (ConfigException e) {
      return Future.failedFuture(e);
    }
    return keys.compose(v -> super.prepare(vertx));
  }

  @Override
  protected Future<?> afterMigrations(Vertx vertx) {
    return bootstrapAdmin(vertx)
        .compose(
            v ->
                vertx.executeBlocking(
                    () -> PasswordHash.hash(randomPassword(), config.passwordIterations()), false))
        .onSuccess(hash -> dummyHash = hash);
  }

  /**
   * Both keys present, the private key's public half among the public keys (checked by {@link
   * JwtIssuer#create}, which also takes its kid from it), and a token signed now verifies with the
   * configured keys.
   */
  private static Future<Void> checkKeys(Vertx vertx, AuthConfig auth) {
    if (auth.privateKeyPem() != null && auth.publicKeyPem() == null) {
      throw new ConfigException(
          AuthConfig.PUBLIC_KEY,
          "required by the users service (the public key of TARIFA_JWT_PRIVATE_KEY, plus any key still accepted during a rotation)");
    }
    JwtIssuer issuer = JwtIssuer.create(vertx, auth);
    JwtVerifier verifier = JwtVerifier.create(vertx, auth);
    log.info("signing tokens with kid {}; accepting kid {}", issuer.kid(), verifier.keyIds());
    return verifier
        .verify(issuer.issue("0", null, java.util.Set.of()))
        .recover(
            e ->
                Future.failedFuture(
                    new ConfigException(
                        AuthConfig.PUBLIC_KEY, "does not match TARIFA_JWT_PRIVATE_KEY")))
        .mapEmpty();
  }

  private Future<Void> bootstrapAdmin(Vertx vertx) {
    if (config.adminPassword() == null) {
      log.info("no TARIFA_ADMIN_PASSWORD: no admin account is created");
      return Future.succeededFuture();
    }
    String email = config.adminEmail().strip().toLowerCase(java.util.Locale.ROOT);
    Pool pool = Postgres.pool(vertx, config.service().pgUrl(), 1);
    UsersStore store = new UsersStore(pool);
    // Checked first so that restarts do not pay for a hash that would be thrown away.
    return store
        .exists(email)
        .compose(
            exists ->
                exists
                    ? Future.succeededFuture(false)
                    : vertx
                        .executeBlocking(
                            () ->
                                PasswordHash.hash(
                                    config.adminPassword(), config.passwordIterations()),
                            false)
                        .compose(
                            hash ->
                                store.insertIfAbsent(
                                    email, "Administrator", hash, List.of("user", "admin"))))
        .onSuccess(
            created ->
                log.info(
                    created
                        ? "admin account {} created"
                        : "admin account {} exists: left unchanged",
                    email))
        .eventually(pool::close)
        .mapEmpty();
  }

  private static String randomPassword() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  @Override
  public Supplier<Deployable> verticle() {
    return () -> new UsersVerticle(config, dummyHash);
  }
}
