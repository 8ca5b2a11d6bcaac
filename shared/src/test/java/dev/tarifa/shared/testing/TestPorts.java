package dev.tarifa.shared.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Free local TCP ports for tests. */
public final class TestPorts {
  /** Ports handed out by this JVM: never twice. */
  private static final Set<Integer> GIVEN = ConcurrentHashMap.newKeySet();

  private TestPorts() {}

  /**
   * A free port not handed out before in this JVM. The kernel may give a just-closed port again,
   * and two services of one all-in-one on the same port share it silently (Vert.x balances the
   * servers of one instance on a port), so requests for one would reach the other (seen once in
   * CI).
   */
  public static int free() {
    while (true) {
      try (ServerSocket s = new ServerSocket(0)) {
        if (GIVEN.add(s.getLocalPort())) return s.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
