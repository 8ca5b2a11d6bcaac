package dev.tarifa.shared.cache;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * The circuit breaker in front of Redis: a small state machine of our own rather than
 * vertx-circuit-breaker, so that its reset period runs on the cache's injectable clock (tests
 * control it) and rejecting a call costs no allocation and no timer.
 *
 * <ul>
 *   <li>CLOSED: every call is allowed; {@code threshold} consecutive failures open it.
 *   <li>OPEN: every call is rejected at once; the first call at least {@code resetMillis} after
 *       opening is let through as the single probe (state HALF_OPEN).
 *   <li>HALF_OPEN: other calls are rejected; the probe's success closes the breaker, its failure
 *       opens it again.
 * </ul>
 *
 * Every call let through must report {@link #onSuccess()} or {@link #onFailure()}; callers bound
 * each call with a timeout, so a probe always reports. Thread-safe (atomics only).
 */
final class L2Breaker {
  enum State {
    CLOSED,
    OPEN,
    HALF_OPEN
  }

  private final LongSupplier clock;
  private final int threshold;
  private final long resetMillis;
  private final AtomicReference<State> state = new AtomicReference<>(State.CLOSED);
  private final AtomicInteger failures = new AtomicInteger();
  private volatile long openedAt;

  L2Breaker(LongSupplier clock, int threshold, long resetMillis) {
    this.clock = clock;
    this.threshold = threshold;
    this.resetMillis = resetMillis;
  }

  /** Whether a call may go to Redis now. */
  boolean tryAcquire() {
    State s = state.get();
    if (s == State.CLOSED) return true;
    return s == State.OPEN
        && clock.getAsLong() - openedAt >= resetMillis
        && state.compareAndSet(State.OPEN, State.HALF_OPEN);
  }

  void onSuccess() {
    failures.set(0);
    state.set(State.CLOSED);
  }

  /** Returns true if this failure opened the breaker. */
  boolean onFailure() {
    State s = state.get();
    if (s == State.HALF_OPEN || (s == State.CLOSED && failures.incrementAndGet() >= threshold)) {
      openedAt = clock.getAsLong();
      failures.set(0);
      state.set(State.OPEN);
      return s == State.CLOSED;
    }
    return false;
  }

  State state() {
    return state.get();
  }
}
