package dev.tarifa.shared.auth;

import dev.tarifa.shared.http.Problem;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Verifies ES256 access tokens and guards routes. Create one per verticle ({@link #create}); thread-safe.
 *
 * <p>A token is accepted only if all of these hold: the header's {@code alg} is exactly {@code ES256}; the
 * signature verifies with the configured public key; {@code iss} equals the configured issuer; {@code aud} (a
 * string or an array) contains the configured audience; {@code exp} is present and not in the past (with
 * {@link #LEEWAY_SECONDS} of clock skew); {@code sub} is a non-blank string. vert.x-auth-jwt already enforces the
 * signature, {@code alg}, {@code iss}, {@code aud} and {@code exp}; the same checks are repeated here explicitly so
 * the contract does not depend on the library's defaults. Without a public key every token is rejected.
 * Tokens longer than {@link #MAX_TOKEN_LENGTH} characters are rejected before any decoding.
 */
public final class JwtVerifier {
  public static final String ALGORITHM = "ES256";
  public static final int LEEWAY_SECONDS = 5;
  public static final int MAX_TOKEN_LENGTH = 8192;
  private static final Logger log = LoggerFactory.getLogger(JwtVerifier.class);
  private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
  private static final String CHALLENGE = "Bearer realm=\"tarifa\"";

  private final JWTAuth jwt;
  private final AuthConfig config;

  private JwtVerifier(JWTAuth jwt, AuthConfig config) {
    this.jwt = jwt;
    this.config = config;
  }

  /**
   * A verifier for {@code config}'s public key, issuer and audience. A missing public key is logged once and
   * yields a verifier that rejects everything; an unusable key fails here with an {@link IllegalArgumentException}.
   */
  public static JwtVerifier create(Vertx vertx, AuthConfig config) {
    if (config.publicKeyPem() == null) {
      log.warn("{} is not configured: every bearer token will be rejected", AuthConfig.PUBLIC_KEY);
      return new JwtVerifier(null, config);
    }
    JWTAuth jwt = JWTAuth.create(vertx, new JWTAuthOptions()
      .addPubSecKey(new PubSecKeyOptions().setAlgorithm(ALGORITHM).setBuffer(config.publicKeyPem()))
      .setJWTOptions(new JWTOptions()
        .setIssuer(config.issuer())
        .addAudience(config.audience())
        .setLeeway(LEEWAY_SECONDS)));
    return new JwtVerifier(jwt, config);
  }

  /**
   * The principal of a valid token; otherwise a failed future whose cause is a 401 {@link Problem} (the detail
   * says only "invalid or expired token", never which check failed).
   */
  public Future<Principal> verify(String token) {
    if (jwt == null) return rejected("no verification key configured");
    if (token == null || token.length() > MAX_TOKEN_LENGTH || !SHAPE.matcher(token).matches()) {
      return rejected("malformed token");
    }
    JsonObject payload;
    try {
      String[] parts = token.split("\\.");
      JsonObject header = decode(parts[0]);
      if (!ALGORITHM.equals(header.getValue("alg"))) return rejected("algorithm " + header.getValue("alg"));
      payload = decode(parts[1]);
    } catch (RuntimeException e) {
      return rejected("undecodable token");
    }
    String problem = claimsProblem(payload);
    if (problem != null) return rejected(problem);
    Future<?> checked;
    try {
      checked = jwt.authenticate(new TokenCredentials(token));
    } catch (RuntimeException e) {
      checked = Future.failedFuture(e);
    }
    return checked.transform(ar -> {
      if (ar.failed()) return rejected("library: " + ar.cause().getMessage());
      return Future.succeededFuture(principal(payload));
    });
  }

  /**
   * Requires {@code Authorization: Bearer <token>}. On success the {@link Principal} is stored in the context
   * ({@link Principal#of}) and the next handler runs; otherwise the request fails with a 401 problem and a
   * {@code WWW-Authenticate: Bearer} challenge.
   */
  public Handler<RoutingContext> requireUser() {
    return ctx -> authenticate(ctx, () -> ctx.next());
  }

  /** {@link #requireUser()}, then a 403 problem unless the principal has {@code role}. */
  public Handler<RoutingContext> requireRole(String role) {
    return ctx -> authenticate(ctx, () -> {
      if (Principal.of(ctx).hasRole(role)) ctx.next();
      else ctx.fail(Problem.forbidden("requires the " + role + " role"));
    });
  }

  private void authenticate(RoutingContext ctx, Runnable then) {
    Principal already = Principal.of(ctx);
    if (already != null) {
      then.run();
      return;
    }
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      challenge(ctx, Problem.unauthorized("a bearer token is required"));
      return;
    }
    verify(header.substring(7).trim()).onComplete(ar -> {
      if (ar.succeeded()) {
        ctx.put(Principal.CONTEXT_KEY, ar.result());
        then.run();
      } else {
        challenge(ctx, ar.cause() instanceof Problem p ? p : Problem.unauthorized("invalid or expired token"));
      }
    });
  }

  private static void challenge(RoutingContext ctx, Problem problem) {
    String value = problem.detail().startsWith("a bearer token") ? CHALLENGE : CHALLENGE + ", error=\"invalid_token\"";
    ctx.response().putHeader("WWW-Authenticate", value);
    ctx.fail(problem);
  }

  private String claimsProblem(JsonObject payload) {
    if (!config.issuer().equals(payload.getValue("iss"))) return "issuer";
    Object aud = payload.getValue("aud");
    boolean audienceOk = aud instanceof String s ? s.equals(config.audience())
      : aud instanceof JsonArray a && a.contains(config.audience());
    if (!audienceOk) return "audience";
    if (!(payload.getValue("exp") instanceof Number exp)) return "no exp";
    if (exp.longValue() + LEEWAY_SECONDS < System.currentTimeMillis() / 1000) return "expired";
    if (payload.getValue("nbf") instanceof Number nbf && nbf.longValue() - LEEWAY_SECONDS > System.currentTimeMillis() / 1000) {
      return "not yet valid";
    }
    if (!(payload.getValue("sub") instanceof String sub) || sub.isBlank()) return "no subject";
    if (payload.containsKey("roles") && !(payload.getValue("roles") instanceof JsonArray)) return "roles";
    return null;
  }

  private static Principal principal(JsonObject payload) {
    Set<String> roles = new LinkedHashSet<>();
    JsonArray array = payload.getJsonArray("roles", new JsonArray());
    for (Object r : array) if (r instanceof String s) roles.add(s);
    Object email = payload.getValue("email");
    return new Principal(payload.getString("sub"), email instanceof String s ? s : null, roles);
  }

  private static JsonObject decode(String part) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8));
  }

  private static <T> Future<T> rejected(String why) {
    log.debug("bearer token rejected: {}", why);
    return Future.failedFuture(Problem.unauthorized("invalid or expired token"));
  }
}
