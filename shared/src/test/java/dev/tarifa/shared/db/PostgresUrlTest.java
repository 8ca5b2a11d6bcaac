package dev.tarifa.shared.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tarifa.shared.config.ConfigException;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Every PostgreSQL connection, reactive or JDBC, carries the URL's credentials and TLS parameters.
 */
class PostgresUrlTest {
  @Test
  void jdbcCarriesCredentialsTlsAndOtherParameters() throws Exception {
    Path ca = Files.createTempFile("ca", ".crt");
    try {
      URI url =
          URI.create(
              "postgresql://svc:p%40ss%3Aw@db.example.org:6432/tarifa_flights?sslmode=verify-full&sslrootcert="
                  + ca
                  + "&application_name=tarifa&connectTimeout=5");
      Postgres.Jdbc jdbc = Postgres.jdbc(url);
      assertThat(jdbc.url())
          .isEqualTo(
              "jdbc:postgresql://db.example.org:6432/tarifa_flights?sslmode=verify-full&sslrootcert="
                  + java.net.URLEncoder.encode(
                      ca.toString(), java.nio.charset.StandardCharsets.UTF_8)
                  + "&ApplicationName=tarifa&connectTimeout=5");
      assertThat(jdbc.user()).isEqualTo("svc");
      assertThat(jdbc.password()).isEqualTo("p@ss:w");

      PgConnectOptions o = Postgres.connectOptions(url);
      assertThat(o.getSslMode()).isEqualTo(SslMode.VERIFY_FULL);
      assertThat(o.getSslOptions().getHostnameVerificationAlgorithm()).isEqualTo("HTTPS");
      assertThat(o.getSslOptions().getTrustOptions()).isNotNull();
      assertThat(o.getSslOptions().isTrustAll()).isFalse();
      assertThat(o.getProperties()).doesNotContainKey("sslrootcert"); // never sent to the server
    } finally {
      Files.delete(ca);
    }
  }

  @Test
  void sslmodeIsAlwaysExplicitSoBothDriversAgree() {
    assertThat(Postgres.jdbc(URI.create("postgresql://postgres@127.0.0.1:5432/tarifa_cars")).url())
        .isEqualTo("jdbc:postgresql://127.0.0.1:5432/tarifa_cars?sslmode=disable");
    // require: encrypted without verifying (libpq's meaning) on both sides
    assertThat(Postgres.jdbc(URI.create("postgresql://u:p@h:5432/d?sslmode=require")).url())
        .isEqualTo("jdbc:postgresql://h:5432/d?sslmode=require");
    assertThat(
            Postgres.connectOptions(URI.create("postgresql://u:p@h:5432/d?sslmode=require"))
                .getSslOptions()
                .isTrustAll())
        .isTrue();
    // verify-ca without a root certificate: the JVM trust store on both sides
    assertThat(Postgres.jdbc(URI.create("postgres://u:p@h:5432/d?sslmode=verify-ca")).url())
        .isEqualTo(
            "jdbc:postgresql://h:5432/d?sslmode=verify-ca&sslfactory=org.postgresql.ssl.DefaultJavaSSLFactory");
    assertThat(
            Postgres.connectOptions(URI.create("postgres://u:p@h:5432/d?sslmode=verify-ca"))
                .getSslOptions()
                .getHostnameVerificationAlgorithm())
        .isEmpty();
  }

  @Test
  void theServiceDatabaseKeepsTheServersParameters() {
    URI server =
        URI.create(
            "postgresql://u:p@h:5432/postgres?sslmode=verify-full&sslrootcert=/etc/tarifa/pg-ca.crt");
    assertThat(Postgres.withDatabase(server, "tarifa_hotels").toString())
        .isEqualTo(
            "postgresql://u:p@h:5432/tarifa_hotels?sslmode=verify-full&sslrootcert=/etc/tarifa/pg-ca.crt");
  }

  @Test
  void unusableTlsParametersNameTheKey() {
    assertThatThrownBy(
            () ->
                Postgres.connectOptions(
                    URI.create(
                        "postgresql://u@h/d?sslmode=verify-full&sslrootcert=/nonexistent/ca.crt")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("TARIFA_PG_URL")
        .hasMessageContaining("sslrootcert");
    assertThatThrownBy(
            () ->
                Postgres.connectOptions(
                    URI.create("postgresql://u@h/d?sslmode=require&sslcert=/c.crt")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("client certificates");
    assertThatThrownBy(
            () -> Postgres.connectOptions(URI.create("postgresql://u@h/d?sslmode=sometimes")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("TARIFA_PG_URL");
  }
}
