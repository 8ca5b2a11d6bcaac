package dev.tarifa.app;

import dev.tarifa.cars.CarsConfig;
import dev.tarifa.cars.CarsService;
import dev.tarifa.flights.FlightsConfig;
import dev.tarifa.flights.FlightsService;
import dev.tarifa.gateway.GatewayConfig;
import dev.tarifa.gateway.GatewayService;
import dev.tarifa.hotels.HotelsConfig;
import dev.tarifa.hotels.HotelsService;
import dev.tarifa.reviews.ReviewsConfig;
import dev.tarifa.reviews.ReviewsService;
import dev.tarifa.shared.auth.JwtKeys;
import dev.tarifa.shared.config.ConfigException;
import dev.tarifa.shared.config.Env;
import dev.tarifa.shared.launch.ServiceLauncher;
import dev.tarifa.shared.launch.TarifaService;
import dev.tarifa.shared.tracing.Tracing;
import dev.tarifa.users.UsersConfig;
import dev.tarifa.users.UsersService;
import io.vertx.core.Vertx;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The all-in-one launcher: every service in one JVM on its own port, with embedded infrastructure
 * for whatever the configuration does not name.
 */
public final class TarifaApp {
  private static final Logger log = LoggerFactory.getLogger(TarifaApp.class);

  private TarifaApp() {}

  public static void main(String[] args) {
    long t0 = System.nanoTime();
    Env env = Env.system();
    List<TarifaService> services;
    Tracing tracing;
    EmbeddedInfrastructure embedded = new EmbeddedInfrastructure();
    try {
      // Validate what is configured before starting anything.
      services(env);
      tracing = ServiceLauncher.tracing(env, "tarifa"); // off unless OTEL_* asks for it
      embedded.start(env);
      Map<String, String> overlay = new HashMap<>(embedded.urls());
      String generatedPassword = null;
      if (env.get("TARIFA_ADMIN_PASSWORD").isEmpty()) {
        generatedPassword = generatePassword();
        overlay.put("TARIFA_ADMIN_PASSWORD", generatedPassword);
      }
      if (env.get("TARIFA_JWT_PRIVATE_KEY").isEmpty()
          && env.get("TARIFA_JWT_PUBLIC_KEY").isEmpty()) {
        // Tokens then last only as long as this process; configure keys to keep sessions across
        // restarts.
        JwtKeys.KeyPairPem keys = JwtKeys.generateEs256();
        overlay.put("TARIFA_JWT_PRIVATE_KEY", keys.privatePem());
        overlay.put("TARIFA_JWT_PUBLIC_KEY", keys.publicPem());
        log.info("no JWT keys configured: generated an ES256 key pair for this run");
      }
      env = env.with(overlay);
      services = services(env);
      if (generatedPassword != null) {
        log.info(
            "no TARIFA_ADMIN_PASSWORD configured: generated admin password for {} is {}",
            env.string("TARIFA_ADMIN_EMAIL", UsersConfig.DEFAULT_ADMIN_EMAIL),
            generatedPassword);
      }
    } catch (ConfigException e) {
      embedded.close();
      ServiceLauncher.exitWithConfigError(e);
      return;
    } catch (Exception e) {
      embedded.close();
      log.error("embedded infrastructure failed to start: {}", e.toString(), e);
      System.exit(1);
      return;
    }

    Vertx vertx = ServiceLauncher.newVertx(tracing);
    ServiceLauncher.installShutdownHook(vertx, List.of(tracing, embedded));
    ServiceLauncher.deploy(vertx, services)
        .onSuccess(
            v -> {
              StringBuilder sb =
                  new StringBuilder("Tarifa is up in ")
                      .append((System.nanoTime() - t0) / 1_000_000)
                      .append(" ms:");
              for (TarifaService s : services)
                sb.append(String.format("%n  %-8s http://localhost:%d", s.name(), s.port()));
              log.info(sb.toString());
            })
        .onFailure(ServiceLauncher::exitWithStartUpFailure);
  }

  /**
   * The services in start order: domain services first, the gateway last.
   *
   * @throws ConfigException if two services are given the same port (other than 0, any free one):
   *     in one JVM Vert.x would let them share it silently, each answering half the requests of
   *     both
   */
  static List<TarifaService> services(Env env) {
    List<TarifaService> services =
        List.of(
            new UsersService(UsersConfig.fromEnv(env)),
            new FlightsService(FlightsConfig.fromEnv(env)),
            new HotelsService(HotelsConfig.fromEnv(env)),
            new CarsService(CarsConfig.fromEnv(env)),
            new ReviewsService(ReviewsConfig.fromEnv(env)),
            new GatewayService(GatewayConfig.fromEnv(env)));
    Map<Integer, String> byPort = new HashMap<>();
    for (TarifaService s : services) {
      if (s.port() == 0) continue;
      String key = "TARIFA_" + s.name().toUpperCase(Locale.ROOT) + "_PORT";
      String other = byPort.putIfAbsent(s.port(), key);
      if (other != null)
        throw new ConfigException(
            key, "port " + s.port() + " is " + other + " as well; each service needs its own port");
    }
    return services;
  }

  static String generatePassword() {
    byte[] b = new byte[18];
    new SecureRandom().nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
