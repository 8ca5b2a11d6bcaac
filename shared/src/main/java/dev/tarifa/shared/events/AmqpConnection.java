package dev.tarifa.shared.events;

import dev.tarifa.shared.config.Env;
import dev.tarifa.shared.config.TrustStores;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.net.TrustOptions;
import io.vertx.rabbitmq.RabbitMQClient;
import io.vertx.rabbitmq.RabbitMQOptions;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One supervised AMQP connection (one client, one channel). The client's own reconnect is off: a
 * watchdog notices a dead connection or channel, drops the client and connects a fresh one with
 * exponential back-off (min..max), then runs {@code onConnect} (topology, confirm mode, consumers)
 * before reporting connected and telling the {@link #onConnected} listeners. So callers fail fast
 * while the broker is away instead of queueing behind a reconnect, and publishers waiting for the
 * broker go the moment it is back.
 *
 * <p>The connections of one Vert.x instance (a process) to one broker address wake each other: when
 * one connects, every other one waiting out its back-off tries again at once, so a process whose
 * relay and consumers back off independently is back on the broker within one connection's back-off
 * of its return, not the slowest one's.
 *
 * <p>The client opens and closes its connection in blocking calls that Vert.x runs in order per
 * calling context, so connections started from one verticle would connect one after the other: the
 * connection therefore opens and closes its client from a context of its own (a verticle deployed
 * for it that does nothing else), while {@code onConnect}, the channel calls and the deliveries
 * stay on the creating context.
 */
final class AmqpConnection {
  private static final Logger log = LoggerFactory.getLogger(AmqpConnection.class);
  private static final long WATCHDOG_MS = 250;

  /**
   * The open connections by broker address ({@code host:port}); a connection wakes those of its own
   * Vert.x instance.
   */
  private static final ConcurrentHashMap<String, Set<AmqpConnection>> PEERS =
      new ConcurrentHashMap<>();

  private final Vertx vertx;
  private final Context context;

  /** Where the client connects and disconnects; the creating context until it is deployed. */
  private volatile Context connector;

  private Future<String> connectorDeployment;
  private final RabbitMQOptions options;
  private final String name;
  private final Function<RabbitMQClient, Future<Void>> onConnect;
  private final Duration min;
  private final Duration max;
  private final List<Promise<Void>> waiters = new ArrayList<>();
  private final List<Runnable> connectedListeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  private volatile RabbitMQClient client;
  private volatile boolean connected;
  private volatile String lastError = "not connected yet";
  private long backoffMs;
  private int failuresInARow;
  private long timer = -1;
  private boolean closed;

  /** A reconnect timer is pending (as opposed to the watchdog's). Context thread only. */
  private boolean retrying;

  private final String address;

  AmqpConnection(
      Vertx vertx,
      URI url,
      String name,
      Duration min,
      Duration max,
      Function<RabbitMQClient, Future<Void>> onConnect) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.connector = context;
    this.options = options(url, name);
    this.name = name;
    this.onConnect = onConnect;
    this.min = min;
    this.max = max;
    this.backoffMs = min.toMillis();
    this.address = url.getHost() + ":" + url.getPort();
    PEERS.computeIfAbsent(address, a -> ConcurrentHashMap.newKeySet()).add(this);
  }

  /**
   * Options from {@code TARIFA_AMQP_URL}: {@code amqp://user:password@host:port/vhost}, or {@code
   * amqps://...} for TLS. The URL's credentials and virtual host are applied by the client from the
   * URI. Under {@code amqps} the broker's certificate is verified against the JVM's trust store and
   * must name the URL's host: left to the URI alone, the AMQP client would encrypt but trust any
   * certificate, and the Vert.x client hands it a bare SSL context that checks no host name ({@link
   * HostnameCheckingTrustManager} does).
   */
  static RabbitMQOptions options(URI url, String name) {
    return options(url, name, TrustStores.jvmDefault());
  }

  /** {@link #options(URI, String)} with other trust anchors (tests). */
  static RabbitMQOptions options(URI url, String name, TrustManagerFactory anchors) {
    RabbitMQOptions options = new RabbitMQOptions();
    if ("amqps".equalsIgnoreCase(url.getScheme())) {
      options
          .setSsl(true)
          .setHostnameVerificationAlgorithm("HTTPS")
          .setTrustOptions(
              TrustOptions.wrap(new HostnameCheckingTrustManager(anchors, url.getHost())));
    }
    return options
        .setUri(url.toString())
        .setConnectionName("tarifa-" + name)
        .setConnectionTimeout(5000)
        .setHandshakeTimeout(5000)
        .setRequestedHeartbeat(10)
        .setAutomaticRecoveryEnabled(false)
        .setReconnectAttempts(0);
  }

  /**
   * Starts connecting; the future completes with the first attempt (the loop keeps trying on
   * failure).
   */
  Future<Void> start() {
    Promise<Void> first = Promise.promise();
    context.runOnContext(
        v -> {
          waiters.add(first);
          connectorDeployment =
              vertx
                  .deployVerticle(new ConnectorVerticle())
                  .onComplete(
                      ar -> {
                        // Without one (Vert.x closing), connecting from the creating context still
                        // works, only in turn with its other connections.
                        if (ar.failed())
                          log.debug("RabbitMQ connection {}: no context of its own", name);
                        connect();
                      });
        });
    return first.future();
  }

  /** Deployed only to give a connection its own context for the client's blocking calls. */
  private final class ConnectorVerticle extends VerticleBase {
    @Override
    public Future<?> start() {
      connector = context;
      return Future.succeededFuture();
    }
  }

  /**
   * Runs {@code op} on the connector context and completes on this connection's context, so the
   * client's blocking connect and close of this connection wait for no other connection's.
   */
  private <T> Future<T> onConnector(Supplier<Future<T>> op) {
    Promise<T> result = Promise.promise();
    connector.runOnContext(
        v -> op.get().onComplete(ar -> context.runOnContext(x -> result.handle(ar))));
    return result.future();
  }

  boolean connected() {
    return connected && client != null && client.isConnected() && client.isOpenChannel();
  }

  /** The live client, or a failed future naming why there is none. */
  Future<RabbitMQClient> client() {
    if (!connected())
      return Future.failedFuture(
          new IllegalStateException("RabbitMQ (" + name + ") unavailable: " + lastError));
    return Future.succeededFuture(client);
  }

  /** Runs {@code listener} after every successful (re)connection, on this connection's context. */
  void onConnected(Runnable listener) {
    connectedListeners.add(listener);
  }

  String lastError() {
    return lastError;
  }

  private void connect() {
    if (closed) return;
    RabbitMQClient c = RabbitMQClient.create(vertx, options);
    onConnector(c::start)
        .compose(v -> onConnect.apply(c))
        .onComplete(
            ar -> {
              if (closed) {
                c.stop();
                return;
              }
              if (ar.succeeded()) {
                client = c;
                connected = true;
                backoffMs = min.toMillis();
                failuresInARow = 0;
                log.info("RabbitMQ connection {} established", name);
                notifyWaiters(null);
                timer = vertx.setTimer(WATCHDOG_MS, t -> watch());
                for (Runnable l : connectedListeners) {
                  try {
                    l.run();
                  } catch (RuntimeException e) {
                    log.warn("RabbitMQ connection {}: connected listener failed", name, e);
                  }
                }
                for (AmqpConnection peer : PEERS.getOrDefault(address, Set.of()))
                  if (peer != this) peer.wake(peer.vertx == vertx);
              } else {
                lastError = String.valueOf(ar.cause().getMessage());
                // retries come every few hundred ms during an outage: warn on the first and then
                // every 20th
                if (failuresInARow++ % 20 == 0)
                  log.warn(
                      "RabbitMQ connection {} failed ({}); retrying in {} ms",
                      name,
                      lastError,
                      backoffMs);
                else
                  log.debug(
                      "RabbitMQ connection {} failed ({}); retrying in {} ms",
                      name,
                      lastError,
                      backoffMs);
                onConnector(c::stop);
                notifyWaiters(ar.cause());
                retrying = true;
                timer =
                    vertx.setTimer(
                        backoffMs,
                        t -> {
                          retrying = false;
                          connect();
                        });
                backoffMs = Math.min(max.toMillis(), backoffMs * 2);
              }
            });
  }

  /**
   * {@code retry}: the broker took a connection of this one's Vert.x instance; if waiting out a
   * back-off, try again now. Otherwise only checks that this one's instance is alive.
   */
  private void wake(boolean retry) {
    try {
      context.runOnContext(
          v -> {
            if (!retry || closed || !retrying) return;
            retrying = false;
            vertx.cancelTimer(timer);
            log.debug("RabbitMQ connection {}: the broker is back, retrying now", name);
            connect();
          });
    } catch (RuntimeException e) {
      // its Vert.x instance was closed without closing it (tests): nothing to wake, ever
      forget();
    }
  }

  private void forget() {
    PEERS.computeIfPresent(
        address,
        (k, set) -> {
          set.remove(this);
          return set.isEmpty() ? null : set;
        });
  }

  private void watch() {
    if (closed) return;
    if (client.isConnected() && client.isOpenChannel()) {
      timer = vertx.setTimer(WATCHDOG_MS, t -> watch());
      return;
    }
    connected = false;
    lastError = "connection lost";
    log.warn("RabbitMQ connection {} lost; reconnecting", name);
    RabbitMQClient dead = client;
    client = null;
    onConnector(dead::stop).onComplete(ar -> connect());
  }

  private void notifyWaiters(Throwable failure) {
    List<Promise<Void>> ws = new ArrayList<>(waiters);
    waiters.clear();
    for (Promise<Void> p : ws) {
      if (failure == null) p.tryComplete();
      else p.tryFail(failure);
    }
  }

  Future<Void> close() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(
        v -> {
          closed = true;
          connected = false;
          forget();
          vertx.cancelTimer(timer);
          RabbitMQClient c = client;
          client = null;
          // From this context, not the connector's: closing may come after the connector was
          // undeployed with its parent verticle.
          Future<Void> stopped = c == null ? Future.succeededFuture() : c.stop();
          stopped.transform(ar -> undeployConnector()).onComplete(ar -> done.complete());
        });
    return done.future();
  }

  private Future<Void> undeployConnector() {
    Future<String> d = connectorDeployment;
    if (d == null || d.failed()) return Future.succeededFuture();
    return d.compose(id -> vertx.undeploy(id)).recover(e -> Future.succeededFuture());
  }

  @Override
  public String toString() {
    return name + "@" + Env.redact(options.getUri());
  }
}
