package dev.tarifa.shared.auth;

import dev.tarifa.shared.config.ConfigException;
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
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies ES256 access tokens and guards routes. Create one per verticle ({@link #create});
 * thread-safe.
 *
 * <p>Several public keys may be configured ({@code TARIFA_JWT_PUBLIC_KEY} holds one or more PEM
 * blocks), so that signing keys rotate without downtime. Each key is known by its {@code kid}, the
 * RFC 7638 thumbprint of the key ({@link JwtKeys#kid}). A token whose header names a {@code kid} is
 * checked against that key only, and refused when no configured key has it; a token without {@code
 * kid} (issued before key ids existed) is accepted when any configured key verifies it.
 *
 * <p>A token is accepted only if all of these hold: the header's {@code alg} is exactly {@code
 * ES256}; the header's {@code kid}, if any, is a configured key's; the signature verifies with that
 * key (or, without {@code kid}, with one of the configured keys); {@code iss} equals the configured
 * issuer; {@code aud} (a string or an array) contains the configured audience; {@code exp} is
 * present and not in the past (with {@link #LEEWAY_SECONDS} of clock skew); {@code sub} is a
 * non-blank string. vert.x-auth-jwt already enforces the signature, {@code alg}, {@code iss},
 * {@code aud} and {@code exp}; the same checks are repeated here explicitly so the contract does
 * not depend on the library's defaults. Without a public key every token is rejected. Tokens longer
 * than {@link #MAX_TOKEN_LENGTH} characters are rejected before any decoding.
 */
public final class JwtVerifier {
  public static final String ALGORITHM = "ES256";
  public static final int LEEWAY_SECONDS = 5;
  public static final int MAX_TOKEN_LENGTH = 8192;
  private static final Logger log = LoggerFactory.getLogger(JwtVerifier.class);
  private static final Pattern SHAPE =
      Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
  private static final String CHALLENGE = "Bearer realm=\"tarifa\"";

  private final JWTAuth jwt;
  private final AuthConfig config;
  private final Set<String> kids;

  private JwtVerifier(JWTAuth jwt, AuthConfig config, Set<String> kids) {
    this.jwt = jwt;
    this.config = config;
    this.kids = kids;
  }

  /**
   * A verifier for {@code config}'s public keys, issuer and audience. A missing public key is
   * logged once and yields a verifier that rejects everything; an unusable key fails here with a
   * {@link ConfigException} naming {@code TARIFA_JWT_PUBLIC_KEY}. The key ids are logged at
   * start-up, so a rotation's progress can be read from the logs.
   */
  public static JwtVerifier create(Vertx vertx, AuthConfig config) {
    if (config.publicKeyPem() == null) {
      log.warn("{} is not configured: every bearer token will be rejected", AuthConfig.PUBLIC_KEY);
      return new JwtVerifier(null, config, Set.of());
    }
    List<JwtKeys.PublicJwk> keys = JwtKeys.publicKeys(config.publicKeyPem());
    JWTAuthOptions options =
        new JWTAuthOptions()
            .setJWTOptions(
                new JWTOptions()
                    .setIssuer(config.issuer())
                    .addAudience(config.audience())
                    .setLeeway(LEEWAY_SECONDS));
    Set<String> kids = new LinkedHashSet<>();
    for (JwtKeys.PublicJwk k : keys) {
      // The id makes the library try only the key a token names (and every key for a token without
      // kid).
      options.addPubSecKey(
          new PubSecKeyOptions().setAlgorithm(ALGORITHM).setId(k.kid()).setBuffer(k.pem()));
      kids.add(k.kid());
    }
    log.debug("verifying bearer tokens with {} key(s), kid {}", kids.size(), kids);
    return new JwtVerifier(JWTAuth.create(vertx, options), config, Set.copyOf(kids));
  }

  /** The ids of the configured keys (empty without keys). */
  public Set<String> keyIds() {
    return kids;
  }

  /**
   * The principal of a valid token; otherwise a failed future whose cause is a 401 {@link Problem}
   * (the detail says only "invalid or expired token", never which check failed).
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
      if (!ALGORITHM.equals(header.getValue("alg")))
        return rejected("algorithm " + header.getValue("alg"));
      // Checked here as well as by the library: a kid that no configured key has is refused
      // outright.
      if (header.containsKey("kid")
          && !(header.getValue("kid") instanceof String kid && kids.contains(kid))) {
        return rejected("unknown kid " + header.getValue("kid"));
      }
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
    return checked.transform(
        ar -> {
          if (ar.failed()) return rejected("library: " + ar.cause().getMessage());
          return Future.succeededFuture(principal(payload));
        });
  }

  /**
   * Requires {@code Authorization: Bearer <token>}. On success the {@link Principal} is stored in
   * the context ({@link Principal#of}) and the next handler runs; otherwise the request fails with
   * a 401 problem and a {@code WWW-Authenticate: Bearer} challenge.
   */
  public Handler<RoutingContext> requireUser() {
    return ctx -> authenticate(ctx, () -> ctx.next());
  }

  /** {@link #requireUser()}, then a 403 problem unless the principal has {@code role}. */
  public Handler<RoutingContext> requireRole(String role) {
    return ctx ->
        authenticate(
            ctx,
            () -> {
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
    verify(header.substring(7).trim())
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                ctx.put(Principal.CONTEXT_KEY, ar.result());
                then.run();
              } else {
                challenge(
                    ctx,
                    ar.cause() instanceof Problem p
                        ? p
                        : Problem.unauthorized("invalid or expired token"));
              }
            });
  }

  private static void challenge(RoutingContext ctx, Problem problem) {
    String value =
        problem.detail().startsWith("a bearer token")
            ? CHALLENGE
            : CHALLENGE + ", error=\"invalid_token\"";
    ctx.response().putHeader("WWW-Authenticate", value);
    ctx.fail(problem);
  }

  private String claimsProblem(JsonObject payload) {
    if (!config.issuer().equals(payload.getValue("iss"))) return "issuer";
    Object aud = payload.getValue("aud");
    boolean audienceOk =
        aud instanceof String s
            ? s.equals(config.audience())
            : aud instanceof JsonArray a && a.contains(config.audience());
    if (!audienceOk) return "audience";
    if (!(payload.getValue("exp") instanceof Number exp)) return "no exp";
    if (exp.longValue() + LEEWAY_SECONDS < System.currentTimeMillis() / 1000) return "expired";
    if (payload.getValue("nbf") instanceof Number nbf
        && nbf.longValue() - LEEWAY_SECONDS > System.currentTimeMillis() / 1000) {
      return "not yet valid";
    }
    if (!(payload.getValue("sub") instanceof String sub) || sub.isBlank()) return "no subject";
    if (payload.containsKey("roles") && !(payload.getValue("roles") instanceof JsonArray))
      return "roles";
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
