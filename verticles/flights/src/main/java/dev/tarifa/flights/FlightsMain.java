package dev.tarifa.flights;

import dev.tarifa.shared.launch.ServiceLauncher;

/** Runs the flights service alone, against the servers given by URL. */
public final class FlightsMain {
  private FlightsMain() {}

  public static void main(String[] args) {
    ServiceLauncher.main(env -> new FlightsService(FlightsConfig.fromEnv(env)));
  }
}
