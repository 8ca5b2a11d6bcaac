package dev.tarifa.shared.search;

import dev.tarifa.shared.http.Responses;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;

/**
 * A service's answer to a search: the body of the internal API contract ({@code query}, {@code
 * results}, {@code total}, {@code limit}, {@code offset}, {@code providers}) and its {@link
 * SearchSummary}, which travels in headers. Search services return it from their search layer; the
 * router only {@link #writeTo writes} it.
 *
 * @param body the body, already encoded as UTF-8 JSON (a service on a hot path writes it with
 *     {@link dev.tarifa.shared.http.JsonBuffers} rather than building a tree); must not be modified
 *     after construction
 * @param summary the summary of that body
 */
public record SearchAnswer(Buffer body, SearchSummary summary) {
  public SearchAnswer {
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(summary, "summary");
  }

  /** An answer whose body is {@code body} encoded by {@link JsonObject#toBuffer()}. */
  public SearchAnswer(JsonObject body, SearchSummary summary) {
    this(Objects.requireNonNull(body, "body").toBuffer(), summary);
  }

  /**
   * Writes the summary headers and the body as a 200 JSON answer.
   *
   * @return the future of writing it
   */
  public Future<Void> writeTo(RoutingContext ctx) {
    summary.writeTo(ctx.response().headers());
    return Responses.json(ctx, 200, body);
  }
}
