package dev.tarifa.shared.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Managed PostgreSQL speaks TLS: against a throwaway local cluster that accepts only TLS
 * connections with a password ({@code hostssl ... scram-sha-256}, a self-signed certificate made by
 * openssl for this run), the database creation, the Flyway migration and the pool all connect
 * encrypted with the URL's credentials, and {@code pg_stat_ssl} says so for the pool's and the
 * migration's own connections. Verification is real ({@code verify-full} against the JVM's trust
 * store refuses the self-signed server), and a server without TLS refuses {@code sslmode=require}.
 *
 * <p>Needs PostgreSQL's server binaries ({@code /usr/lib/postgresql/<v>/bin}) and openssl; as root
 * the clusters run as the {@code postgres} user (PostgreSQL refuses root). Skipped locally when
 * they are missing, failed under CI.
 */
class PostgresTlsIT {
  private static final String USER = "tarifa_tls";
  private static final String PASSWORD = "p@ss:w/rd!";
  private static final String ENCODED_PASSWORD = "p%40ss%3Aw%2Frd!";

  private static Path dir;
  private static Path bin;
  private static Cluster tls;
  private static Cluster plain;
  private static Vertx vertx;

  @BeforeAll
  static void start() throws Exception {
    bin = serverBinaries();
    require(bin != null, "PostgreSQL server binaries (/usr/lib/postgresql/<version>/bin)");
    require(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl");
    require(
        !isRoot() || run(List.of("id", "postgres"), null) == 0,
        "a postgres user to run the clusters as (running as root)");
    dir = Files.createTempDirectory("tarifa-pg-tls");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    if (isRoot()) check(List.of("chown", "postgres:postgres", dir.toString()));
    asServer(
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=localhost",
        "-addext",
        "subjectAltName=DNS:localhost,IP:127.0.0.1",
        "-keyout",
        dir.resolve("server.key").toString(),
        "-out",
        dir.resolve("server.crt").toString());
    asServer("chmod", "600", dir.resolve("server.key").toString());
    asServer("sh", "-c", "printf '%s\\n' \"$0\" > \"$1\"", PASSWORD, dir.resolve("pw").toString());
    tls = new Cluster("tls", true).start();
    plain = new Cluster("plain", false).start();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) vertx.close().await(10, TimeUnit.SECONDS);
    if (tls != null) tls.stop();
    if (plain != null) plain.stop();
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void migrationAndPoolConnectOverVerifiedTlsWithTheUrlsCredentials() throws Exception {
    URI url =
        URI.create(
            "postgresql://"
                + USER
                + ":"
                + ENCODED_PASSWORD
                + "@localhost:"
                + tls.port
                + "/tarifa_tlsproof?sslmode=verify-full&sslrootcert="
                + dir.resolve("server.crt")
                + "&application_name=tarifa-tls-it");

    // creates the database (reactive client, database postgres), then migrates over JDBC
    Postgres.prepare(vertx, url, "tlsproof").await(60, TimeUnit.SECONDS);

    Pool pool = Postgres.pool(vertx, url, 1);
    try {
      Row own =
          pool.query("SELECT ssl, current_user FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
              .execute()
              .await(10, TimeUnit.SECONDS)
              .iterator()
              .next();
      assertThat(own.getBoolean(0)).as("the pool's connection is encrypted").isTrue();
      assertThat(own.getString(1)).isEqualTo(USER);
      Row migration =
          pool.query("SELECT ssl, tls_version, login FROM migration_connection")
              .execute()
              .await(10, TimeUnit.SECONDS)
              .iterator()
              .next();
      assertThat(migration.getBoolean(0)).as("the migration's connection was encrypted").isTrue();
      assertThat(migration.getString(1)).startsWith("TLS");
      assertThat(migration.getString(2)).isEqualTo(USER);
    } finally {
      pool.close().await(10, TimeUnit.SECONDS);
    }
    try (var c = Postgres.jdbc(url).connect();
        var rs =
            c.createStatement()
                .executeQuery("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getBoolean(1)).as("a JDBC connection (seeding) is encrypted").isTrue();
    }
  }

  @Test
  void requireEncryptsWithoutVerifyingTheServer() throws Exception {
    URI url =
        URI.create(
            "postgresql://"
                + USER
                + ":"
                + ENCODED_PASSWORD
                + "@127.0.0.1:"
                + tls.port
                + "/postgres?sslmode=require");
    Pool pool = Postgres.pool(vertx, url, 1);
    try {
      assertThat(
              pool.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
                  .execute()
                  .await(10, TimeUnit.SECONDS)
                  .iterator()
                  .next()
                  .getBoolean(0))
          .isTrue();
    } finally {
      pool.close().await(10, TimeUnit.SECONDS);
    }
    try (var c = Postgres.jdbc(url).connect();
        var rs =
            c.createStatement()
                .executeQuery("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getBoolean(1)).isTrue();
    }
  }

  @Test
  void verifyFullRefusesAServerItCannotVerify() {
    // no sslrootcert: the JVM's trust store, which does not know this self-signed certificate
    URI url =
        URI.create(
            "postgresql://"
                + USER
                + ":"
                + ENCODED_PASSWORD
                + "@localhost:"
                + tls.port
                + "/postgres?sslmode=verify-full");
    Pool pool = Postgres.pool(vertx, url, 1);
    try {
      assertThatThrownBy(() -> pool.query("SELECT 1").execute().await(10, TimeUnit.SECONDS))
          .isNotNull();
    } finally {
      pool.close();
    }
    assertThatThrownBy(() -> Postgres.jdbc(url).connect().close()).hasMessageContaining("SSL");
  }

  @Test
  void withoutTlsTheTlsOnlyServerTurnsTheConnectionAway() {
    // the cluster accepts only hostssl: so the successful connections above really were TLS
    URI url =
        URI.create(
            "postgresql://"
                + USER
                + ":"
                + ENCODED_PASSWORD
                + "@127.0.0.1:"
                + tls.port
                + "/postgres");
    Pool pool = Postgres.pool(vertx, url, 1);
    try {
      assertThatThrownBy(() -> pool.query("SELECT 1").execute().await(10, TimeUnit.SECONDS))
          .hasMessageContaining("no encryption");
    } finally {
      pool.close();
    }
  }

  @Test
  void aServerWithoutTlsRefusesSslmodeRequire() throws Exception {
    URI url =
        URI.create(
            "postgresql://"
                + USER
                + ":"
                + ENCODED_PASSWORD
                + "@127.0.0.1:"
                + plain.port
                + "/postgres?sslmode=require");
    Pool pool = Postgres.pool(vertx, url, 1);
    try {
      assertThatThrownBy(() -> pool.query("SELECT 1").execute().await(10, TimeUnit.SECONDS))
          .isNotNull();
    } finally {
      pool.close();
    }
    assertThatThrownBy(() -> Postgres.migrate(vertx, url, "tlsproof").await(30, TimeUnit.SECONDS))
        .hasStackTraceContaining("SSL");
    // the same server with sslmode left out: plain, and it works (so the refusals above are about
    // TLS)
    URI plainUrl =
        URI.create(
            "postgresql://"
                + USER
                + ":"
                + ENCODED_PASSWORD
                + "@127.0.0.1:"
                + plain.port
                + "/postgres");
    Pool ok = Postgres.pool(vertx, plainUrl, 1);
    try {
      assertThat(
              ok.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
                  .execute()
                  .await(10, TimeUnit.SECONDS)
                  .iterator()
                  .next()
                  .getBoolean(0))
          .isFalse();
    } finally {
      ok.close();
    }
  }

  /**
   * A throwaway cluster in a subdirectory of {@link #dir}: TLS-only with a password, or plain with
   * a password.
   */
  private static final class Cluster {
    final Path data;
    final int port;
    final boolean ssl;

    Cluster(String name, boolean ssl) throws IOException {
      this.data = dir.resolve(name);
      this.port = freePort();
      this.ssl = ssl;
    }

    Cluster start() throws Exception {
      asServer(
          bin.resolve("initdb").toString(),
          "-D",
          data.toString(),
          "-U",
          USER,
          "--pwfile=" + dir.resolve("pw"),
          "--auth-local=trust",
          "--auth-host=scram-sha-256",
          "-E",
          "UTF8",
          "--no-sync");
      String hba =
          "local all all trust\n"
              + (ssl
                  ? "hostssl all all 127.0.0.1/32 scram-sha-256\nhostssl all all ::1/128 scram-sha-256\n"
                  : "host all all 127.0.0.1/32 scram-sha-256\nhost all all ::1/128 scram-sha-256\n");
      asServer(
          "sh", "-c", "printf '%s' \"$0\" > \"$1\"", hba, data.resolve("pg_hba.conf").toString());
      List<String> options =
          new ArrayList<>(
              List.of(
                  "-c port=" + port,
                  "-c listen_addresses=localhost",
                  "-c unix_socket_directories=" + dir,
                  "-c fsync=off"));
      if (ssl) {
        options.addAll(
            List.of(
                "-c ssl=on",
                "-c ssl_cert_file=" + dir.resolve("server.crt"),
                "-c ssl_key_file=" + dir.resolve("server.key")));
      }
      asServer(
          bin.resolve("pg_ctl").toString(),
          "-D",
          data.toString(),
          "-l",
          dir.resolve(data.getFileName() + ".log").toString(),
          "-w",
          "-t",
          "60",
          "-o",
          String.join(" ", options),
          "start");
      return this;
    }

    void stop() throws Exception {
      asServer(
          bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop");
    }
  }

  private static Path serverBinaries() throws IOException {
    Path root = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) return null;
    try (Stream<Path> versions = Files.list(root)) {
      return versions
          .filter(v -> v.getFileName().toString().matches("\\d+"))
          .map(v -> v.resolve("bin"))
          .filter(
              b ->
                  Files.isExecutable(b.resolve("initdb"))
                      && Files.isExecutable(b.resolve("pg_ctl")))
          .max(Comparator.comparing(b -> Integer.parseInt(b.getParent().getFileName().toString())))
          .orElse(null);
    }
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  /**
   * Runs a command as the user the server runs as (postgres when this JVM is root); fails on a
   * non-zero exit.
   */
  private static void asServer(String... command) throws Exception {
    List<String> full = new ArrayList<>();
    if (isRoot()) full.addAll(List.of("runuser", "-u", "postgres", "--"));
    full.addAll(List.of(command));
    check(full);
  }

  private static void check(List<String> command) throws Exception {
    Path log = Files.createTempFile("tarifa-pg-tls", ".log");
    try {
      int rc = run(command, log);
      if (rc != 0)
        throw new IllegalStateException(
            String.join(" ", command) + " exited " + rc + ": " + Files.readString(log));
    } finally {
      Files.deleteIfExists(log);
    }
  }

  /**
   * Runs {@code command} to completion (bounded), its output to {@code log} (or discarded); its
   * exit code.
   */
  private static int run(List<String> command, Path log) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(
                log == null
                    ? ProcessBuilder.Redirect.DISCARD
                    : ProcessBuilder.Redirect.to(log.toFile()));
    Process p = pb.start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("timed out: " + command);
    }
    return p.exitValue();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void require(boolean present, String what) {
    if (present) return;
    if (System.getenv("CI") != null) Assertions.fail("CI is set and " + what + " is missing");
    Assumptions.abort("skipped: " + what + " is missing");
  }
}
