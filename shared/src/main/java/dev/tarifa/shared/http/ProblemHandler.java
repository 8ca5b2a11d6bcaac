package dev.tarifa.shared.http;

import dev.tarifa.shared.domain.Conflict;
import dev.tarifa.shared.domain.DomainException;
import dev.tarifa.shared.domain.InvalidValue;
import dev.tarifa.shared.domain.NotFound;
import dev.tarifa.shared.domain.Unauthenticated;
import dev.tarifa.shared.domain.Unavailable;
import dev.tarifa.shared.domain.VersionMismatch;
import dev.tarifa.shared.domain.VersionRequired;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one failure handler: writes every failure as an RFC 9457 problem detail ({@code
 * application/problem+json}). {@link Problem}s and vert.x-web {@link HttpException}s keep their
 * status; {@link DomainException}s get the status of their kind ({@link
 * #problemOf(DomainException)}, the only place that maps domain outcomes to HTTP); a malformed JSON
 * body is a 400; anything else is a 500 that is logged once, with the request id, and answered
 * without internals.
 *
 * <p>A handler reaches it by throwing (vert.x-web routes an exception thrown by a handler here), by
 * {@code ctx.fail(e)}, or by returning a failed future through {@link Routers#async}.
 */
public final class ProblemHandler implements Handler<RoutingContext> {
  public static final String CONTENT_TYPE = "application/problem+json";
  private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

  @Override
  public void handle(RoutingContext ctx) {
    Problem problem = toProblem(ctx);
    HttpServerResponse response = ctx.response();
    if (response.headWritten()) {
      // Too late for a problem body; the connection is the only thing left to signal the failure
      // with.
      if (!response.ended()) response.reset();
      return;
    }
    if (problem.status() >= 500
        && !(ctx.failure() instanceof Problem || ctx.failure() instanceof DomainException)) {
      RequestIds.log(
          ctx,
          () ->
              log.error(
                  "{} {} failed", ctx.request().method(), ctx.request().path(), ctx.failure()));
    }
    write(ctx, problem);
  }

  public static void write(RoutingContext ctx, Problem problem) {
    HttpServerResponse response = ctx.response();
    if (problem.status() == 429
        && problem.extensions() != null
        && problem.extensions().containsKey("retryAfterSeconds")) {
      response.putHeader(
          "Retry-After", String.valueOf(problem.extensions().getValue("retryAfterSeconds")));
    }
    if (problem.status() == 405 && ctx.get("allow") != null)
      response.putHeader("Allow", (String) ctx.get("allow"));
    Buffer body =
        problem.toJson(ctx.request().path()).put("requestId", RequestIds.of(ctx)).toBuffer();
    response
        .setStatusCode(problem.status())
        .putHeader("Content-Type", CONTENT_TYPE)
        .putHeader("Cache-Control", "no-store")
        .end(body);
  }

  /**
   * The server's handler for requests the HTTP codec refused before any routing (a request line or
   * headers over the limits, a malformed request): the same problem body as every other refusal
   * (Vert.x's default answers with an empty body), then the connection is closed, since what
   * follows on it cannot be trusted.
   */
  public static void invalidRequest(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    Problem problem;
    if (cause instanceof TooLongHttpLineException) {
      problem = new Problem(414, "URI Too Long", "the request line exceeds the limit");
    } else if (cause instanceof TooLongHttpHeaderException) {
      problem =
          new Problem(
              431, "Request Header Fields Too Large", "the request headers exceed the limit");
    } else {
      problem = new Problem(400, "Bad Request", "malformed HTTP request");
    }
    request
        .response()
        .setStatusCode(problem.status())
        .putHeader("Content-Type", CONTENT_TYPE)
        .putHeader("Cache-Control", "no-store")
        .putHeader("Connection", "close")
        .end(problem.toJson(null).toBuffer())
        .onComplete(v -> request.connection().close());
  }

  /**
   * The problem detail of a domain outcome: {@link NotFound} 404, {@link Conflict} 409, {@link
   * VersionMismatch} 412, {@link VersionRequired} 428, {@link InvalidValue} 400 naming its
   * parameter, {@link Unauthenticated} 401 and {@link Unavailable} 503, each with the exception's
   * message as {@code detail} and the same title and type as the {@link Problem} factories of that
   * status.
   */
  public static Problem problemOf(DomainException e) {
    String detail = e.getMessage();
    if (e instanceof NotFound) return Problem.notFound(detail);
    if (e instanceof Conflict) return Problem.conflict(detail);
    if (e instanceof VersionMismatch) return Problem.preconditionFailed(detail);
    if (e instanceof VersionRequired) return new Problem(428, "Precondition Required", detail);
    if (e instanceof InvalidValue v)
      return new Problem(400, "Invalid parameter", detail, v.parameter(), null);
    if (e instanceof Unauthenticated) return Problem.unauthorized(detail);
    if (e instanceof Unavailable) return Problem.unavailable(detail);
    // Unreachable while DomainException's permitted kinds are all mapped above (ProblemHandlerTest
    // walks them).
    return new Problem(
        500, "Internal Server Error", "unexpected failure; quote the request id when reporting it");
  }

  static Problem toProblem(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof Problem p) return p;
    if (failure instanceof DomainException e) return problemOf(e);
    if (failure instanceof DecodeException
        || failure instanceof IllegalArgumentException
            && failure.getCause() instanceof DecodeException) {
      return new Problem(400, "Malformed body", "request body is not valid JSON", "body", null);
    }
    int status = failure instanceof HttpException he ? he.getStatusCode() : ctx.statusCode();
    if (status < 400) status = 500;
    return switch (status) {
      case 400 ->
          new Problem(
              400,
              "Bad Request",
              failure != null && failure.getMessage() != null
                  ? failure.getMessage()
                  : "bad request");
      case 401 -> Problem.unauthorized("missing or invalid credentials");
      case 403 -> Problem.forbidden("not allowed");
      case 404 -> Problem.notFound("no resource at " + ctx.request().path());
      case 405 ->
          new Problem(
              405,
              "Method Not Allowed",
              ctx.request().method() + " is not allowed on " + ctx.request().path());
      case 413 -> new Problem(413, "Payload Too Large", "request body exceeds the limit");
      case 414 -> new Problem(414, "URI Too Long", "request URI exceeds the limit");
      case 415 -> new Problem(415, "Unsupported Media Type", "expected application/json");
      case 503 -> Problem.unavailable("temporarily unavailable");
      default ->
          status >= 500
              ? new Problem(
                  status,
                  "Internal Server Error",
                  "unexpected failure; quote the request id when reporting it")
              : new Problem(status, "HTTP " + status, null);
    };
  }
}
