package dev.tarifa.shared.db;

import dev.tarifa.shared.config.ConfigException;
import dev.tarifa.shared.config.Env;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * PostgreSQL plumbing shared by the PostgreSQL services: URL handling (one database per service on a shared
 * server), database creation, Flyway migrations and pools.
 */
public final class Postgres {
  public static final Set<String> SCHEMES = Set.of("postgresql", "postgres");
  private static final Logger log = LoggerFactory.getLogger(Postgres.class);
  private static final Pattern DB_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  private Postgres() {}

  /**
   * The service's database URL: {@code TARIFA_<SERVICE>_PG_URL} when set, else {@code TARIFA_PG_URL} (the
   * server) with its database replaced by {@code tarifa_<service>}.
   */
  public static URI serviceUrl(Env env, String service) {
    String specificKey = "TARIFA_" + service.toUpperCase() + "_PG_URL";
    var specific = env.url(specificKey, SCHEMES);
    if (specific.isPresent()) return specific.get();
    URI server = env.url("TARIFA_PG_URL", SCHEMES).orElse(URI.create("postgresql://postgres@127.0.0.1:5432/postgres"));
    return withDatabase(server, "tarifa_" + service);
  }

  public static URI withDatabase(URI server, String database) {
    String s = server.toString();
    int q = s.indexOf('?');
    String query = q >= 0 ? s.substring(q) : "";
    String base = q >= 0 ? s.substring(0, q) : s;
    int slash = base.indexOf('/', base.indexOf("://") + 3);
    if (slash >= 0) base = base.substring(0, slash);
    return URI.create(base + "/" + database + query);
  }

  public static String database(URI url) {
    String path = url.getPath();
    return path == null || path.length() <= 1 ? "postgres" : path.substring(1);
  }

  public static PgConnectOptions connectOptions(URI url) {
    try {
      return PgConnectOptions.fromUri(url.toString()).setCachePreparedStatements(true).setPreparedStatementCacheMaxSize(256);
    } catch (RuntimeException e) {
      throw new ConfigException("TARIFA_PG_URL", "cannot be used: " + e.getMessage());
    }
  }

  public static Pool pool(Vertx vertx, URI url, int maxSize) {
    return PgBuilder.pool()
      .with(new PoolOptions().setMaxSize(maxSize).setName("pg-" + database(url)).setShared(false))
      .connectingTo(connectOptions(url))
      .using(vertx)
      .build();
  }

  /** Creates the database of {@code url} on its server when it does not exist yet (idempotent). */
  public static Future<Void> ensureDatabase(Vertx vertx, URI url) {
    String db = database(url);
    if (!DB_NAME.matcher(db).matches()) return Future.failedFuture(new ConfigException("TARIFA_PG_URL", "unsupported database name " + db));
    Pool admin = pool(vertx, withDatabase(url, "postgres"), 1);
    return admin.preparedQuery("SELECT 1 FROM pg_database WHERE datname = $1").execute(Tuple.of(db))
      .compose(rows -> rows.size() > 0 ? Future.<Void>succeededFuture()
        // Identifiers cannot be bound as parameters; the name is validated against DB_NAME above.
        : admin.query("CREATE DATABASE " + db).execute().<Void>mapEmpty()
            .recover(e -> e.getMessage() != null && e.getMessage().contains("already exists") ? Future.succeededFuture() : Future.failedFuture(e)))
      .onSuccess(v -> log.debug("database {} ready", db))
      .eventually(admin::close);
  }

  /** Runs the versioned migrations under {@code classpath:db/<location>} on a worker thread. */
  public static Future<Integer> migrate(Vertx vertx, URI url, String location) {
    return vertx.executeBlocking(() -> {
      PgConnectOptions o = connectOptions(url);
      String jdbc = "jdbc:postgresql://" + o.getHost() + ":" + o.getPort() + "/" + o.getDatabase();
      var result = Flyway.configure()
        .dataSource(jdbc, o.getUser(), o.getPassword())
        .locations("classpath:db/" + location)
        .loggers("slf4j")
        .load()
        .migrate();
      if (result.migrationsExecuted > 0) log.info("{}: applied {} migration(s), schema now at {}", o.getDatabase(), result.migrationsExecuted, result.targetSchemaVersion);
      return result.migrationsExecuted;
    });
  }

  /** {@link #ensureDatabase} then {@link #migrate}. */
  public static Future<Void> prepare(Vertx vertx, URI url, String location) {
    return ensureDatabase(vertx, url).compose(v -> migrate(vertx, url, location)).mapEmpty();
  }
}
