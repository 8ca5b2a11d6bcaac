package dev.tarifa.gateway;

import dev.tarifa.shared.launch.ServiceLauncher;

/** Runs the gateway alone, in front of services given by URL. */
public final class GatewayMain {
  private GatewayMain() {}

  public static void main(String[] args) {
    ServiceLauncher.main(env -> new GatewayService(GatewayConfig.fromEnv(env)));
  }
}
