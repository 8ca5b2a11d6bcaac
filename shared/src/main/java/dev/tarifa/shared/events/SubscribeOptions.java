package dev.tarifa.shared.events;

import java.time.Duration;
import java.util.Optional;

/**
 * Per-subscription options.
 *
 * @param ephemeral when present, the queue and its retry/dead-letter queues expire (RabbitMQ {@code
 *     x-expires}) after being unused that long: one queue per gateway replica for {@code
 *     *.offer.changed} invalidations, cleaned up when the replica is gone. They are durable all the
 *     same, so a broker restart keeps the queue and what was published to it while the replica
 *     reconnects
 * @param dedupe when present, events whose id it has seen are acknowledged without calling the
 *     handler (outcome {@code duplicate}) and ids are recorded after the handler succeeded
 * @param prefetch 0 for {@link EventsConfig#prefetch}, else the unacknowledged-message bound for
 *     this consumer
 */
public record SubscribeOptions(
    Optional<Duration> ephemeral, Optional<ProcessedEvents> dedupe, int prefetch) {
  public static final SubscribeOptions DEFAULT =
      new SubscribeOptions(Optional.empty(), Optional.empty(), 0);

  public SubscribeOptions withEphemeral(Duration expiresAfterUnused) {
    return new SubscribeOptions(Optional.of(expiresAfterUnused), dedupe, prefetch);
  }

  public SubscribeOptions withDedupe(ProcessedEvents processed) {
    return new SubscribeOptions(ephemeral, Optional.of(processed), prefetch);
  }

  public SubscribeOptions withPrefetch(int prefetch) {
    return new SubscribeOptions(ephemeral, dedupe, prefetch);
  }
}
