package dev.tarifa.flights;

import dev.tarifa.shared.auth.AuthConfig;
import dev.tarifa.shared.auth.JwtIssuer;
import dev.tarifa.shared.auth.JwtKeys;
import dev.tarifa.shared.config.Env;
import dev.tarifa.shared.launch.OfferServiceConfig;
import dev.tarifa.shared.pricing.CatalogueSize;
import dev.tarifa.shared.testing.TestServers;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** The flights service on a fresh database with the small catalogue, listening on a free port. */
final class FlightsTestApp {
  final FlightsConfig config;
  final FlightsService service;
  final int port;
  final JwtIssuer issuer;

  private FlightsTestApp(FlightsConfig config, FlightsService service, int port, JwtIssuer issuer) {
    this.config = config;
    this.service = service;
    this.port = port;
    this.issuer = issuer;
  }

  static FlightsTestApp start(Vertx vertx, String database) throws Exception {
    return start(vertx, database, new String[0]);
  }

  /**
   * {@code setup}: SQL statements run on the seeded database before the service reads its reference
   * data (extra airports, say).
   */
  static FlightsTestApp start(Vertx vertx, String database, String... setup) throws Exception {
    var keys = JwtKeys.generateEs256();
    Env env =
        Env.of(
            Map.of(
                "TARIFA_FLIGHTS_PORT", "0",
                "TARIFA_FLIGHTS_PG_URL", TestServers.freshPostgresDatabase(database).toString(),
                "TARIFA_FLIGHTS_PG_POOL", "4",
                "TARIFA_CATALOGUE_SIZE", "small"));
    OfferServiceConfig base = FlightsConfig.fromEnv(env).offer();
    AuthConfig auth = base.auth().withKeys(keys);
    FlightsConfig config =
        new FlightsConfig(
            OfferServiceConfig.of(
                FlightsConfig.NAME,
                base.service().port(),
                base.service().pgUrl(),
                base.service().poolSize(),
                CatalogueSize.SMALL,
                base.catalogueSeed(),
                auth));
    FlightsService service = new FlightsService(config);
    service.prepare(vertx).await(120, TimeUnit.SECONDS);
    if (setup.length > 0) {
      var pool = dev.tarifa.shared.db.Postgres.pool(vertx, config.offer().service().pgUrl(), 1);
      try {
        for (String sql : setup) pool.query(sql).execute().await(10, TimeUnit.SECONDS);
      } finally {
        pool.close().await(5, TimeUnit.SECONDS);
      }
    }
    FlightsVerticle verticle = new FlightsVerticle(config);
    vertx.deployVerticle(verticle).await(30, TimeUnit.SECONDS);
    return new FlightsTestApp(
        config, service, verticle.actualPort(), JwtIssuer.create(vertx, auth));
  }

  String token(String... roles) {
    return issuer.issue("user-1", "a@example.org", Set.of(roles));
  }
}
