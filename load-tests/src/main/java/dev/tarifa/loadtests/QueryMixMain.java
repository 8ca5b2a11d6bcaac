package dev.tarifa.loadtests;

import dev.tarifa.loadtests.QueryMix.Kind;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;

/**
 * Prints search paths for tools outside Gatling (the wrk benchmark): {@code paths KIND N} prints N
 * paths of one kind (flight|hotel|car|trip|mix, mix = 60/25/15) from the Zipf mix; {@code routes}
 * prints every route of the mix as {@code FROM TO}. Seed, base date and catalogue size come from
 * the same system properties as the simulations ({@code -Dseed -DbaseDate -DcatalogueSize}).
 */
public final class QueryMixMain {
  private QueryMixMain() {}

  public static void main(String[] args) throws Exception {
    QueryMix mix = QueryMix.fromSystemProperties();
    try (BufferedWriter out =
        new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8))) {
      if (args.length == 1 && args[0].equals("routes")) {
        for (String r : mix.routes()) out.write(r.replace('-', ' ') + "\n");
      } else if (args.length == 3 && args[0].equals("paths")) {
        int n = Integer.parseInt(args[2]);
        for (int i = 0; i < n; i++) {
          Kind kind = args[1].equals("mix") ? mixed(i) : Kind.valueOf(args[1].toUpperCase());
          out.write(mix.next(kind).path() + "\n");
        }
      } else {
        System.err.println("usage: QueryMixMain routes | paths flight|hotel|car|trip|mix N");
        System.exit(2);
      }
    }
  }

  /** 60/25/15 by position, deterministic (i mod 20). */
  private static Kind mixed(int i) {
    int r = i % 20;
    return r < 12 ? Kind.FLIGHT : r < 17 ? Kind.HOTEL : Kind.CAR;
  }
}
