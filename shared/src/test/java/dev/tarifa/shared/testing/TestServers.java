package dev.tarifa.shared.testing;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Hands integration tests their servers. For each kind: the URL in {@code TARIFA_TEST_<KIND>_URL},
 * else the standard localhost port if it answers, else an embedded fallback where one exists
 * (PostgreSQL through zonky, MongoDB-wire through mongo-java-server), else the test is skipped with
 * a message saying what is missing. When {@code CI} is set, a missing server fails the test
 * instead: CI must never skip.
 */
public final class TestServers {
  private static EmbeddedPostgres embeddedPostgres;
  private static MongoServer embeddedMongo;

  private TestServers() {}

  /** A PostgreSQL server URL (database {@code postgres}). */
  public static synchronized URI postgres() {
    String env = System.getenv("TARIFA_TEST_PG_URL");
    if (env != null && !env.isBlank()) return URI.create(env);
    if (answers("127.0.0.1", 5432))
      return URI.create("postgresql://postgres@127.0.0.1:5432/postgres");
    try {
      if (embeddedPostgres == null) embeddedPostgres = EmbeddedPostgres.builder().start();
      return URI.create(
          "postgresql://postgres@127.0.0.1:" + embeddedPostgres.getPort() + "/postgres");
    } catch (IOException e) {
      return missing(
          "PostgreSQL (no TARIFA_TEST_PG_URL, nothing on 127.0.0.1:5432, embedded start failed: "
              + e.getMessage()
              + ")");
    }
  }

  /**
   * A fresh, empty database on the test PostgreSQL server: dropped (with its connections) and
   * created again, so every test class starts from nothing. Its name is {@code name} after the
   * optional prefix {@code TARIFA_TEST_DB_PREFIX}, so that runs sharing one server (several
   * checkouts on one machine) do not drop each other's databases.
   */
  public static URI freshPostgresDatabase(String name) {
    URI server = postgres();
    String prefix = System.getenv().getOrDefault("TARIFA_TEST_DB_PREFIX", "");
    String db = (prefix + name).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    String jdbcServer =
        "jdbc:postgresql://" + server.getHost() + ":" + server.getPort() + "/postgres";
    String user = server.getUserInfo() == null ? "postgres" : server.getUserInfo().split(":")[0];
    try (Connection c = DriverManager.getConnection(jdbcServer, user, null);
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
      s.execute("CREATE DATABASE " + db);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot create test database " + db + ": " + e.getMessage(), e);
    }
    return URI.create(
        "postgresql://" + user + "@" + server.getHost() + ":" + server.getPort() + "/" + db);
  }

  /** A Redis server URL. No embedded fallback. */
  public static URI redis() {
    String env = System.getenv("TARIFA_TEST_REDIS_URL");
    if (env != null && !env.isBlank()) return URI.create(env);
    if (answers("127.0.0.1", 6379)) return URI.create("redis://127.0.0.1:6379");
    return missing("Redis (no TARIFA_TEST_REDIS_URL and nothing on 127.0.0.1:6379)");
  }

  /** A RabbitMQ (AMQP 0-9-1) URL. No embedded fallback. */
  public static URI rabbitmq() {
    String env = System.getenv("TARIFA_TEST_AMQP_URL");
    if (env != null && !env.isBlank()) return URI.create(env);
    if (answers("127.0.0.1", 5672)) return URI.create("amqp://guest:guest@127.0.0.1:5672");
    return missing("RabbitMQ (no TARIFA_TEST_AMQP_URL and nothing on 127.0.0.1:5672)");
  }

  /**
   * A MongoDB URL: a real server when configured or on 27017, else the in-memory MongoDB-wire
   * server.
   */
  public static synchronized URI mongo() {
    String env = System.getenv("TARIFA_TEST_MONGO_URL");
    if (env != null && !env.isBlank()) return URI.create(env);
    if (answers("127.0.0.1", 27017)) return URI.create("mongodb://127.0.0.1:27017");
    if (embeddedMongo == null) {
      embeddedMongo = new MongoServer(new MemoryBackend());
      embeddedMongo.bind("127.0.0.1", 0);
    }
    InetSocketAddress a = embeddedMongo.getLocalAddress();
    return URI.create("mongodb://127.0.0.1:" + a.getPort());
  }

  public static boolean answers(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 300);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static <T> T missing(String what) {
    if (System.getenv("CI") != null) {
      return Assertions.fail("CI is set and " + what + " is not available");
    }
    Assumptions.abort("skipped: " + what + " is not available");
    return null;
  }
}
