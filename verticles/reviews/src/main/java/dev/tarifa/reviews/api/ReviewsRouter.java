package dev.tarifa.reviews.api;

import com.mongodb.MongoException;
import dev.tarifa.reviews.domain.NewReview;
import dev.tarifa.reviews.domain.RatingSummary;
import dev.tarifa.reviews.domain.Review;
import dev.tarifa.reviews.domain.Subject;
import dev.tarifa.reviews.store.ReviewStore;
import dev.tarifa.reviews.store.ReviewStore.Order;
import dev.tarifa.reviews.store.SubjectDirectory;
import dev.tarifa.shared.auth.JwtVerifier;
import dev.tarifa.shared.auth.Principal;
import dev.tarifa.shared.events.DomainEvent;
import dev.tarifa.shared.health.Health;
import dev.tarifa.shared.http.Bodies;
import dev.tarifa.shared.http.Params;
import dev.tarifa.shared.http.Problem;
import dev.tarifa.shared.http.Responses;
import dev.tarifa.shared.http.Routers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.bson.types.ObjectId;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The reviews service's HTTP API. Reads validate the subject's format only; writes also ask the subject's
 * owning service whether it exists. Every create, hide, unhide and delete adjusts the subject's rating
 * aggregate and writes an event to the outbox.
 */
public final class ReviewsRouter {
  public static final int MAX_SUMMARIES = 50;
  public static final String CREATED = "reviews.review.created";
  public static final String HIDDEN = "reviews.review.hidden";
  public static final String UNHIDDEN = "reviews.review.unhidden";
  public static final String DELETED = "reviews.review.deleted";
  private static final Pattern ID = Pattern.compile("[0-9a-f]{24}");
  private static final Set<String> SORTS = Set.of("newest", "helpful");

  private final Vertx vertx;
  private final Health health;
  private final JwtVerifier auth;
  private final ReviewStore store;
  private final SubjectDirectory subjects;
  private final Clock clock;

  public ReviewsRouter(Vertx vertx, Health health, JwtVerifier auth, ReviewStore store, SubjectDirectory subjects, Clock clock) {
    this.vertx = vertx;
    this.health = health;
    this.auth = auth;
    this.store = store;
    this.subjects = subjects;
    this.clock = clock;
  }

  public Router router() {
    Router router = Routers.create(vertx, health);
    // Public reads: ?subject=hotel:123&sort=newest|helpful&limit=1..50&offset=0..1000
    router.get("/api/v1/reviews").handler(this::list);
    router.get("/api/v1/reviews/summary").handler(this::summary);             // ?subject=
    router.get("/api/v1/reviews/summaries").handler(this::summaries);         // ?subjects=a,b,c (at most 50)
    router.get("/api/v1/reviews/:id").handler(this::get);
    // Signed-in writes
    router.post("/api/v1/reviews").handler(auth.requireUser()).handler(this::create);
    router.post("/api/v1/reviews/:id/helpful").handler(auth.requireUser()).handler(this::helpful);
    // Moderation (role admin)
    router.route("/admin/v1/reviews*").handler(auth.requireRole("admin"));
    router.get("/admin/v1/reviews").handler(this::adminList);                 // ?subject=&hidden=&limit=&offset=
    router.post("/admin/v1/reviews/aggregates/rebuild").handler(this::rebuild); // ?subject=
    router.patch("/admin/v1/reviews/:id").handler(this::moderate);            // {"hidden": true|false}
    router.delete("/admin/v1/reviews/:id").handler(this::delete);
    return router;
  }

  private void list(RoutingContext ctx) {
    Subject subject;
    Order order;
    int limit;
    int offset;
    try {
      Params p = Params.of(ctx);
      subject = Subject.parse("subject", p.raw("subject"));
      order = p.oneOf("sort", SORTS, "newest").equals("helpful") ? Order.HELPFUL : Order.NEWEST;
      limit = p.integer("limit", 20, 1, 50);
      offset = p.integer("offset", 0, 0, 1000);
    } catch (Problem e) {
      ctx.fail(e);
      return;
    }
    JsonObject filter = new JsonObject().put("subject", subject.toString()).put("hidden", false);
    page(ctx, filter, order, limit, offset, Review::toJson, new JsonObject()
      .put("subject", subject.toString()).put("sort", order.name().toLowerCase()));
  }

  private void get(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (!ID.matcher(id).matches()) {
      ctx.fail(Problem.notFound("no review " + id));
      return;
    }
    store.find(id)
      .compose(r -> r == null || r.hidden() ? Future.failedFuture(Problem.notFound("no review " + id)) : Responses.json(ctx, r.toJson()))
      .onFailure(ctx::fail);
  }

  private void summary(RoutingContext ctx) {
    Subject subject;
    try {
      subject = Subject.parse("subject", Params.of(ctx).raw("subject"));
    } catch (Problem e) {
      ctx.fail(e);
      return;
    }
    store.summary(subject.toString())
      .compose(s -> Responses.json(ctx, s.toJson()))
      .onFailure(ctx::fail);
  }

  private void summaries(RoutingContext ctx) {
    List<String> list;
    try {
      list = subjectList(ctx.queryParams().get("subjects"));
    } catch (Problem e) {
      ctx.fail(e);
      return;
    }
    store.summaries(list)
      .compose(all -> Responses.json(ctx, new JsonObject()
        .put("results", new JsonArray(all.stream().map(RatingSummary::toJson).toList()))))
      .onFailure(ctx::fail);
  }

