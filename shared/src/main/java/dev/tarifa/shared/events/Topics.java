package dev.tarifa.shared.events;

/**
 * AMQP topic matching, for the event-bus transport: words split by '.', '*' = one word, '#' = zero
 * or more.
 */
final class Topics {
  private Topics() {}

  static boolean matches(String pattern, String routingKey) {
    return match(pattern.split("\\.", -1), 0, routingKey.split("\\.", -1), 0);
  }

  private static boolean match(String[] p, int i, String[] k, int j) {
    if (i == p.length) return j == k.length;
    if (p[i].equals("#")) {
      for (int n = j; n <= k.length; n++) if (match(p, i + 1, k, n)) return true;
      return false;
    }
    if (j == k.length) return false;
    return (p[i].equals("*") || p[i].equals(k[j])) && match(p, i + 1, k, j + 1);
  }
}
