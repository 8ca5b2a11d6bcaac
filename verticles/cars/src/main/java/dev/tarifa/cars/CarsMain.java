package dev.tarifa.cars;

import dev.tarifa.shared.launch.ServiceLauncher;

/** Runs the cars service alone, against the servers given by URL. */
public final class CarsMain {
  private CarsMain() {}

  public static void main(String[] args) {
    ServiceLauncher.main(env -> new CarsService(CarsConfig.fromEnv(env)));
  }
}
