package dev.tarifa.shared.pricing;

import dev.tarifa.shared.db.Postgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Loads a generated catalogue into a service's database exactly once, fast: on a worker thread,
 * over JDBC, with {@code COPY ... FROM STDIN (FORMAT csv)}, in one transaction.
 *
 * <p>Guarantees: the transaction first takes a transaction-scoped advisory lock ({@code lockKey}),
 * then checks for a row in the service's {@code catalogue_meta} table; when one exists nothing is
 * loaded and the result is {@code false}. Otherwise the {@link Loader} runs (it must also insert
 * the {@code catalogue_meta} row), the transaction commits, the database is ANALYZEd and the result
 * is {@code true}. Concurrent starters therefore wait for each other and the catalogue is loaded
 * once; a failure rolls everything back and fails the future.
 */
public final class CatalogueSeeder {
  /** Writes the catalogue through {@code copy}; runs inside the seeding transaction. */
  @FunctionalInterface
  public interface Loader {
    void load(Copy copy) throws Exception;
  }

  /** COPY access inside the seeding transaction. */
  public static final class Copy {
    private final Connection connection;
    private final CopyManager manager;
    private final StringBuilder buffer = new StringBuilder(1 << 16);

    Copy(Connection connection) throws SQLException {
      this.connection = connection;
      this.manager = connection.unwrap(PGConnection.class).getCopyAPI();
    }

    /** The transaction's connection (for the {@code catalogue_meta} row and sequence updates). */
    public Connection connection() {
      return connection;
    }

    /** Appends one CSV row; pass strings through {@link #q} so they are quoted. */
    public Copy row(Object... values) {
      for (int i = 0; i < values.length; i++) {
        if (i > 0) buffer.append(',');
        buffer.append(values[i]);
      }
      buffer.append('\n');
      return this;
    }

    /**
     * Sends the rows appended since the last call to {@code table (columns)} and clears the buffer.
     */
    public long into(String tableAndColumns) throws SQLException, IOException {
      long n =
          manager.copyIn(
              "COPY " + tableAndColumns + " FROM STDIN WITH (FORMAT csv)",
              new StringReader(buffer.toString()));
      buffer.setLength(0);
      return n;
    }

    /** A CSV-quoted string (quotes doubled). */
    public static String q(String s) {
      return '"' + s.replace("\"", "\"\"") + '"';
    }
  }

  private CatalogueSeeder() {}

  /** Seeds unless already seeded; true when this call loaded the catalogue. */
  public static Future<Boolean> seedOnce(Vertx vertx, URI url, long lockKey, Loader loader) {
    return vertx.executeBlocking(
        () -> {
          try (Connection c = Postgres.jdbc(url).connect()) {
            c.setAutoCommit(false);
            try {
              try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(" + lockKey + ")");
                try (ResultSet rs = s.executeQuery("SELECT 1 FROM catalogue_meta")) {
                  if (rs.next()) {
                    c.commit();
                    return false;
                  }
                }
              }
              loader.load(new Copy(c));
              c.commit();
            } catch (Exception e) {
              c.rollback();
              throw e;
            }
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
              s.execute("ANALYZE");
            }
            return true;
          }
        });
  }
}
