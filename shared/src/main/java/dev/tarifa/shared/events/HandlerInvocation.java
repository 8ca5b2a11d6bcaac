package dev.tarifa.shared.events;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * How both transports call a subscriber's handler: a throw, a null future or a late answer is a
 * failure.
 */
final class HandlerInvocation {
  private HandlerInvocation() {}

  static Future<Void> invoke(
      Function<DomainEvent, Future<Void>> handler, DomainEvent event, Duration timeout) {
    try {
      Future<Void> result = handler.apply(event);
      return result == null
          ? Future.failedFuture("handler returned null")
          : result.timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
