package dev.tarifa.shared.events;

import dev.tarifa.shared.config.ConfigException;
import dev.tarifa.shared.config.Env;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Configuration of the event machinery, read from {@link Env}:
 *
 * <ul>
 *   <li>{@code TARIFA_AMQP_URL} ({@code amqp://user:pass@host:port/vhost}); absent means the Vert.x
 *       event bus
 *   <li>{@code TARIFA_EVENTS_MAX_RETRIES} (default 3, 0..100): redeliveries after the first failed
 *       attempt
 *   <li>{@code TARIFA_EVENTS_RETRY_DELAYS} (default {@code 1s,5s,30s}): delay before retry n is
 *       element min(n, size) - 1
 *   <li>{@code TARIFA_EVENTS_PREFETCH} (default 32, 1..10000): unacknowledged messages per consumer
 *   <li>{@code TARIFA_OUTBOX_POLL} (default 200ms): how often the outbox relay looks for unsent
 *       rows
 *   <li>{@code TARIFA_EVENTS_RECONNECT_MAX} (default 200ms): cap of the reconnect back-off (first
 *       retry after 100 ms, doubling): with the relay waiting for the reconnection rather than
 *       retrying, this bounds how long after a broker's return events flow again (and the first
 *       connection of a process back on the broker wakes the others at once); a refused connection
 *       attempt costs the broker nothing
 *   <li>{@code TARIFA_EVENTS_HANDLER_TIMEOUT} (default 30s): a handler whose future has not
 *       completed by then counts as failed (retried), so a stuck handler cannot hold a prefetch
 *       slot forever
 *   <li>{@code TARIFA_OUTBOX_RETENTION} (default 7d, positive): how long {@link EventRetention}
 *       keeps outbox rows (and review outbox documents) after they were sent; unsent rows are never
 *       deleted
 *   <li>{@code TARIFA_PROCESSED_EVENTS_RETENTION} (default 14d, at least 1h): how long {@link
 *       EventRetention} keeps {@code processed_events} rows; a duplicate delivered later than this
 *       is applied again (see {@link EventRetention} for why 14 days)
 * </ul>
 */
public record EventsConfig(
    Optional<URI> amqpUrl,
    int maxRetries,
    List<Duration> retryDelays,
    int prefetch,
    Duration outboxPoll,
    Duration reconnectMin,
    Duration reconnectMax,
    Duration handlerTimeout,
    Duration outboxRetention,
    Duration processedEventsRetention) {
  public static final Set<String> AMQP_SCHEMES = Set.of("amqp", "amqps");

  /**
   * Lower bound of {@code TARIFA_PROCESSED_EVENTS_RETENTION}: well above the automatic redelivery
   * window (minutes).
   */
  public static final Duration MIN_PROCESSED_EVENTS_RETENTION = Duration.ofHours(1);

  public EventsConfig {
    retryDelays = List.copyOf(retryDelays);
    if (retryDelays.isEmpty()) throw new IllegalArgumentException("retryDelays must not be empty");
  }

  /** Defaults, no broker (event bus). */
  public static EventsConfig defaults() {
    return fromEnv(Env.of(Map.of()));
  }

  public static EventsConfig fromEnv(Env env) {
    return new EventsConfig(
        env.url("TARIFA_AMQP_URL", AMQP_SCHEMES),
        env.integer("TARIFA_EVENTS_MAX_RETRIES", 3, 0, 100),
        delays(env, "TARIFA_EVENTS_RETRY_DELAYS", "1s,5s,30s"),
        env.integer("TARIFA_EVENTS_PREFETCH", 32, 1, 10_000),
        positive(env, "TARIFA_OUTBOX_POLL", Duration.ofMillis(200)),
        Duration.ofMillis(100),
        positive(env, "TARIFA_EVENTS_RECONNECT_MAX", Duration.ofMillis(200)),
        positive(env, "TARIFA_EVENTS_HANDLER_TIMEOUT", Duration.ofSeconds(30)),
        positive(env, "TARIFA_OUTBOX_RETENTION", EventRetention.DEFAULT_OUTBOX_RETENTION),
        atLeast(
            env,
            "TARIFA_PROCESSED_EVENTS_RETENTION",
            EventRetention.DEFAULT_PROCESSED_EVENTS_RETENTION,
            MIN_PROCESSED_EVENTS_RETENTION));
  }

  /** The delay before retry number {@code retry} (1-based). */
  public Duration retryDelay(int retry) {
    return retryDelays.get(Math.min(retry, retryDelays.size()) - 1);
  }

  public EventsConfig withAmqpUrl(URI url) {
    return new EventsConfig(
        Optional.ofNullable(url),
        maxRetries,
        retryDelays,
        prefetch,
        outboxPoll,
        reconnectMin,
        reconnectMax,
        handlerTimeout,
        outboxRetention,
        processedEventsRetention);
  }

  public EventsConfig withRetries(int maxRetries, List<Duration> delays) {
    return new EventsConfig(
        amqpUrl,
        maxRetries,
        delays,
        prefetch,
        outboxPoll,
        reconnectMin,
        reconnectMax,
        handlerTimeout,
        outboxRetention,
        processedEventsRetention);
  }

  public EventsConfig withReconnect(Duration min, Duration max) {
    return new EventsConfig(
        amqpUrl,
        maxRetries,
        retryDelays,
        prefetch,
        outboxPoll,
        min,
        max,
        handlerTimeout,
        outboxRetention,
        processedEventsRetention);
  }

  public EventsConfig withHandlerTimeout(Duration timeout) {
    return new EventsConfig(
        amqpUrl,
        maxRetries,
        retryDelays,
        prefetch,
        outboxPoll,
        reconnectMin,
        reconnectMax,
        timeout,
        outboxRetention,
        processedEventsRetention);
  }

  /**
   * This configuration with other retention periods. Unlike the environment keys, no lower bound is
   * enforced (tests); both must be positive.
   */
  public EventsConfig withRetention(Duration outbox, Duration processedEvents) {
    if (outbox.isZero()
        || outbox.isNegative()
        || processedEvents.isZero()
        || processedEvents.isNegative()) {
      throw new IllegalArgumentException("retention periods must be positive");
    }
    return new EventsConfig(
        amqpUrl,
        maxRetries,
        retryDelays,
        prefetch,
        outboxPoll,
        reconnectMin,
        reconnectMax,
        handlerTimeout,
        outbox,
        processedEvents);
  }

  private static Duration positive(Env env, String key, Duration def) {
    Duration d = env.duration(key, def);
    if (d.isZero() || d.isNegative()) throw new ConfigException(key, "must be positive, got " + d);
    return d;
  }

  private static Duration atLeast(Env env, String key, Duration def, Duration min) {
    Duration d = env.duration(key, def);
    if (d.compareTo(min) < 0)
      throw new ConfigException(key, "must be at least " + min.toHours() + "h, got " + d);
    return d;
  }

  private static List<Duration> delays(Env env, String key, String def) {
    List<Duration> out = new ArrayList<>();
    for (String part : env.string(key, def).split(",")) {
      // Reuse Env's duration syntax and its error message naming the key.
      Duration d = Env.of(Map.of(key, part.trim())).duration(key, null);
      if (d == null || d.isNegative())
        throw new ConfigException(key, "expected durations such as 1s,5s,30s");
      out.add(d);
    }
    return out;
  }
}
