package dev.tarifa.users;

import dev.tarifa.shared.auth.*;
import dev.tarifa.users.domain.PasswordHash;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.*;
import java.util.concurrent.TimeUnit;

/**
 * Micro-measurement (not a test): PBKDF2 at the default cost, ES256 issue and verify. See
 * docs/perf/users-auth.md.
 */
public final class AuthPerf {
  public static void main(String[] a) throws Exception {
    for (int w = 0; w < 3; w++)
      PasswordHash.hash("warm up password", PasswordHash.DEFAULT_ITERATIONS);
    long[] t = new long[15];
    for (int i = 0; i < t.length; i++) {
      long s = System.nanoTime();
      PasswordHash.hash("a long password", PasswordHash.DEFAULT_ITERATIONS);
      t[i] = System.nanoTime() - s;
    }
    Arrays.sort(t);
    System.out.printf(
        "PBKDF2 %d hash: min %.0f ms, median %.0f ms, max %.0f ms (n=%d)%n",
        PasswordHash.DEFAULT_ITERATIONS,
        t[0] / 1e6,
        t[t.length / 2] / 1e6,
        t[t.length - 1] / 1e6,
        t.length);
    Vertx vertx = Vertx.vertx();
    JwtKeys.KeyPairPem keys = JwtKeys.generateEs256();
    AuthConfig c =
        new AuthConfig("tarifa", "tarifa-api", null, null, Duration.ofMinutes(15)).withKeys(keys);
    JwtIssuer issuer = JwtIssuer.create(vertx, c);
    JwtVerifier verifier = JwtVerifier.create(vertx, c);
    String token = null;
    for (int i = 0; i < 5000; i++) token = issuer.issue("42", "a@b.c", Set.of("user"));
    int n = 20000;
    long s = System.nanoTime();
    for (int i = 0; i < n; i++) token = issuer.issue("42", "a@b.c", Set.of("user"));
    double sign = (System.nanoTime() - s) / 1e3 / n;
    for (int i = 0; i < 5000; i++) verifier.verify(token).await(5, TimeUnit.SECONDS);
    s = System.nanoTime();
    for (int i = 0; i < n; i++) verifier.verify(token).await(5, TimeUnit.SECONDS);
    double verify = (System.nanoTime() - s) / 1e3 / n;
    System.out.printf(
        "ES256 issue: %.1f us/token; verify: %.1f us/token (single thread, n=%d)%n",
        sign, verify, n);
    vertx.close();
  }
}
