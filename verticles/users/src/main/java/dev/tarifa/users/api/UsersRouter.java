package dev.tarifa.users.api;

import static dev.tarifa.shared.http.Routers.async;

import dev.tarifa.shared.auth.JwtVerifier;
import dev.tarifa.shared.auth.Principal;
import dev.tarifa.shared.http.Bodies;
import dev.tarifa.shared.http.Params;
import dev.tarifa.shared.http.Problem;
import dev.tarifa.shared.http.Responses;
import dev.tarifa.shared.http.Routers;
import dev.tarifa.shared.launch.RouterParts;
import dev.tarifa.users.domain.Login;
import dev.tarifa.users.domain.Registration;
import dev.tarifa.users.domain.User;
import dev.tarifa.users.domain.UserPatch;
import dev.tarifa.users.service.Accounts;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The users service's HTTP API: sign-up, login (JWT), the caller's account, and user
 * administration.
 */
public final class UsersRouter {
  public static final String ADMIN = Accounts.ADMIN;
  private static final Pattern IF_MATCH = Pattern.compile("\"(\\d{1,9})\"");

  private final RouterParts parts;
  private final JwtVerifier verifier;
  private final Accounts accounts;

  public UsersRouter(RouterParts parts, Accounts accounts) {
    this.parts = parts;
    this.verifier = parts.auth();
    this.accounts = accounts;
  }

  public Router router() {
    Router router = Routers.create(parts.vertx(), parts.health());
    router.post("/api/v1/auth/register").handler(async(this::register));
    router.post("/api/v1/auth/login").handler(async(this::login));
    router.get("/api/v1/me").handler(verifier.requireUser()).handler(async(this::me));

    router.route("/admin/v1/users*").handler(verifier.requireRole(ADMIN));
    router.get("/admin/v1/users").handler(async(this::list));
    router.get("/admin/v1/users/:id").handler(async(this::get));
    router.patch("/admin/v1/users/:id").handler(async(this::patch));
    router.delete("/admin/v1/users/:id").handler(async(this::delete));
    return router;
  }

  /** 201 with the new account; 409 when the e-mail is taken. */
  private Future<Void> register(RoutingContext ctx) {
    Registration r = Registration.fromJson(Bodies.json(ctx));
    return accounts
        .register(r)
        .compose(
            user -> {
              ctx.response().putHeader("Location", "/api/v1/me");
              return Responses.json(ctx, 201, user.toJson());
            });
  }

  /** 200 with a bearer token; the same 401 for every kind of bad credentials. */
  private Future<Void> login(RoutingContext ctx) {
    Login login = Login.fromJson(Bodies.json(ctx));
    return accounts
        .login(login.email(), login.password())
        .compose(
            token -> {
              ctx.response().putHeader("Cache-Control", "no-store");
              return Responses.json(ctx, token.toJson());
            });
  }

  private Future<Void> me(RoutingContext ctx) {
    return accounts
        .active(Principal.of(ctx).subject())
        .compose(user -> Responses.json(ctx, user.toJson()));
  }

  /** {@code ?limit (1..100, 20) &offset (0..100000, 0) &q (substring of e-mail or name)}. */
  private Future<Void> list(RoutingContext ctx) {
    Params params = Params.of(ctx);
    int limit = params.integer("limit", 20, 1, 100);
    int offset = params.integer("offset", 0, 0, 100_000);
    String q = params.string("q", 100, null);
    return accounts.list(q, limit, offset).compose(page -> Responses.json(ctx, page.toJson()));
  }

  private Future<Void> get(RoutingContext ctx) {
    return accounts.user(Params.path(ctx).id("id")).compose(user -> withEtag(ctx, user));
  }

  /** Needs {@code If-Match: "<version>"}: 428 without it, 412 when stale. */
  private Future<Void> patch(RoutingContext ctx) {
    long id = Params.path(ctx).id("id");
    int version = ifMatch(ctx);
    UserPatch patch = UserPatch.fromJson(Bodies.json(ctx));
    return accounts
        .update(Principal.of(ctx).subject(), id, version, patch)
        .compose(user -> withEtag(ctx, user));
  }

  private Future<Void> delete(RoutingContext ctx) {
    return accounts
        .delete(Principal.of(ctx).subject(), Params.path(ctx).id("id"))
        .compose(v -> Responses.noContent(ctx));
  }

  private static Future<Void> withEtag(RoutingContext ctx, User user) {
    ctx.response().putHeader("ETag", user.etag());
    return Responses.json(ctx, user.toJson());
  }

  private static int ifMatch(RoutingContext ctx) {
    String header = ctx.request().getHeader("If-Match");
    if (header == null || header.isBlank()) {
      throw new Problem(
          428,
          "Precondition Required",
          "send If-Match with the user's ETag (GET it first)",
          "If-Match",
          null);
    }
    Matcher m = IF_MATCH.matcher(header.trim());
    if (!m.matches()) throw Problem.badRequest("If-Match", "must be one strong ETag such as \"3\"");
    return Integer.parseInt(m.group(1));
  }
}
