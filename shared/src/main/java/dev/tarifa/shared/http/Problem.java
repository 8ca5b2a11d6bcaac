package dev.tarifa.shared.http;

import io.vertx.core.json.JsonObject;

/**
 * An expected failure that the {@link ProblemHandler} turns into an RFC 9457 problem detail.
 * Handlers throw it ({@code throw Problem.badRequest("date", "must not be in the past")}) for what
 * is wrong with the request itself; services and stores fail with {@link
 * dev.tarifa.shared.domain.DomainException}s instead, which know no HTTP. Carries no stack trace:
 * these are answers, not bugs.
 */
public final class Problem extends RuntimeException {
  private final int status;
  private final String title;
  private final String parameter;
  private final JsonObject extensions;

  public Problem(int status, String title, String detail, String parameter, JsonObject extensions) {
    super(detail, null, false, false);
    this.status = status;
    this.title = title;
    this.parameter = parameter;
    this.extensions = extensions;
  }

  public Problem(int status, String title, String detail) {
    this(status, title, detail, null, null);
  }

  /** A 400 naming the offending parameter: "{parameter} {problem}". */
  public static Problem badRequest(String parameter, String problem) {
    return new Problem(400, "Invalid parameter", parameter + ": " + problem, parameter, null);
  }

  public static Problem notFound(String detail) {
    return new Problem(404, "Not Found", detail);
  }

  public static Problem conflict(String detail) {
    return new Problem(409, "Conflict", detail);
  }

  public static Problem preconditionFailed(String detail) {
    return new Problem(412, "Precondition Failed", detail);
  }

  public static Problem unauthorized(String detail) {
    return new Problem(401, "Unauthorized", detail);
  }

  public static Problem forbidden(String detail) {
    return new Problem(403, "Forbidden", detail);
  }

  public static Problem unavailable(String detail) {
    return new Problem(503, "Service Unavailable", detail);
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  public String detail() {
    return getMessage();
  }

  /** The request parameter at fault, or null. */
  public String parameter() {
    return parameter;
  }

  public JsonObject extensions() {
    return extensions;
  }

  public JsonObject toJson(String instance) {
    JsonObject json =
        new JsonObject()
            .put("type", "https://tarifa.dev/problems/" + slug(status))
            .put("title", title)
            .put("status", status);
    if (getMessage() != null) json.put("detail", getMessage());
    if (instance != null) json.put("instance", instance);
    if (parameter != null) json.put("parameter", parameter);
    if (extensions != null) extensions.forEach(e -> json.put(e.getKey(), e.getValue()));
    return json;
  }

  static String slug(int status) {
    return switch (status) {
      case 400 -> "invalid-parameter";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "not-found";
      case 405 -> "method-not-allowed";
      case 409 -> "conflict";
      case 412 -> "precondition-failed";
      case 413 -> "payload-too-large";
      case 414 -> "uri-too-long";
      case 415 -> "unsupported-media-type";
      case 428 -> "precondition-required";
      case 429 -> "too-many-requests";
      case 431 -> "request-header-fields-too-large";
      case 503 -> "service-unavailable";
      case 504 -> "gateway-timeout";
      default -> status >= 500 ? "internal-error" : "http-" + status;
    };
  }
}
