package dev.tarifa.users.api;

import dev.tarifa.shared.auth.JwtIssuer;
import dev.tarifa.shared.auth.JwtVerifier;
import dev.tarifa.shared.auth.Principal;
import dev.tarifa.shared.health.Health;
import dev.tarifa.shared.http.Bodies;
import dev.tarifa.shared.http.Params;
import dev.tarifa.shared.http.Problem;
import dev.tarifa.shared.http.Responses;
import dev.tarifa.shared.http.Routers;
import dev.tarifa.users.domain.PasswordHash;
import dev.tarifa.users.domain.Registration;
import dev.tarifa.users.domain.User;
import dev.tarifa.users.domain.UserPatch;
import dev.tarifa.users.store.UsersStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The users service's HTTP API: sign-up, login (JWT), the caller's account, and user administration. */
public final class UsersRouter {
  public static final String ADMIN = "admin";
  private static final List<String> NEW_USER_ROLES = List.of("user");
  private static final Logger log = LoggerFactory.getLogger(UsersRouter.class);
  private static final Pattern IF_MATCH = Pattern.compile("\"(\\d{1,9})\"");
  // One answer for unknown e-mail, wrong password and disabled account, so none can be told apart.
  private static final String BAD_CREDENTIALS = "invalid e-mail or password";

  private final Vertx vertx;
  private final WorkerExecutor hashing;
  private final Health health;
  private final UsersStore store;
  private final JwtIssuer issuer;
  private final JwtVerifier verifier;
  private final int iterations;
  private final String dummyHash;

  /**
   * @param dummyHash a hash (of a random password, with the configured iterations) verified for unknown e-mails,
   *                  so that login takes the same time whether or not the account exists
   * @param hashing     the bounded worker pool for PBKDF2, so a burst of logins cannot occupy every worker thread
   */
  public UsersRouter(Vertx vertx, WorkerExecutor hashing, Health health, UsersStore store, JwtIssuer issuer, JwtVerifier verifier,
                     int iterations, String dummyHash) {
    this.vertx = vertx;
    this.hashing = hashing;
    this.health = health;
    this.store = store;
    this.issuer = issuer;
    this.verifier = verifier;
    this.iterations = iterations;
    this.dummyHash = dummyHash;
  }

  public Router router() {
    Router router = Routers.create(vertx, health);
    router.post("/api/v1/auth/register").handler(this::register);
    router.post("/api/v1/auth/login").handler(this::login);
    router.get("/api/v1/me").handler(verifier.requireUser()).handler(this::me);

    router.route("/admin/v1/users*").handler(verifier.requireRole(ADMIN));
    router.get("/admin/v1/users").handler(this::list);
    router.get("/admin/v1/users/:id").handler(this::get);
    router.patch("/admin/v1/users/:id").handler(this::patch);
    router.delete("/admin/v1/users/:id").handler(this::delete);
    return router;
  }

  /** 201 with the new account; 409 when the e-mail is taken. */
  private void register(RoutingContext ctx) {
    Registration r;
    try {
      r = Registration.fromJson(Bodies.json(ctx));
    } catch (Problem p) {
      ctx.fail(p);
      return;
    }
    hashing.executeBlocking(() -> PasswordHash.hash(r.password(), iterations), false)
      .compose(hash -> store.insert(r.email(), r.name(), hash, NEW_USER_ROLES))
      .onSuccess(user -> {
        ctx.response().putHeader("Location", "/api/v1/me");
        Responses.json(ctx, 201, user.toJson());
      })
      .onFailure(ctx::fail);
  }

  /** 200 with a bearer token; the same 401 for every kind of bad credentials. */
  private void login(RoutingContext ctx) {
    String email;
    String password;
    try {
      JsonObject body = Bodies.json(ctx);
      email = Registration.email(body, "email");
      password = Registration.string(body, "password");
      if (password == null || password.isEmpty()) throw Problem.badRequest("password", "is required");
      if (password.length() > 4 * Registration.MAX_PASSWORD) throw Problem.badRequest("password", "is too long");
    } catch (Problem p) {
      ctx.fail(p);
      return;
    }
    store.credentials(email)
      .compose(found -> hashing.executeBlocking(
        () -> PasswordHash.verify(password, found == null ? dummyHash : found.passwordHash()), false)
        .compose(matches -> matches && found != null && !found.user().disabled()
          ? upgradeHash(found, password).map(found.user())
          : Future.<User>succeededFuture(null)))
      .onSuccess(user -> {
        if (user == null) {
          ctx.fail(Problem.unauthorized(BAD_CREDENTIALS));
          return;
        }
        String token = issuer.issue(String.valueOf(user.id()), user.email(), Set.copyOf(user.roles()));
        ctx.response().putHeader("Cache-Control", "no-store");
        Responses.json(ctx, new JsonObject()
          .put("token", token)
          .put("tokenType", "Bearer")
          .put("expiresIn", issuer.expiresInSeconds()));
      })
      .onFailure(ctx::fail);
  }

