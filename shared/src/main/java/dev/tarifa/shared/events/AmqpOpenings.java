package dev.tarifa.shared.events;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import java.util.PriorityQueue;

/**
 * Turns to open a connection to one broker address, for the connections of one Vert.x instance: one
 * opening at a time, the most urgent first (lowest {@link Urgency} ordinal, then first come).
 *
 * <p>Why: a broker answers a burst of handshakes one after the other. On the 2-core development
 * machine one connection opened in about 12 ms, 18 at once took 120-170 ms until the last, and
 * several times that under load. When a broker returns after an outage every connection of every
 * process reconnects at once, and the ones users are waiting for (a publisher with an outbox
 * backlog, a replica's cache invalidation) queued behind those that can wait (a durable consumer
 * whose events keep in its queue). Taking turns per process keeps each process's urgent connection
 * in the first wave, while processes still open in parallel.
 *
 * <p>A turn is held until the connection is open (the handshake done, before its set-up calls) and
 * never longer than the holder's bound, so a handshake that hangs does not hold up the others.
 * Thread-safe; {@code go} actions run on the thread that passes the turn on and should only
 * schedule work.
 */
final class AmqpOpenings implements Shareable {
  private static final String MAP = "tarifa.events.amqp-openings";

  /** Who goes first when connections wait for their turn. */
  enum Urgency {
    /** A publisher (its outbox waits) or a replica's own consumer (its state goes stale). */
    URGENT,
    /** A consumer of a durable queue: its events wait in the queue meanwhile. */
    NORMAL,
    /** Administration on demand (dead letters). */
    LOW
  }

  private record Turn(Urgency urgency, long seq, Runnable go) implements Comparable<Turn> {
    @Override
    public int compareTo(Turn o) {
      int c = urgency.compareTo(o.urgency);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  private final PriorityQueue<Turn> waiting = new PriorityQueue<>();
  private boolean busy;
  private long seq;

  /** The turns of {@code vertx}'s connections to {@code address} ({@code host:port}). */
  static AmqpOpenings of(Vertx vertx, String address) {
    var map = vertx.sharedData().<String, AmqpOpenings>getLocalMap(MAP);
    AmqpOpenings fresh = new AmqpOpenings();
    AmqpOpenings existing = map.putIfAbsent(address, fresh);
    return existing != null ? existing : fresh;
  }

  /**
   * Runs {@code go} now if nobody holds the turn, else when the turns before it are {@link #done}.
   * The caller must call {@link #done} exactly once after {@code go} ran.
   */
  void take(Urgency urgency, Runnable go) {
    synchronized (this) {
      if (busy) {
        waiting.add(new Turn(urgency, seq++, go));
        return;
      }
      busy = true;
    }
    go.run();
  }

  /** Ends the current turn and starts the next waiting one, if any. */
  void done() {
    while (true) {
      Turn next;
      synchronized (this) {
        next = waiting.poll();
        if (next == null) {
          busy = false;
          return;
        }
      }
      try {
        next.go().run();
        return;
      } catch (RuntimeException e) {
        // its Vert.x instance is closed: that connection will never open, the next one may
      }
    }
  }

  /** Someone holds the turn (tests). */
  synchronized boolean busy() {
    return busy;
  }

  /** Turns waiting (tests). */
  synchronized int waiting() {
    return waiting.size();
  }
}
