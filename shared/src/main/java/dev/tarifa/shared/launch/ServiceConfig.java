package dev.tarifa.shared.launch;

import dev.tarifa.shared.config.ConfigException;
import dev.tarifa.shared.config.Env;
import dev.tarifa.shared.db.Postgres;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * The part of a PostgreSQL service's configuration that its {@link ServiceFrame} uses: the
 * service's name, its HTTP port and its own database. Each service's typed configuration ({@code
 * UsersConfig}, {@code FlightsConfig}, ...) composes one and adds its own settings; the keys are
 * named after the service:
 *
 * <ul>
 *   <li>{@code TARIFA_<SERVICE>_PORT}: the HTTP port (0 to 65535; 0 binds any free port, for
 *       tests);
 *   <li>{@code TARIFA_<SERVICE>_PG_URL}, else {@code TARIFA_PG_URL} with its database replaced by
 *       {@code tarifa_<service>} ({@link Postgres#serviceUrl});
 *   <li>{@code TARIFA_<SERVICE>_PG_POOL}: connections per verticle instance ({@value
 *       #DEFAULT_POOL_SIZE} by default, {@value #MIN_POOL_SIZE} to {@value #MAX_POOL_SIZE}).
 * </ul>
 *
 * {@link #toString()} redacts the database URL's password.
 *
 * @param name the service's name ({@code flights}, ...): lower case; labels the pool, the health
 *     checks, the event connections, and names the migrations' location {@code classpath:db/<name>}
 * @param port the HTTP port
 * @param pgUrl the service's own database
 * @param poolSize the connections of each verticle instance's pool
 */
public record ServiceConfig(String name, int port, URI pgUrl, int poolSize) {
  public static final int DEFAULT_POOL_SIZE = 8;
  public static final int MIN_POOL_SIZE = 1;
  public static final int MAX_POOL_SIZE = 100;

  /**
   * @throws NullPointerException if {@code name} or {@code pgUrl} is null
   * @throws IllegalArgumentException if the port or the pool size is out of range (parsed values
   *     never are: the parser refuses them with a {@link ConfigException} naming the key)
   */
  public ServiceConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(pgUrl, "pgUrl");
    if (port < 0 || port > 65535)
      throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
    if (poolSize < MIN_POOL_SIZE || poolSize > MAX_POOL_SIZE) {
      throw new IllegalArgumentException(
          "poolSize must be between "
              + MIN_POOL_SIZE
              + " and "
              + MAX_POOL_SIZE
              + ", got "
              + poolSize);
    }
  }

  /**
   * Reads the keys of service {@code name} from {@code env}, in this order: port, database URL,
   * pool size.
   *
   * @param defaultPort the port when {@code TARIFA_<SERVICE>_PORT} is not set
   * @throws ConfigException naming the first key whose value cannot be used
   */
  public static ServiceConfig fromEnv(Env env, String name, int defaultPort) {
    String prefix = "TARIFA_" + name.toUpperCase(Locale.ROOT);
    return new ServiceConfig(
        name,
        env.port(prefix + "_PORT", defaultPort),
        Postgres.serviceUrl(env, name),
        env.integer(prefix + "_PG_POOL", DEFAULT_POOL_SIZE, MIN_POOL_SIZE, MAX_POOL_SIZE));
  }

  /** Never prints the database password. */
  @Override
  public String toString() {
    return "ServiceConfig[name="
        + name
        + ", port="
        + port
        + ", pgUrl="
        + Env.redact(pgUrl.toString())
        + ", poolSize="
        + poolSize
        + "]";
  }
}
