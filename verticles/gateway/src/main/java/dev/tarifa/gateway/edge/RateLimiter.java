package dev.tarifa.gateway.edge;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tarifa.shared.auth.JwtVerifier;
import dev.tarifa.shared.http.Problem;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Token-bucket rate limiting per client, shared by every verticle of the process (thread-safe). The
 * client is the subject of a valid bearer token, else its address: the peer's, or behind trusted
 * proxies the one they forwarded ({@link TrustedProxies}). Buckets and verified token subjects live
 * in bounded Caffeine caches that forget idle clients. Over the limit: a 429 problem with {@code
 * Retry-After}.
 *
 * <p>With a {@link SharedBudget} (when Redis is configured) a request the local bucket admits is
 * also charged to the client's budget shared by every replica, so N replicas do not give a client N
 * times its limit. The local bucket stays the fast path: a client over the limit on this replica is
 * refused without a round trip, and a shared budget that cannot answer in time admits (fail-open).
 *
 * <p>A token is verified once and its subject remembered for a minute (keyed by the token text), so
 * keying by subject costs no signature check per request; invalid tokens are remembered too and
 * fall back to the address.
 */
public final class RateLimiter {
  private static final String INVALID = "";

  private final double ratePerSecond;
  private final double burst;
  private final LongSupplier nanoClock;
  private final TrustedProxies proxies;
  private final Cache<String, Bucket> buckets;
  private final Cache<String, String> subjects;
  private final SharedBudget shared;

  /**
   * @param shared the budget shared with the other replicas, or null for local limits only
   */
  public RateLimiter(
      double ratePerSecond,
      int burst,
      TrustedProxies proxies,
      SharedBudget shared,
      LongSupplier nanoClock) {
    this.proxies = proxies;
    this.shared = shared;
    this.ratePerSecond = ratePerSecond;
    this.burst = burst;
    this.nanoClock = nanoClock;
    long refillSeconds = (long) Math.ceil(burst / ratePerSecond) + 1;
    this.buckets =
        Caffeine.newBuilder()
            .maximumSize(200_000)
            .expireAfterAccess(Duration.ofSeconds(Math.max(60, refillSeconds)))
            .build();
    this.subjects =
        Caffeine.newBuilder().maximumSize(50_000).expireAfterWrite(Duration.ofMinutes(1)).build();
  }

  public RateLimiter(
      double ratePerSecond, int burst, TrustedProxies proxies, LongSupplier nanoClock) {
    this(ratePerSecond, burst, proxies, null, nanoClock);
  }

  public RateLimiter(double ratePerSecond, int burst, TrustedProxies proxies, SharedBudget shared) {
    this(ratePerSecond, burst, proxies, shared, System::nanoTime);
  }

  public RateLimiter(double ratePerSecond, int burst, TrustedProxies proxies) {
    this(ratePerSecond, burst, proxies, null, System::nanoTime);
  }

  /** The route handler; {@code verifier} identifies token holders. */
  public Handler<RoutingContext> handler(JwtVerifier verifier) {
    return ctx -> {
      String header = ctx.request().getHeader("Authorization");
      if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
        admit(ctx, addressKey(ctx));
        return;
      }
      String token = header.substring(7).trim();
      String subject = subjects.getIfPresent(token);
      if (subject != null) {
        admit(ctx, subject.isEmpty() ? addressKey(ctx) : "sub:" + subject);
        return;
      }
      // edge handlers run before the body handler: hold the body while this waits, or it is read
      // and lost
      ctx.request().pause();
      verifier
          .verify(token)
          .onComplete(
              ar -> {
                String sub = ar.succeeded() ? ar.result().subject() : INVALID;
                if (token.length() <= JwtVerifier.MAX_TOKEN_LENGTH) subjects.put(token, sub);
                admit(ctx, sub.isEmpty() ? addressKey(ctx) : "sub:" + sub);
              });
    };
  }

  private void admit(RoutingContext ctx, String client) {
    long waitNanos = tryAcquire(client);
    if (waitNanos != 0 || shared == null) {
      decide(ctx, waitNanos);
      return;
    }
    // The Redis answer may complete on another event loop: the request continues on its own. Until
    // then the body
    // must stay unread (the body handler comes later and resumes the request).
    ctx.request().pause();
    Context context = Vertx.currentContext();
    shared
        .tryAcquire(client)
        .onComplete(
            ar -> {
              long wait = ar.succeeded() ? ar.result() : 0;
              if (context == null || Vertx.currentContext() == context) decide(ctx, wait);
              else context.runOnContext(v -> decide(ctx, wait));
            });
  }

  private static void decide(RoutingContext ctx, long waitNanos) {
    if (waitNanos == 0) {
      ctx.next();
    } else {
      ctx.request().resume(); // the refused request's body is discarded
      long retryAfter = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
      ctx.fail(
          new Problem(
              429,
              "Too Many Requests",
              "rate limit exceeded; retry in " + retryAfter + " s",
              null,
              new JsonObject().put("retryAfterSeconds", retryAfter)));
    }
  }

  /**
   * Takes one token for {@code client}: 0 when granted, else nanoseconds until one is available.
   */
  public long tryAcquire(String client) {
    Bucket b = buckets.get(client, k -> new Bucket(burst, nanoClock.getAsLong()));
    return b.take(nanoClock.getAsLong(), ratePerSecond, burst);
  }

  /** Requests taken from the shared budget per round trip (0 without one). */
  public int sharedLeaseSize() {
    return shared == null ? 0 : shared.leaseSize();
  }

  private String addressKey(RoutingContext ctx) {
    SocketAddress a = ctx.request().remoteAddress();
    if (a == null) return "ip:?";
    String peer = a.hostAddress();
    return "ip:"
        + (proxies.isEmpty()
            ? peer
            : proxies.clientAddress(peer, ctx.request().getHeader("X-Forwarded-For")));
  }

  private static final class Bucket {
    private double tokens;
    private long last;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.last = now;
    }

    synchronized long take(long now, double rate, double burst) {
      tokens = Math.min(burst, tokens + (now - last) / 1e9 * rate);
      last = now;
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return (long) Math.ceil((1 - tokens) / rate * 1e9);
    }
  }
}
