package dev.tarifa.checks.prometheus;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Stops processes the checks started: SIGTERM (so the services run their shutdown), then SIGKILL
 * after a bound.
 */
final class Processes {
  private Processes() {}

  static void stop(List<Process> processes) {
    for (Process p : processes) if (p != null && p.isAlive()) p.destroy();
    for (Process p : processes) {
      if (p == null) continue;
      try {
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          p.waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