  /** Up to {@link #MAX_SUMMARIES} distinct subjects from a comma-separated list, in the order given. */
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
    if (out.size() > MAX_SUMMARIES) throw Problem.badRequest("subjects", "must name at most " + MAX_SUMMARIES + " subjects");
    return List.copyOf(out);
  }

  private void create(RoutingContext ctx) {
    NewReview draft;
    try {
      draft = NewReview.parse(Bodies.json(ctx), clock);
    } catch (Problem e) {
      ctx.fail(e);
      return;
    }
    String author = Principal.of(ctx).subject();
    subjects.requireExisting(draft.subject())
      .compose(v -> {
        // Mongo dates keep milliseconds; truncating here makes the answer equal what a later read returns.
        Review review = Review.create(new ObjectId().toHexString(), draft, author, clock.instant().truncatedTo(ChronoUnit.MILLIS));
        return store.insert(review)
          .recover(e -> Future.failedFuture(isDuplicateKey(e)
            ? Problem.conflict("you have already reviewed " + review.subject()) : e))
          .compose(x -> store.appendEvent(event(CREATED, review)))
          .compose(x -> store.adjustAggregate(review.subject(), review.rating(), 1))
          .map(x -> review);
      })
      .compose(review -> {
        ctx.response().putHeader("Location", "/api/v1/reviews/" + review.id());
        return Responses.json(ctx, 201, review.toJson());
      })
      .onFailure(ctx::fail);
  }

  private void helpful(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (!ID.matcher(id).matches()) {
      ctx.fail(Problem.notFound("no review " + id));
      return;
    }
    String voter = Principal.of(ctx).subject();
    // Idempotent: a repeated vote answers like the first one but counts once.
    store.voteHelpful(id, voter)
      .compose(counted -> store.find(id).compose(r -> r == null || r.hidden()
        ? Future.failedFuture(Problem.notFound("no review " + id))
        : Responses.json(ctx, new JsonObject().put("id", id).put("helpfulCount", r.helpfulCount()).put("counted", counted))))
      .onFailure(ctx::fail);
  }

  private void adminList(RoutingContext ctx) {
    JsonObject filter = new JsonObject();
    JsonObject query = new JsonObject();
    int limit;
    int offset;
    try {
      Params p = Params.of(ctx);
      String subject = p.raw("subject");
      if (subject != null) {
        String s = Subject.parse("subject", subject).toString();
        filter.put("subject", s);
        query.put("subject", s);
      }
      if (p.raw("hidden") != null) {
        boolean hidden = p.bool("hidden", false);
        filter.put("hidden", hidden);
        query.put("hidden", hidden);
      }
      limit = p.integer("limit", 20, 1, 50);
      offset = p.integer("offset", 0, 0, 1000);
    } catch (Problem e) {
      ctx.fail(e);
      return;
    }
    page(ctx, filter, Order.NEWEST, limit, offset, Review::toAdminJson, query);
  }

  private void moderate(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    boolean hidden;
    try {
      Object v = Bodies.json(ctx).getValue("hidden");
      if (!(v instanceof Boolean b)) throw Problem.badRequest("hidden", "must be true or false");
      hidden = b;
    } catch (Problem e) {
      ctx.fail(e);
      return;
    }
    if (!ID.matcher(id).matches()) {
      ctx.fail(Problem.notFound("no review " + id));
      return;
    }
    store.setHidden(id, hidden)
      .compose(before -> {
        if (before == null) return Future.<Void>succeededFuture(); // missing, or already in that state
        return store.appendEvent(event(hidden ? HIDDEN : UNHIDDEN, before))
          .compose(x -> store.adjustAggregate(before.subject(), before.rating(), hidden ? -1 : 1));
      })
      .compose(x -> store.find(id))
      .compose(r -> r == null ? Future.failedFuture(Problem.notFound("no review " + id)) : Responses.json(ctx, r.toAdminJson()))
      .onFailure(ctx::fail);
  }

  private void delete(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (!ID.matcher(id).matches()) {
      ctx.fail(Problem.notFound("no review " + id));
      return;
    }
    store.delete(id)
      .compose(r -> {
        if (r == null) return Future.failedFuture(Problem.notFound("no review " + id));
        Future<Void> written = store.appendEvent(event(DELETED, r));
        // A hidden review is already out of the aggregate.
        return r.hidden() ? written : written.compose(x -> store.adjustAggregate(r.subject(), r.rating(), -1));
      })
      .compose(x -> Responses.noContent(ctx))
      .onFailure(ctx::fail);
  }

  private void rebuild(RoutingContext ctx) {
    Subject subject;
    try {
      subject = Subject.parse("subject", Params.of(ctx).raw("subject"));
    } catch (Problem e) {
      ctx.fail(e);
      return;
    }
    store.rebuildSummary(subject.toString())
      .compose(s -> Responses.json(ctx, s.toJson()))
      .onFailure(ctx::fail);
  }

  private void page(RoutingContext ctx, JsonObject filter, Order order, int limit, int offset,
                    java.util.function.Function<Review, JsonObject> view, JsonObject query) {
    Future<List<Review>> page = store.list(filter, order, limit, offset);
    Future<Long> total = store.count(filter);
    Future.all(page, total)
      .compose(v -> Responses.json(ctx, new JsonObject()
        .put("query", query)
        .put("results", new JsonArray(page.result().stream().map(view).toList()))
        .put("total", total.result())
        .put("limit", limit)
        .put("offset", offset)))
      .onFailure(ctx::fail);
  }

  private static DomainEvent event(String type, Review r) {
    return DomainEvent.of(type, List.of(r.subject()), new JsonObject()
      .put("reviewId", r.id())
      .put("subject", r.subject())
      .put("authorId", r.authorId())
      .put("rating", r.rating())
      // The state before the change: a deleted review that was hidden no longer counts in any aggregate.
      .put("hidden", r.hidden()));
  }

  static boolean isDuplicateKey(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof MongoException me && me.getCode() == ReviewStore.DUPLICATE_KEY) return true;
    }
    return false;
  }
}
