package dev.tarifa.users.store;

import dev.tarifa.shared.domain.Conflict;
import dev.tarifa.shared.domain.NotFound;
import dev.tarifa.shared.domain.VersionMismatch;
import dev.tarifa.users.domain.User;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** SQL of the users table. Every query is prepared; e-mails arrive here already lower-cased. */
public final class UsersStore {
  private static final String UNIQUE_VIOLATION = "23505";

  private final Pool pool;

  public UsersStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * A page of users and the total matching {@code q} (substring of e-mail or name,
   * case-insensitive).
   */
  public record Page(List<User> users, long total) {}

  /** Inserts a user; an existing e-mail fails with a {@link Conflict}. */
  public Future<User> insert(String email, String name, String passwordHash, List<String> roles) {
    return pool.preparedQuery(
            "INSERT INTO users (email, name, password_hash, roles) VALUES ($1, $2, $3, $4) RETURNING "
                + User.COLUMNS)
        .execute(Tuple.of(email, name, passwordHash, roles.toArray(String[]::new)))
        .recover(
            e ->
                Future.failedFuture(
                    isUniqueViolation(e)
                        ? new Conflict("an account with this e-mail already exists")
                        : e))
        .map(rows -> User.from(rows.iterator().next()));
  }

  /** Inserts unless the e-mail exists; true when inserted (the admin bootstrap). */
  public Future<Boolean> insertIfAbsent(
      String email, String name, String passwordHash, List<String> roles) {
    return pool.preparedQuery(
            "INSERT INTO users (email, name, password_hash, roles) VALUES ($1, $2, $3, $4) ON CONFLICT (email) DO NOTHING")
        .execute(Tuple.of(email, name, passwordHash, roles.toArray(String[]::new)))
        .map(rows -> rows.rowCount() == 1);
  }

  public Future<Boolean> exists(String email) {
    return pool.preparedQuery("SELECT 1 FROM users WHERE email = $1")
        .execute(Tuple.of(email))
        .map(rows -> rows.size() > 0);
  }

  /** The user and its hash, or null. */
  public Future<User.Credentials> credentials(String email) {
    return pool.preparedQuery(
            "SELECT " + User.COLUMNS + ", password_hash FROM users WHERE email = $1")
        .execute(Tuple.of(email))
        .map(
            rows -> {
              if (rows.size() == 0) return null;
              Row row = rows.iterator().next();
              return new User.Credentials(User.from(row), row.getString("password_hash"));
            });
  }

  /** The user, or null. */
  public Future<User> find(long id) {
    return pool.preparedQuery("SELECT " + User.COLUMNS + " FROM users WHERE id = $1")
        .execute(Tuple.of(id))
        .map(UsersStore::first);
  }

  public Future<Page> list(String q, int limit, int offset) {
    String pattern =
        q == null
            ? null
            : "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    String where = " WHERE $1::text IS NULL OR email ILIKE $1 OR name ILIKE $1";
    Future<RowSet<Row>> page =
        pool.preparedQuery(
                "SELECT "
                    + User.COLUMNS
                    + " FROM users"
                    + where
                    + " ORDER BY id LIMIT $2 OFFSET $3")
            .execute(Tuple.of(pattern, limit, offset));
    Future<RowSet<Row>> count =
        pool.preparedQuery("SELECT count(*) AS n FROM users" + where).execute(Tuple.of(pattern));
    return Future.all(page, count)
        .map(
            v -> {
              List<User> users = new ArrayList<>();
              page.result().forEach(r -> users.add(User.from(r)));
              return new Page(users, count.result().iterator().next().getLong("n"));
            });
  }

  /**
   * Applies the given changes (null: unchanged) if the stored version is {@code expectedVersion},
   * bumping it. Fails with {@link NotFound} when the user does not exist and {@link
   * VersionMismatch} when the version is stale.
   */
  public Future<User> update(long id, int expectedVersion, List<String> roles, Boolean disabled) {
    return pool.preparedQuery(
            "UPDATE users SET roles = coalesce($3, roles), disabled = coalesce($4, disabled), "
                + "updated_at = now(), version = version + 1 WHERE id = $1 AND version = $2 RETURNING "
                + User.COLUMNS)
        .execute(
            Tuple.of(
                id, expectedVersion, roles == null ? null : roles.toArray(String[]::new), disabled))
        .compose(
            rows -> {
              if (rows.size() == 1)
                return Future.succeededFuture(User.from(rows.iterator().next()));
              return find(id)
                  .compose(
                      current ->
                          Future.failedFuture(
                              current == null
                                  ? new NotFound("no user " + id)
                                  : new VersionMismatch(
                                      "user "
                                          + id
                                          + " is at version "
                                          + current.version()
                                          + ", not "
                                          + expectedVersion)));
            });
  }

  /**
   * Replaces the password hash if it is still {@code oldHash} (a concurrent change wins); neither
   * the version nor updated_at change, since the account as the API shows it does not.
   */
  public Future<Boolean> replacePasswordHash(long id, String oldHash, String newHash) {
    return pool.preparedQuery(
            "UPDATE users SET password_hash = $3 WHERE id = $1 AND password_hash = $2")
        .execute(Tuple.of(id, oldHash, newHash))
        .map(rows -> rows.rowCount() == 1);
  }

  /** True when a user was deleted. */
  public Future<Boolean> delete(long id) {
    return pool.preparedQuery("DELETE FROM users WHERE id = $1")
        .execute(Tuple.of(id))
        .map(rows -> rows.rowCount() == 1);
  }

  private static User first(RowSet<Row> rows) {
    return rows.size() == 0 ? null : User.from(rows.iterator().next());
  }

  private static boolean isUniqueViolation(Throwable e) {
    return e instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState());
  }
}
