package dev.tarifa.shared.http;

import io.vertx.ext.web.RoutingContext;

/**
 * Optimistic concurrency over HTTP with integer row versions: {@code ETag: "<version>"} on answers,
 * {@code If-Match} required on updates and deletes. A missing {@code If-Match} is a 428 problem;
 * one that is not a version this API could have issued is a 412 (it cannot match any current
 * version).
 */
public final class ETags {
  private ETags() {}

  public static String of(int version) {
    return "\"" + version + "\"";
  }

  /** Sets the {@code ETag} header to {@code version}. */
  public static void put(RoutingContext ctx, int version) {
    ctx.response().putHeader("ETag", of(version));
  }

  /**
   * The version named by {@code If-Match} ({@code "3"}, {@code W/"3"} or {@code 3}); throws 428
   * when absent, 412 when unparseable.
   */
  public static int requireIfMatch(RoutingContext ctx) {
    String v = ctx.request().getHeader("If-Match");
    if (v == null || v.isBlank())
      throw new Problem(428, "Precondition Required", "If-Match with the current ETag is required");
    return parse(v);
  }

  /** The version named by {@code If-Match}, or null when the header is absent. */
  public static Integer optionalIfMatch(RoutingContext ctx) {
    String v = ctx.request().getHeader("If-Match");
    return v == null || v.isBlank() ? null : parse(v);
  }

  private static int parse(String header) {
    String s = header.trim();
    if (s.startsWith("W/")) s = s.substring(2);
    if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\""))
      s = s.substring(1, s.length() - 1);
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw Problem.preconditionFailed(
          "If-Match " + header + " does not match the current version");
    }
  }
}
