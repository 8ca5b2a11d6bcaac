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
 * <p>The urgent connections of one Vert.x instance (a process) to one broker address wake each
 * other: when one connects, every other one waiting out its back-off tries again at once, so a
 * process whose relay and invalidation consumer back off independently is back on the broker within
 * one connection's back-off of its return, not the slowest one's. A process's connections open one
 * at a time, the most urgent first ({@link AmqpOpenings}), and those that can wait (a durable
 * queue's consumer, dead-letter administration) retry at most every {@link #PATIENT_MAX} and are
 * not woken: at the broker's return a publisher or a replica's invalidation consumer does not queue
 * behind, or share the cores with, a dozen handshakes that could have waited.
 *
 * <p>Threading. The client runs each call (connect, every channel operation, close) as a blocking
 * task that Vert.x orders per calling context, so calls made from one verticle's context, whatever
 * their connection, wait for each other: a reconnecting consumer's declarations queued behind the
 * publisher's, a batch's publishes behind another connection's acknowledgements. Each connection
 * therefore lives on a context of its own (a verticle deployed for it that does nothing else): its
 * supervision, {@code onConnect}, the calls made through {@link #call} and {@link #run}, and the
 * deliveries of consumers started in {@code onConnect} all run there. Results of {@link #call} and
 * {@link #run}, and the {@link #onConnected} listeners, come back on the caller's (creating)
 * context.
 */
final class AmqpConnection {
  private static final Logger log = LoggerFactory.getLogger(AmqpConnection.class);
  private static final long WATCHDOG_MS = 250;

  /** The back-off cap of connections that are not {@link AmqpOpenings.Urgency#URGENT urgent}. */
  static final Duration PATIENT_MAX = Duration.ofSeconds(1);

  /** The longest an opening holds its process's turn ({@link AmqpOpenings}). */
  static final long TURN_MS = 250;

  /**
   * The open connections by broker address ({@code host:port}); a connection wakes those of its own
   * Vert.x instance.
   */
  private static final ConcurrentHashMap<String, Set<AmqpConnection>> PEERS =
      new ConcurrentHashMap<>();

  private final Vertx vertx;

  /** The creating context: listeners run there, and closing starts there. */
  private final Context context;

  /**
   * Where the connection lives (see the class comment); the creating context until its verticle is
   * deployed, or if it cannot be (Vert.x closing).
   */
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
  private volatile boolean closed;
  private volatile long timer = -1;

  // Connector context only.
  private long backoffMs;
  private int failuresInARow;

  /** A reconnect timer is pending (as opposed to the watchdog's). */
  private boolean retrying;

  private final String address;
  private final AmqpOpenings.Urgency urgency;
  private final AmqpOpenings openings;

  AmqpConnection(
      Vertx vertx,
      URI url,
      String name,
      AmqpOpenings.Urgency urgency,
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
    // Connections that can wait retry less often while the broker is away and are not woken by
    // their peers: at its return they come a moment after the urgent ones, not in the same burst.
    this.max =
        urgency == AmqpOpenings.Urgency.URGENT || max.compareTo(PATIENT_MAX) >= 0
            ? max
            : PATIENT_MAX;
    this.backoffMs = min.toMillis();
    this.address = url.getHost() + ":" + url.getPort();
    this.urgency = urgency;
    this.openings = AmqpOpenings.of(vertx, address);
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
    Promise<Void> reported = Promise.promise();
    Promise<Void> first = Promise.promise();
    Context caller = vertx.getOrCreateContext();
    // completed on the connector, reported on the caller's context
    first.future().onComplete(ar -> caller.runOnContext(x -> reported.handle(ar)));
    waiters.add(first);
    context.runOnContext(
        v -> {
          connectorDeployment =
              vertx
                  .deployVerticle(new ConnectorVerticle())
                  .onComplete(
                      ar -> {
                        // Without one (Vert.x closing), connecting from the creating context still
                        // works, only in turn with its other connections.
                        if (ar.failed())
                          log.debug("RabbitMQ connection {}: no context of its own", name);
                        connector.runOnContext(x -> connect());
                      });
        });
    return reported.future();
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
   * Runs {@code op} on this connection's context; the returned future completes on the caller's
   * context. For calls on a client this connection handed out (acknowledging a delivery on the
   * channel it came from).
   */
  <T> Future<T> run(Supplier<Future<T>> op) {
    Context caller = vertx.getOrCreateContext();
    Context on = connector;
    if (caller == on) return started(op);
    Promise<T> result = Promise.promise();
    on.runOnContext(v -> started(op).onComplete(ar -> caller.runOnContext(x -> result.handle(ar))));
    return result.future();
  }

  /** {@code op}'s future, or a failed one if starting it threw. */
  private static <T> Future<T> started(Supplier<Future<T>> op) {
    try {
      return op.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /**
   * Applies {@code op} to the live client on this connection's context, or fails naming why there
   * is none; the returned future completes on the caller's context.
   */
  <T> Future<T> call(Function<RabbitMQClient, Future<T>> op) {
    return run(() -> available().compose(v -> op.apply(client)));
  }

  /** Runs {@code task} on the creating context (a delivery's handler, say). */
  void onCreatingContext(Runnable task) {
    context.runOnContext(v -> task.run());
  }

  boolean connected() {
    RabbitMQClient c = client;
    return connected && c != null && c.isConnected() && c.isOpenChannel();
  }

  /** Succeeds while connected, or fails naming why not. */
  Future<Void> available() {
    if (!connected())
      return Future.failedFuture(
          new IllegalStateException("RabbitMQ (" + name + ") unavailable: " + lastError));
    return Future.succeededFuture();
  }

  /** Runs {@code listener} after every successful (re)connection, on the creating context. */
  void onConnected(Runnable listener) {
    connectedListeners.add(listener);
  }

  /** The cap of this connection's reconnect back-off (tests). */
  Duration backoffCap() {
    return max;
  }

  String lastError() {
    return lastError;
  }

  /** Connector context: waits for this process's turn to open a connection, then opens one. */
  private void connect() {
    if (closed) return;
    long queued = System.nanoTime();
    openings.take(urgency, () -> connector.runOnContext(v -> open(queued)));
  }

  /** Connector context, holding the turn. */
  private void open(long queued) {
    if (closed) {
      openings.done();
      return;
    }
    RabbitMQClient c = RabbitMQClient.create(vertx, options);
    long attempt = System.nanoTime();
    long[] opened = {0};
    boolean[] passed = {false};
    Runnable passTurn =
        () -> {
          if (!passed[0]) {
            passed[0] = true;
            openings.done();
          }
        };
    long turnTimer = vertx.setTimer(TURN_MS, t -> passTurn.run());
    c.start()
        .onComplete(
            ar -> {
              vertx.cancelTimer(turnTimer);
              passTurn.run();
            })
        .compose(
            v -> {
              opened[0] = System.nanoTime();
              return onConnect.apply(c);
            })
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
                long now = System.nanoTime();
                log.info(
                    "RabbitMQ connection {} established in {} ms (turn {} ms, open {} ms, set-up {}"
                        + " ms)",
                    name,
                    (now - queued) / 1_000_000,
                    (attempt - queued) / 1_000_000,
                    (opened[0] - attempt) / 1_000_000,
                    (now - opened[0]) / 1_000_000);
                notifyWaiters(null);
                timer = vertx.setTimer(WATCHDOG_MS, t -> watch());
                for (Runnable l : connectedListeners)
                  context.runOnContext(
                      v -> {
                        try {
                          l.run();
                        } catch (RuntimeException e) {
                          log.warn("RabbitMQ connection {}: connected listener failed", name, e);
                        }
                      });
                for (AmqpConnection peer : PEERS.getOrDefault(address, Set.of()))
                  if (peer != this)
                    peer.wake(peer.vertx == vertx && peer.urgency == AmqpOpenings.Urgency.URGENT);
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
                c.stop();
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
      connector.runOnContext(
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

  /** Connector context. */
  private void watch() {
    RabbitMQClient c = client;
    if (closed || c == null) return;
    if (c.isConnected() && c.isOpenChannel()) {
      timer = vertx.setTimer(WATCHDOG_MS, t -> watch());
      return;
    }
    connected = false;
    lastError = "connection lost";
    log.warn("RabbitMQ connection {} lost; reconnecting", name);
    client = null;
    c.stop().onComplete(ar -> connect());
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
