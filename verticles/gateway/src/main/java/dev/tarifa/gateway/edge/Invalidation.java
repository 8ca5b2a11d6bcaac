package dev.tarifa.gateway.edge;

import dev.tarifa.shared.cache.QuoteCache;
import dev.tarifa.shared.events.DomainEvent;
import dev.tarifa.shared.events.EventSubscriber;
import dev.tarifa.shared.events.ProcessedEvents;
import dev.tarifa.shared.events.SubscribeOptions;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offer-change events ({@code *.offer.changed}) evict the answers they name: each gateway process
 * consumes its own ephemeral queue (every replica sees every event) and evicts every tag of the
 * event from L1 and Redis. A failed Redis deletion fails the handler, so the event is redelivered
 * (L1 is evicted regardless); duplicates are harmless and dropped by an in-memory dedupe set.
 */
public final class Invalidation {
  public static final List<String> PATTERNS = List.of("*.offer.changed");

  /** Unacknowledged invalidation events per gateway. */
  static final int PREFETCH = 500;

  private static final Logger log = LoggerFactory.getLogger(Invalidation.class);

  private Invalidation() {}

  public static Future<EventSubscriber.Subscription> subscribe(
      EventSubscriber events, QuoteCache cache) {
    String queue = "gateway.invalidation." + UUID.randomUUID();
    return events.subscribe(
        queue,
        PATTERNS,
        event -> evict(cache, event),
        SubscribeOptions.DEFAULT
            .withEphemeral(Duration.ofMinutes(5))
            .withDedupe(ProcessedEvents.inMemory(10_000))
            // the backlog of an outage arrives at once: L1 is evicted on delivery, so a change is
            // visible here as soon as its event is delivered, not after the Redis evictions of
            // the events before it have freed a prefetch slot (events are small: a few KB)
            .withPrefetch(PREFETCH));
  }

  static Future<Void> evict(QuoteCache cache, DomainEvent event) {
    List<Future<Long>> evictions = new ArrayList<>(event.tags().size());
    for (String tag : event.tags()) evictions.add(cache.evictTag(tag));
    return Future.all(evictions)
        .onSuccess(
            done -> {
              long n = evictions.stream().mapToLong(Future::result).sum();
              log.debug(
                  "{} {}: evicted {} entries for tags {}",
                  event.type(),
                  event.id(),
                  n,
                  event.tags());
            })
        .mapEmpty();
  }
}
