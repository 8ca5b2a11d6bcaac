package dev.tarifa.users.service;

import dev.tarifa.shared.auth.JwtIssuer;
import dev.tarifa.shared.domain.Conflict;
import dev.tarifa.shared.domain.NotFound;
import dev.tarifa.shared.domain.Unauthenticated;
import dev.tarifa.users.domain.PasswordHash;
import dev.tarifa.users.domain.Registration;
import dev.tarifa.users.domain.User;
import dev.tarifa.users.domain.UserPage;
import dev.tarifa.users.domain.UserPatch;
import dev.tarifa.users.store.UsersStore;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The account operations behind the users API: sign-up, login (a JWT), the caller's account, and
 * user administration. Passwords are hashed on a bounded worker pool, never on an event loop.
 * Failures are domain outcomes: {@link Conflict} (e-mail taken, an admin locking itself out),
 * {@link NotFound}, {@link Unauthenticated} and the store's version mismatches.
 */
public final class Accounts {
  public static final String ADMIN = "admin";
  private static final List<String> NEW_USER_ROLES = List.of("user");
  private static final Logger log = LoggerFactory.getLogger(Accounts.class);
  // One answer for unknown e-mail, wrong password and disabled account, so none can be told apart.
  private static final String BAD_CREDENTIALS = "invalid e-mail or password";

  private final WorkerExecutor hashing;
  private final UsersStore store;
  private final JwtIssuer issuer;
  private final int iterations;
  private final String dummyHash;

  /**
   * @param hashing the bounded worker pool for PBKDF2, so a burst of logins cannot occupy every
   *     worker thread
   * @param iterations the PBKDF2 iterations of new hashes; stored hashes with fewer are upgraded at
   *     login
   * @param dummyHash a hash (of a random password, with the configured iterations) verified for
   *     unknown e-mails, so that login takes the same time whether or not the account exists
   */
  public Accounts(
      WorkerExecutor hashing,
      UsersStore store,
      JwtIssuer issuer,
      int iterations,
      String dummyHash) {
    this.hashing = hashing;
    this.store = store;
    this.issuer = issuer;
    this.iterations = iterations;
    this.dummyHash = dummyHash;
  }

  /** A bearer token and its lifetime. */
  public record Token(String token, long expiresInSeconds) {
    /** The login answer: the token, its type ({@code Bearer}) and its lifetime in seconds. */
    public JsonObject toJson() {
      return new JsonObject()
          .put("token", token)
          .put("tokenType", "Bearer")
          .put("expiresIn", expiresInSeconds);
    }
  }

  /** The new account (role user); a {@link Conflict} when the e-mail is taken. */
  public Future<User> register(Registration r) {
    return hashing
        .executeBlocking(() -> PasswordHash.hash(r.password(), iterations), false)
        .compose(hash -> store.insert(r.email(), r.name(), hash, NEW_USER_ROLES));
  }

  /**
   * A token for an active account whose password matches; the same {@link Unauthenticated} for
   * every other case.
   */
  public Future<Token> login(String email, String password) {
    return store
        .credentials(email)
        .compose(
            found ->
                hashing
                    .executeBlocking(
                        () ->
                            PasswordHash.verify(
                                password, found == null ? dummyHash : found.passwordHash()),
                        false)
                    .compose(
                        matches ->
                            matches && found != null && !found.user().disabled()
                                ? upgradeHash(found, password).map(found.user())
                                : Future.failedFuture(new Unauthenticated(BAD_CREDENTIALS))))
        .map(
            user ->
                new Token(
                    issuer.issue(String.valueOf(user.id()), user.email(), Set.copyOf(user.roles())),
                    issuer.expiresInSeconds()));
  }

  /**
   * Re-hashes a correct password whose stored hash has fewer iterations than configured, so raising
   * TARIFA_PASSWORD_ITERATIONS upgrades accounts as they log in. Done before answering (this one
   * login pays one more hash); a failure is logged and does not fail the login.
   */
  private Future<Void> upgradeHash(User.Credentials found, String password) {
    if (PasswordHash.iterations(found.passwordHash()) >= iterations)
      return Future.succeededFuture();
    return hashing
        .executeBlocking(() -> PasswordHash.hash(password, iterations), false)
        .compose(hash -> store.replacePasswordHash(found.user().id(), found.passwordHash(), hash))
        .<Void>mapEmpty()
        .recover(
            e -> {
              log.warn(
                  "password hash upgrade for user {} failed: {}", found.user().id(), e.toString());
              return Future.succeededFuture();
            });
  }

  /**
   * The account of a token's subject (the user id as a string); a deleted or disabled account no
   * longer counts as authenticated, nor does a subject that is not a user id of this service.
   */
  public Future<User> active(String subject) {
    long id;
    try {
      id = Long.parseLong(subject);
    } catch (NumberFormatException e) {
      return Future.failedFuture(
          new Unauthenticated("token subject is not a user of this service"));
    }
    return store
        .find(id)
        .compose(
            user ->
                user == null || user.disabled()
                    ? Future.failedFuture(new Unauthenticated("account no longer active"))
                    : Future.succeededFuture(user));
  }

  /** A page of accounts whose e-mail or name contains {@code q} (null: all), by id. */
  public Future<UserPage> list(String q, int limit, int offset) {
    return store
        .list(q, limit, offset)
        .map(page -> new UserPage(page.users(), page.total(), limit, offset));
  }

  public Future<User> user(long id) {
    return store
        .find(id)
        .compose(
            user -> user == null ? Future.failedFuture(noUser(id)) : Future.succeededFuture(user));
  }

  /**
   * Applies {@code patch} if the account is at {@code version}. {@code actor} (the administrator's
   * user id) may not disable itself or drop its own admin role, so the last administrator cannot
   * lock everyone out by mistake.
   */
  public Future<User> update(String actor, long id, int version, UserPatch patch) {
    if (isSelf(actor, id)
        && (Boolean.TRUE.equals(patch.disabled())
            || patch.roles() != null && !patch.roles().contains(ADMIN))) {
      return Future.failedFuture(
          new Conflict("admins cannot disable themselves or drop their own admin role"));
    }
    return store.update(id, version, patch.roles(), patch.disabled());
  }

  /** Deletes the account; {@code actor} may not delete itself. */
  public Future<Void> delete(String actor, long id) {
    if (isSelf(actor, id))
      return Future.failedFuture(new Conflict("admins cannot delete themselves"));
    return store
        .delete(id)
        .compose(deleted -> deleted ? Future.succeededFuture() : Future.failedFuture(noUser(id)));
  }

  private static NotFound noUser(long id) {
    return new NotFound("no user " + id);
  }

  private static boolean isSelf(String actor, long id) {
    return String.valueOf(id).equals(actor);
  }
}