  /**
   * Re-hashes a correct password whose stored hash has fewer iterations than configured, so raising
   * TARIFA_PASSWORD_ITERATIONS upgrades accounts as they log in. Done before answering (this one login pays one
   * more hash); a failure is logged and does not fail the login.
   */
  private Future<Void> upgradeHash(User.Credentials found, String password) {
    if (PasswordHash.iterations(found.passwordHash()) >= iterations) return Future.succeededFuture();
    return hashing.executeBlocking(() -> PasswordHash.hash(password, iterations), false)
      .compose(hash -> store.replacePasswordHash(found.user().id(), found.passwordHash(), hash))
      .<Void>mapEmpty()
      .recover(e -> {
        log.warn("password hash upgrade for user {} failed: {}", found.user().id(), e.toString());
        return Future.succeededFuture();
      });
  }

  /** The caller's account; a deleted or disabled account no longer counts as authenticated. */
  private void me(RoutingContext ctx) {
    long id;
    try {
      id = Long.parseLong(Principal.of(ctx).subject());
    } catch (NumberFormatException e) {
      ctx.fail(Problem.unauthorized("token subject is not a user of this service"));
      return;
    }
    store.find(id)
      .onSuccess(user -> {
        if (user == null || user.disabled()) ctx.fail(Problem.unauthorized("account no longer active"));
        else Responses.json(ctx, user.toJson());
      })
      .onFailure(ctx::fail);
  }

  /** {@code ?limit (1..100, 20) &offset (0..100000, 0) &q (substring of e-mail or name)}. */
  private void list(RoutingContext ctx) {
    int limit;
    int offset;
    String q;
    try {
      Params params = Params.of(ctx);
      limit = params.integer("limit", 20, 1, 100);
      offset = params.integer("offset", 0, 0, 100_000);
      q = params.string("q", 100, null);
    } catch (Problem p) {
      ctx.fail(p);
      return;
    }
    store.list(q, limit, offset)
      .onSuccess(page -> Responses.json(ctx, new JsonObject()
        .put("results", new JsonArray(page.users().stream().map(User::toJson).map(Object.class::cast).toList()))
        .put("total", page.total())
        .put("limit", limit)
        .put("offset", offset)))
      .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    long id;
    try {
      id = id(ctx);
    } catch (Problem p) {
      ctx.fail(p);
      return;
    }
    store.find(id)
      .onSuccess(user -> {
        if (user == null) ctx.fail(Problem.notFound("no user " + id));
        else withEtag(ctx, user);
      })
      .onFailure(ctx::fail);
  }

  /** Needs {@code If-Match: "<version>"}: 428 without it, 412 when stale. */
  private void patch(RoutingContext ctx) {
    long id;
    int version;
    UserPatch patch;
    try {
      id = id(ctx);
      version = ifMatch(ctx);
      patch = UserPatch.fromJson(Bodies.json(ctx));
      if (isSelf(ctx, id) && (Boolean.TRUE.equals(patch.disabled()) || patch.roles() != null && !patch.roles().contains(ADMIN))) {
        throw Problem.conflict("admins cannot disable themselves or drop their own admin role");
      }
    } catch (Problem p) {
      ctx.fail(p);
      return;
    }
    store.update(id, version, patch.roles(), patch.disabled())
      .onSuccess(user -> withEtag(ctx, user))
      .onFailure(ctx::fail);
  }

  private void delete(RoutingContext ctx) {
    long id;
    try {
      id = id(ctx);
      if (isSelf(ctx, id)) throw Problem.conflict("admins cannot delete themselves");
    } catch (Problem p) {
      ctx.fail(p);
      return;
    }
    store.delete(id)
      .onSuccess(deleted -> {
        if (deleted) Responses.noContent(ctx);
        else ctx.fail(Problem.notFound("no user " + id));
      })
      .onFailure(ctx::fail);
  }

  private static Future<Void> withEtag(RoutingContext ctx, User user) {
    ctx.response().putHeader("ETag", user.etag());
    return Responses.json(ctx, user.toJson());
  }

  private static long id(RoutingContext ctx) {
    String raw = ctx.pathParam("id");
    try {
      long id = Long.parseLong(raw);
      if (id > 0) return id;
    } catch (NumberFormatException ignored) {
      // answered below
    }
    throw Problem.badRequest("id", "must be a positive integer");
  }

  private static int ifMatch(RoutingContext ctx) {
    String header = ctx.request().getHeader("If-Match");
    if (header == null || header.isBlank()) {
      throw new Problem(428, "Precondition Required", "send If-Match with the user's ETag (GET it first)", "If-Match", null);
    }
    Matcher m = IF_MATCH.matcher(header.trim());
    if (!m.matches()) throw Problem.badRequest("If-Match", "must be one strong ETag such as \"3\"");
    return Integer.parseInt(m.group(1));
  }

  private static boolean isSelf(RoutingContext ctx, long id) {
    return String.valueOf(id).equals(Principal.of(ctx).subject());
  }
}
