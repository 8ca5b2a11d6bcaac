package dev.tarifa.checks.prometheus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Free local TCP ports. */
final class Ports {
  private Ports() {}

  /** One free port (for a process of its own: a clash there fails its bind loudly). */
  static int free() {
    return free(1).get(0);
  }

  /**
   * {@code n} distinct free ports. All are held open until every one is chosen: ports taken one by
   * one can repeat (the kernel may hand a just-closed port out again), and two services of the
   * all-in-one given the same port share it silently (Vert.x balances servers of one instance on
   * one port), so requests for one would randomly reach the other (a 404 seen once in CI).
   */
  static List<Integer> free(int n) {
    List<ServerSocket> held = new ArrayList<>(n);
    try {
      List<Integer> ports = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        held.add(s);
        ports.add(s.getLocalPort());
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      for (ServerSocket s : held) {
        try {
          s.close();
        } catch (IOException ignored) {
          // closing a listening socket we opened: nothing to do
        }
      }
    }
  }
}
