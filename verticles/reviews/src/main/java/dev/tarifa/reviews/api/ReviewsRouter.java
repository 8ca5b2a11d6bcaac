package dev.tarifa.reviews.api;

import static dev.tarifa.shared.http.Routers.async;

import dev.tarifa.reviews.domain.NewReview;
import dev.tarifa.reviews.domain.ReviewOrder;
import dev.tarifa.reviews.domain.Subject;
import dev.tarifa.reviews.service.Reviews;
import dev.tarifa.shared.auth.JwtVerifier;
import dev.tarifa.shared.auth.Principal;
import dev.tarifa.shared.http.Bodies;
import dev.tarifa.shared.http.Params;
import dev.tarifa.shared.http.Problem;
import dev.tarifa.shared.http.Responses;
import dev.tarifa.shared.http.Routers;
import dev.tarifa.shared.launch.RouterParts;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The reviews service's HTTP API: public reads, signed-in writes and votes, moderation (role
 * admin).
 */
public final class ReviewsRouter {
  public static final int MAX_SUMMARIES = 50;
  private static final Set<String> SORTS = Set.of("newest", "helpful");

  private final RouterParts parts;
  private final JwtVerifier auth;
  private final Reviews reviews;

  public ReviewsRouter(RouterParts parts, Reviews reviews) {
    this.parts = parts;
    this.auth = parts.auth();
    this.reviews = reviews;
  }

  public Router router() {
    Router router = Routers.create(parts.vertx(), parts.health());
    // Public reads: ?subject=hotel:123&sort=newest|helpful&limit=1..50&offset=0..1000
    router.get("/api/v1/reviews").handler(async(this::list));
    router.get("/api/v1/reviews/summary").handler(async(this::summary)); // ?subject=
    router
        .get("/api/v1/reviews/summaries")
        .handler(async(this::summaries)); // ?subjects=a,b,c (at most 50)
    router.get("/api/v1/reviews/:id").handler(async(this::get));
    // Signed-in writes
    router.post("/api/v1/reviews").handler(auth.requireUser()).handler(async(this::create));
    router
        .post("/api/v1/reviews/:id/helpful")
        .handler(auth.requireUser())
        .handler(async(this::helpful));
    // Moderation (role admin)
    router.route("/admin/v1/reviews*").handler(auth.requireRole("admin"));
    router
        .get("/admin/v1/reviews")
        .handler(async(this::adminList)); // ?subject=&hidden=&limit=&offset=
    router.post("/admin/v1/reviews/aggregates/rebuild").handler(async(this::rebuild)); // ?subject=
    router.patch("/admin/v1/reviews/:id").handler(async(this::moderate)); // {"hidden": true|false}
    router.delete("/admin/v1/reviews/:id").handler(async(this::delete));
    return router;
  }

  private Future<Void> list(RoutingContext ctx) {
    Params p = Params.of(ctx);
    Subject subject = Subject.parse("subject", p.raw("subject"));
    ReviewOrder order =
        p.oneOf("sort", SORTS, "newest").equals("helpful")
            ? ReviewOrder.HELPFUL
            : ReviewOrder.NEWEST;
    int limit = p.integer("limit", 20, 1, 50);
    int offset = p.integer("offset", 0, 0, 1000);
    return reviews
        .visible(subject, order, limit, offset)
        .compose(page -> Responses.json(ctx, page.toJson()));
  }

  private Future<Void> get(RoutingContext ctx) {
    return reviews.review(ctx.pathParam("id")).compose(r -> Responses.json(ctx, r.toJson()));
  }

  private Future<Void> summary(RoutingContext ctx) {
    Subject subject = Subject.parse("subject", Params.of(ctx).raw("subject"));
    return reviews.summary(subject).compose(s -> Responses.json(ctx, s.toJson()));
  }

  private Future<Void> summaries(RoutingContext ctx) {
    return reviews
        .summaries(subjectList(ctx.queryParams().get("subjects")))
        .compose(all -> Responses.json(ctx, all.toJson()));
  }

  /**
   * Up to {@link #MAX_SUMMARIES} distinct subjects from a comma-separated list, in the order given.
   */
  static List<String> subjectList(String raw) {
    if (raw == null || raw.isBlank()) throw Problem.badRequest("subjects", "is required");
    // Bound the work before splitting: 50 subjects of at most 64 characters each.
    if (raw.length() > MAX_SUMMARIES * 64) throw Problem.badRequest("subjects", "is too long");
    Set<String> out = new LinkedHashSet<>();
    for (String part : raw.split(",")) {
      if (part.isBlank()) continue;
      out.add(Subject.parse("subjects", part).toString());
    }
    if (out.isEmpty()) throw Problem.badRequest("subjects", "is required");
    if (out.size() > MAX_SUMMARIES)
      throw Problem.badRequest("subjects", "must name at most " + MAX_SUMMARIES + " subjects");
    return List.copyOf(out);
  }

  private Future<Void> create(RoutingContext ctx) {
    NewReview draft = NewReview.parse(Bodies.json(ctx), reviews.clock());
    return reviews
        .create(draft, Principal.of(ctx).subject())
        .compose(
            review -> {
              ctx.response().putHeader("Location", "/api/v1/reviews/" + review.id());
              return Responses.json(ctx, 201, review.toJson());
            });
  }

  private Future<Void> helpful(RoutingContext ctx) {
    return reviews
        .voteHelpful(ctx.pathParam("id"), Principal.of(ctx).subject())
        .compose(vote -> Responses.json(ctx, vote.toJson()));
  }

  private Future<Void> adminList(RoutingContext ctx) {
    Params p = Params.of(ctx);
    String raw = p.raw("subject");
    Subject subject = raw == null ? null : Subject.parse("subject", raw);
    Boolean hidden = p.raw("hidden") == null ? null : p.bool("hidden", false);
    int limit = p.integer("limit", 20, 1, 50);
    int offset = p.integer("offset", 0, 0, 1000);
    return reviews
        .moderation(subject, hidden, limit, offset)
        .compose(page -> Responses.json(ctx, page.toJson()));
  }

  private Future<Void> moderate(RoutingContext ctx) {
    Object hidden = Bodies.json(ctx).getValue("hidden");
    if (!(hidden instanceof Boolean b)) throw Problem.badRequest("hidden", "must be true or false");
    return reviews
        .setHidden(ctx.pathParam("id"), b)
        .compose(r -> Responses.json(ctx, r.toAdminJson()));
  }

  private Future<Void> delete(RoutingContext ctx) {
    return reviews.delete(ctx.pathParam("id")).compose(v -> Responses.noContent(ctx));
  }

  private Future<Void> rebuild(RoutingContext ctx) {
    Subject subject = Subject.parse("subject", Params.of(ctx).raw("subject"));
    return reviews.rebuild(subject).compose(s -> Responses.json(ctx, s.toJson()));
  }
}
