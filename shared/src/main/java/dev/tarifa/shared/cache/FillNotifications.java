package dev.tarifa.shared.cache;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes the replicas waiting for another replica's fill as soon as it lands, instead of at their
 * next poll. The fill and release scripts publish the cache key on {@code <prefix>fills}; each
 * process holds one subscriber connection and, for a key it is waiting on, runs the waiter's poll
 * at once.
 *
 * <p>Notifications only shorten waits: polling every {@code leasePoll} stays the guarantee, so a
 * lost message, a dropped subscriber connection or a Redis without pub/sub costs latency, never
 * correctness. A dropped connection is re-established every second until {@link #close()}.
 * Thread-safe: a notification may arrive on any thread.
 */
final class FillNotifications {
  private static final Logger LOG = LoggerFactory.getLogger(FillNotifications.class);
  private static final long RECONNECT_MS = 1_000;

  /** Interest in one key's fill, held for the duration of one load. */
  static final class Interest {
    private volatile boolean notified;
    private volatile Runnable onNotify;

    /**
     * Runs {@code poll} when a notification arrives, or at once if one arrived since the last
     * {@link #arm}.
     */
    void arm(Runnable poll) {
      onNotify = poll;
      if (notified) fire();
    }

    /**
     * Called by the poll itself, before it reads Redis: later notifications count for the next
     * wait.
     */
    void disarm() {
      onNotify = null;
      notified = false;
    }

    private void fire() {
      notified = true;
      Runnable r = onNotify;
      if (r != null) r.run();
    }
  }

  private final Vertx vertx;
  private final Redis redis;
  private final String channel;
  private final ConcurrentHashMap<String, Interest> interests = new ConcurrentHashMap<>();
  private volatile RedisConnection connection;
  private volatile boolean closed;
  private volatile boolean subscribed;

  FillNotifications(Vertx vertx, Redis redis, String channel) {
    this.vertx = vertx;
    this.redis = redis;
    this.channel = channel;
    connect();
  }

  String channel() {
    return channel;
  }

  /**
   * Whether the subscriber connection is up (waits are then woken by notifications, not only by
   * polls).
   */
  boolean subscribed() {
    return subscribed;
  }

  /** Registers interest in {@code key}'s fill; call {@link #release} when the load ends. */
  Interest interest(String key) {
    Interest i = new Interest();
    interests.put(key, i);
    return i;
  }

  void release(String key, Interest interest) {
    interests.remove(key, interest);
  }

  void close() {
    closed = true;
    subscribed = false;
    RedisConnection c = connection;
    if (c != null) c.close();
  }

  private void connect() {
    if (closed) return;
    redis
        .connect()
        .compose(
            c -> {
              connection = c;
              c.handler(this::onMessage);
              c.exceptionHandler(
                  e -> LOG.debug("fill notification connection failed: {}", e.toString()));
              c.endHandler(
                  v -> {
                    subscribed = false;
                    reconnectLater();
                  });
              return c.send(Request.cmd(Command.SUBSCRIBE).arg(channel));
            })
        .onSuccess(
            ok -> {
              subscribed = true;
              LOG.debug("subscribed to fill notifications on {}", channel);
            })
        .onFailure(
            e -> {
              LOG.debug("fill notifications unavailable (waiters poll): {}", e.toString());
              RedisConnection c = connection;
              if (c != null) c.close();
              reconnectLater();
            });
  }

  private void reconnectLater() {
    if (closed) return;
    try {
      vertx.setTimer(RECONNECT_MS, id -> connect());
    } catch (RuntimeException e) {
      LOG.debug("not reconnecting fill notifications: {}", e.toString()); // vert.x is closing
    }
  }

  private void onMessage(Response r) {
    if (r == null || r.size() < 3) return;
    Response kind = r.get(0);
    if (kind == null || !"message".equals(kind.toString())) return;
    Response payload = r.get(2);
    if (payload == null) return;
    Interest i = interests.get(payload.toString());
    if (i != null) i.fire();
  }
}
