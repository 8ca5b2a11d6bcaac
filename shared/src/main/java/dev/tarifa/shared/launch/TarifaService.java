package dev.tarifa.shared.launch;

import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/**
 * One deployable service: what the all-in-one launcher and each service's own main class need to
 * know. {@link #prepare} runs once per process (database, migrations, seed); then {@link
 * #instances()} verticles from {@link #verticle()} are deployed and share the port.
 */
public interface TarifaService {
  String name();

  int port();

  /** One-time work before the verticles start; the default does nothing. */
  default Future<Void> prepare(Vertx vertx) {
    return Future.succeededFuture();
  }

  Supplier<Deployable> verticle();

  /** HTTP verticles: one instance per event loop. */
  default int instances() {
    return Math.max(1, Runtime.getRuntime().availableProcessors());
  }
}
