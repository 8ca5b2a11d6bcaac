package dev.tarifa.users;

import dev.tarifa.shared.auth.AuthConfig;
import dev.tarifa.shared.config.Env;
import dev.tarifa.shared.launch.ServiceConfig;
import dev.tarifa.users.domain.PasswordHash;

/**
 * Configuration of the users service.
 *
 * @param service port ({@code TARIFA_USERS_PORT}, default 8081), database ({@code
 *     TARIFA_USERS_PG_URL}, else {@code TARIFA_PG_URL} with database tarifa_users) and pool ({@code
 *     TARIFA_USERS_PG_POOL}, default 8): see {@link ServiceConfig}
 * @param adminEmail the admin account created at first start ({@code TARIFA_ADMIN_EMAIL})
 * @param adminPassword its password ({@code TARIFA_ADMIN_PASSWORD}; null: no admin is created)
 * @param auth JWT settings ({@code TARIFA_JWT_*}); the private key is required, but checked when
 *     the service starts ({@link UsersService#prepare}) so that the all-in-one launcher can
 *     generate one first
 * @param passwordIterations PBKDF2 iterations for new hashes ({@code TARIFA_PASSWORD_ITERATIONS},
 *     default 600000, OWASP's figure; lower values are for tests only)
 */
public record UsersConfig(
    ServiceConfig service,
    String adminEmail,
    String adminPassword,
    AuthConfig auth,
    int passwordIterations) {
  public static final int DEFAULT_PORT = 8081;
  public static final String DEFAULT_ADMIN_EMAIL = "admin@tarifa.local";

  public static UsersConfig fromEnv(Env env) {
    return new UsersConfig(
        ServiceConfig.fromEnv(env, "users", DEFAULT_PORT),
        env.string("TARIFA_ADMIN_EMAIL", DEFAULT_ADMIN_EMAIL),
        env.get("TARIFA_ADMIN_PASSWORD").orElse(null),
        AuthConfig.fromEnv(env),
        env.integer(
            "TARIFA_PASSWORD_ITERATIONS",
            PasswordHash.DEFAULT_ITERATIONS,
            PasswordHash.MIN_ITERATIONS,
            10_000_000));
  }

  /** Never prints the admin password. */
  @Override
  public String toString() {
    return "UsersConfig[service="
        + service
        + ", adminEmail="
        + adminEmail
        + ", adminPassword="
        + (adminPassword == null ? "none" : "***")
        + ", auth="
        + auth
        + ", passwordIterations="
        + passwordIterations
        + "]";
  }
}
