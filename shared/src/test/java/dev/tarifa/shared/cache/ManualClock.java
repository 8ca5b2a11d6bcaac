package dev.tarifa.shared.cache;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** A clock (epoch millis) that only moves when a test says so. */
final class ManualClock implements LongSupplier {
  private final AtomicLong now;

  ManualClock(long start) {
    now = new AtomicLong(start);
  }

  @Override
  public long getAsLong() {
    return now.get();
  }

  void advance(long millis) {
    now.addAndGet(millis);
  }

  void set(long millis) {
    now.set(millis);
  }
}
