package dev.tarifa.hotels;

import dev.tarifa.shared.launch.ServiceLauncher;

/** Runs the hotels service alone, against the servers given by URL. */
public final class HotelsMain {
  private HotelsMain() {}

  public static void main(String[] args) {
    ServiceLauncher.main(env -> new HotelsService(HotelsConfig.fromEnv(env)));
  }
}
