package dev.tarifa.app;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.tarifa.shared.config.Env;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the servers that the configuration does not name: an embedded PostgreSQL (a real server
 * from a Maven artifact) when {@code TARIFA_PG_URL} is absent and an in-memory MongoDB-wire server
 * when {@code TARIFA_MONGO_URL} is absent. Redis stays absent (the cache runs L1-only) and events
 * use the Vert.x event bus unless their URLs are configured.
 */
final class EmbeddedInfrastructure implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedInfrastructure.class);

  private final List<AutoCloseable> started = new ArrayList<>();
  private final Map<String, String> urls = new HashMap<>();

  /** The URLs of the embedded servers, as configuration keys, to overlay on the environment. */
  Map<String, String> urls() {
    return urls;
  }

  EmbeddedInfrastructure start(Env env) throws IOException {
    if (env.get("TARIFA_PG_URL").isEmpty()) {
      long t0 = System.nanoTime();
      EmbeddedPostgres pg =
          EmbeddedPostgres.builder()
              .setServerConfig("max_connections", "300")
              .setServerConfig("shared_buffers", "256MB")
              .setServerConfig("fsync", "off")
              .setServerConfig("synchronous_commit", "off")
              .start();
      started.add(pg);
      urls.put("TARIFA_PG_URL", "postgresql://postgres@127.0.0.1:" + pg.getPort() + "/postgres");
      log.info(
          "embedded PostgreSQL on 127.0.0.1:{} ({} ms)",
          pg.getPort(),
          (System.nanoTime() - t0) / 1_000_000);
    }
    if (env.get("TARIFA_MONGO_URL").isEmpty()) {
      MongoServer mongo = new MongoServer(new MemoryBackend());
      mongo.bind("127.0.0.1", 0);
      var address = mongo.getLocalAddress();
      started.add(mongo::shutdownNow);
      urls.put("TARIFA_MONGO_URL", "mongodb://127.0.0.1:" + address.getPort());
      log.info("embedded MongoDB-wire server on 127.0.0.1:{}", address.getPort());
    }
    return this;
  }

  @Override
  public void close() {
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        log.warn("stopping embedded server: {}", e.toString());
      }
    }
    started.clear();
  }
}
