package dev.tarifa.users;

import dev.tarifa.shared.launch.ServiceLauncher;

/** Runs the users service alone, against the servers given by URL. */
public final class UsersMain {
  private UsersMain() {}

  public static void main(String[] args) {
    ServiceLauncher.main(env -> new UsersService(UsersConfig.fromEnv(env)));
  }
}
