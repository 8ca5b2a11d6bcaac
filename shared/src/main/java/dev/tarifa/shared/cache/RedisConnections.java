package dev.tarifa.shared.cache;

import io.vertx.redis.client.RedisOptions;
import java.net.URI;

/**
 * Redis client options from a {@code TARIFA_REDIS_URL}: {@code
 * redis://[[user]:password@]host:port[/db]} for a plain connection, {@code rediss://...} for TLS.
 * Under TLS the server's certificate is verified against the JVM's trust store and its host name
 * checked (a managed Redis presents a certificate for the host name it is reached by). The user and
 * password of the URL are sent when each connection is set up ({@code HELLO 3 AUTH} or {@code
 * AUTH}).
 */
public final class RedisConnections {
  private RedisConnections() {}

  /**
   * Options for the quote cache's client: the URL's endpoint, credentials and TLS, and the pool
   * bounds.
   */
  public static RedisOptions options(URI url) {
    RedisOptions options =
        new RedisOptions()
            .setConnectionString(url.toString())
            .setMaxPoolSize(16)
            .setMaxPoolWaiting(1024)
            .setPoolRecycleTimeout(15_000);
    if ("rediss".equalsIgnoreCase(url.getScheme())) {
      // The URL alone does not switch the client's TCP options to TLS: it would refuse to connect.
      options.getNetClientOptions().setSsl(true).setHostnameVerificationAlgorithm("HTTPS");
    }
    return options;
  }
}
