package dev.tarifa.shared.db;

import dev.tarifa.shared.config.ConfigException;
import dev.tarifa.shared.config.Env;
import dev.tarifa.shared.config.TrustStores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.TrustOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL plumbing shared by the PostgreSQL services: URL handling (one database per service on
 * a shared server), database creation, Flyway migrations and pools. Every connection, reactive or
 * JDBC, honours the URL's credentials and TLS parameters ({@link #connectOptions}).
 */
public final class Postgres {
  public static final Set<String> SCHEMES = Set.of("postgresql", "postgres");
  private static final Logger log = LoggerFactory.getLogger(Postgres.class);
  private static final Pattern DB_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  private Postgres() {}

  /**
   * The service's database URL: {@code TARIFA_<SERVICE>_PG_URL} when set, else {@code
   * TARIFA_PG_URL} (the server) with its database replaced by {@code tarifa_<service>}.
   */
  public static URI serviceUrl(Env env, String service) {
    String specificKey = "TARIFA_" + service.toUpperCase() + "_PG_URL";
    var specific = env.url(specificKey, SCHEMES);
    if (specific.isPresent()) return specific.get();
    URI server =
        env.url("TARIFA_PG_URL", SCHEMES)
            .orElse(URI.create("postgresql://postgres@127.0.0.1:5432/postgres"));
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

  /**
   * The reactive client's options for {@code url}: host, port, database, user and password
   * (percent-decoded) and the query parameters below; any other parameter is sent to the server as
   * a run-time parameter at start-up.
   *
   * <ul>
   *   <li>{@code sslmode}: {@code disable} (the default), {@code allow}, {@code prefer}, {@code
   *       require}, {@code verify-ca} or {@code verify-full}, as libpq and the JDBC driver read it:
   *       up to {@code require} the connection is encrypted without verifying the server's
   *       certificate; {@code verify-ca} verifies its chain; {@code verify-full} also checks the
   *       host name against the certificate;
   *   <li>{@code sslrootcert}: a PEM file of the certificate authorities to verify against under
   *       {@code verify-ca} / {@code verify-full} (a managed database's CA bundle); without it, the
   *       JVM's default trust store.
   * </ul>
   *
   * The same parameters reach the JDBC connections ({@link #jdbc}), so migrations and seeding
   * connect as the pools do.
   *
   * @throws ConfigException naming {@code TARIFA_PG_URL} when the URL cannot be used
   */
  public static PgConnectOptions connectOptions(URI url) {
    Map<String, String> params = queryParams(url);
    for (String unsupported : List.of("sslcert", "sslkey", "sslpassword")) {
      if (params.containsKey(unsupported))
        throw new ConfigException(
            "TARIFA_PG_URL", unsupported + " (client certificates) is not supported");
    }
    String rootCert = params.get("sslrootcert");
    PgConnectOptions o;
    try {
      // sslrootcert is the client's business: the server would reject it as an unknown run-time
      // parameter
      o = PgConnectOptions.fromUri(withoutParam(url, "sslrootcert").toString());
    } catch (RuntimeException e) {
      throw new ConfigException("TARIFA_PG_URL", "cannot be used: " + e.getMessage());
    }
    o.setCachePreparedStatements(true).setPreparedStatementCacheMaxSize(256);
    SslMode mode = o.getSslMode();
    if (mode == SslMode.VERIFY_CA || mode == SslMode.VERIFY_FULL) {
      ClientSSLOptions ssl =
          new ClientSSLOptions()
              .setHostnameVerificationAlgorithm(mode == SslMode.VERIFY_FULL ? "HTTPS" : "");
      if (rootCert != null) {
        if (!Files.isReadable(Path.of(rootCert)))
          throw new ConfigException(
              "TARIFA_PG_URL", "sslrootcert " + rootCert + " is not a readable file");
        ssl.setTrustOptions(new PemTrustOptions().addCertPath(rootCert));
      } else {
        ssl.setTrustOptions(TrustOptions.wrap(TrustStores.jvmDefault()));
      }
      o.setSslOptions(ssl);
    } else if (mode != SslMode.DISABLE) {
      // libpq's and the JDBC driver's meaning of allow/prefer/require: encrypted, the server not
      // verified
      o.setSslOptions(
          new ClientSSLOptions().setTrustAll(true).setHostnameVerificationAlgorithm(""));
    }
    return o;
  }

  /**
   * Where and how a JDBC connection (Flyway, COPY seeding) reaches the database of a service URL.
   */
  public record Jdbc(String url, String user, String password) {
    public Connection connect() throws SQLException {
      return DriverManager.getConnection(url, user, password);
    }

    @Override
    public String toString() {
      return url + " as " + user;
    }
  }

  /**
   * The JDBC form of {@code url}, carrying what {@link #connectOptions} honours: user and password,
   * {@code sslmode} (always explicit, so that both drivers agree: the JDBC driver's own default
   * would be {@code prefer}), {@code sslrootcert}, {@code application_name} (as {@code
   * ApplicationName}) and every other query parameter as is. Under {@code verify-ca}/{@code
   * verify-full} without {@code sslrootcert}, the JVM's trust store verifies the server (as for the
   * pools) rather than the JDBC driver's {@code ~/.postgresql/root.crt}.
   */
  public static Jdbc jdbc(URI url) {
    PgConnectOptions o = connectOptions(url);
    Map<String, String> query = new LinkedHashMap<>();
    query.put("sslmode", o.getSslMode().value);
    Map<String, String> params = queryParams(url);
    params.forEach(
        (k, v) -> {
          switch (k) {
            case "sslmode",
                "host",
                "hostaddr",
                "port",
                "user",
                "password",
                "dbname" -> {} // carried by o
            case "application_name" -> query.put("ApplicationName", v);
            default -> query.put(k, v);
          }
        });
    if ((o.getSslMode() == SslMode.VERIFY_CA || o.getSslMode() == SslMode.VERIFY_FULL)
        && !params.containsKey("sslrootcert")) {
      query.put("sslfactory", "org.postgresql.ssl.DefaultJavaSSLFactory");
    }
    String host = o.getHost().contains(":") ? "[" + o.getHost() + "]" : o.getHost();
    StringBuilder jdbc =
        new StringBuilder("jdbc:postgresql://")
            .append(host)
            .append(':')
            .append(o.getPort())
            .append('/')
            .append(encode(o.getDatabase()));
    char sep = '?';
    for (var e : query.entrySet()) {
      jdbc.append(sep).append(encode(e.getKey())).append('=').append(encode(e.getValue()));
      sep = '&';
    }
    return new Jdbc(jdbc.toString(), o.getUser(), o.getPassword());
  }

  /** The query parameters of {@code url}, percent-decoded, in order. */
  static Map<String, String> queryParams(URI url) {
    Map<String, String> out = new LinkedHashMap<>();
    String q = url.getRawQuery();
    if (q == null || q.isEmpty()) return out;
    for (String pair : q.split("&")) {
      if (pair.isEmpty()) continue;
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      out.put(
          URLDecoder.decode(k, StandardCharsets.UTF_8),
          URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
    return out;
  }

  private static URI withoutParam(URI url, String name) {
    String q = url.getRawQuery();
    if (q == null) return url;
    String kept =
        Arrays.stream(q.split("&"))
            .filter(p -> !p.equals(name) && !p.startsWith(name + "="))
            .collect(Collectors.joining("&"));
    String s = url.toString();
    String base = s.substring(0, s.indexOf('?'));
    return URI.create(kept.isEmpty() ? base : base + "?" + kept);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
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
    if (!DB_NAME.matcher(db).matches())
      return Future.failedFuture(
          new ConfigException("TARIFA_PG_URL", "unsupported database name " + db));
    Pool admin = pool(vertx, withDatabase(url, "postgres"), 1);
    return admin
        .preparedQuery("SELECT 1 FROM pg_database WHERE datname = $1")
        .execute(Tuple.of(db))
        .compose(
            rows ->
                rows.size() > 0
                    ? Future.<Void>succeededFuture()
                    // Identifiers cannot be bound as parameters; the name is validated against
                    // DB_NAME above.
                    : admin
                        .query("CREATE DATABASE " + db)
                        .execute()
                        .<Void>mapEmpty()
                        .recover(
                            e ->
                                e.getMessage() != null && e.getMessage().contains("already exists")
                                    ? Future.succeededFuture()
                                    : Future.failedFuture(e)))
        .onSuccess(v -> log.debug("database {} ready", db))
        .eventually(admin::close);
  }

  /**
   * Runs the versioned migrations under {@code classpath:db/<location>} on a worker thread, over
   * {@link #jdbc}.
   */
  public static Future<Integer> migrate(Vertx vertx, URI url, String location) {
    return migrate(vertx, url, List.of(location));
  }

  /**
   * Runs the versioned migrations under {@code classpath:db/<location>} of every location, as one
   * sequence of versions (a version may stand in one location only), on a worker thread, over
   * {@link #jdbc}. Where a script stands does not matter to the schema history: a script moved to
   * another location with the same name and bytes keeps its checksum, and databases that applied it
   * validate.
   */
  public static Future<Integer> migrate(Vertx vertx, URI url, List<String> locations) {
    String[] classpath = locations.stream().map(l -> "classpath:db/" + l).toArray(String[]::new);
    return vertx.executeBlocking(
        () -> {
          Jdbc jdbc = jdbc(url);
          var result =
              Flyway.configure()
                  .dataSource(jdbc.url(), jdbc.user(), jdbc.password())
                  .locations(classpath)
                  .loggers("slf4j")
                  .load()
                  .migrate();
          if (result.migrationsExecuted > 0)
            log.info(
                "{}: applied {} migration(s), schema now at {}",
                database(url),
                result.migrationsExecuted,
                result.targetSchemaVersion);
          return result.migrationsExecuted;
        });
  }

  /** {@link #ensureDatabase} then {@link #migrate}. */
  public static Future<Void> prepare(Vertx vertx, URI url, String location) {
    return prepare(vertx, url, List.of(location));
  }

  /** {@link #ensureDatabase} then {@link #migrate(Vertx, URI, List)}. */
  public static Future<Void> prepare(Vertx vertx, URI url, List<String> locations) {
    return ensureDatabase(vertx, url).compose(v -> migrate(vertx, url, locations)).mapEmpty();
  }
}
