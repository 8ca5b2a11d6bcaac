package dev.tarifa.gateway.upstream;

import dev.tarifa.shared.http.Problem;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.util.concurrent.TimeoutException;

/**
 * One owning service seen from the gateway: every call is bounded by the timeout and goes through
 * the upstream's circuit breaker. Answers of any status are returned, but a 5xx counts as a failure
 * for the breaker (a 4xx is the client's problem, not the upstream's).
 */
public final class Upstream {
  private final String name;
  private final WebClient client;
  private final CircuitBreaker breaker;
  private final String host;
  private final int port;
  private final boolean ssl;
  private final long timeoutMs;

  public Upstream(String name, URI base, WebClient client, CircuitBreaker breaker, long timeoutMs) {
    this.name = name;
    this.client = client;
    this.breaker = breaker;
    this.ssl = "https".equalsIgnoreCase(base.getScheme());
    this.host = base.getHost();
    this.port = base.getPort() > 0 ? base.getPort() : ssl ? 443 : 80;
    this.timeoutMs = timeoutMs;
  }

  public String name() {
    return name;
  }

  /** GET {@code uri} (path and query). */
  public Future<HttpResponse<Buffer>> get(String uri, MultiMap headers) {
    return send(HttpMethod.GET, uri, headers, null);
  }

  public Future<HttpResponse<Buffer>> send(
      HttpMethod method, String uri, MultiMap headers, Buffer body) {
    return breaker
        .<HttpResponse<Buffer>>execute(
            () -> {
              HttpRequest<Buffer> req =
                  client.request(method, port, host, uri).ssl(ssl).timeout(timeoutMs);
              if (headers != null) req.putHeaders(headers);
              Future<HttpResponse<Buffer>> sent = body == null ? req.send() : req.sendBuffer(body);
              return sent.compose(
                  r ->
                      r.statusCode() >= 500
                          ? Future.failedFuture(new ServerError(r))
                          : Future.succeededFuture(r));
            })
        .recover(
            e ->
                e instanceof ServerError se
                    ? Future.succeededFuture(se.response)
                    : Future.failedFuture(e));
  }

  /**
   * The problem a failed call becomes: 504 on a timeout, else 503 (connection refused, circuit
   * open).
   */
  public Problem problem(Throwable failure) {
    if (failure instanceof Problem p) return p;
    if (failure instanceof TimeoutException
        || failure instanceof io.vertx.circuitbreaker.TimeoutException) {
      return new Problem(504, "Gateway Timeout", name + " did not answer in time");
    }
    if (failure instanceof OpenCircuitException)
      return Problem.unavailable(name + " is unavailable (circuit open)");
    return Problem.unavailable(name + " is unavailable");
  }

  /** A 5xx answer: a failure for the breaker, still delivered to the caller. */
  static final class ServerError extends RuntimeException {
    final HttpResponse<Buffer> response;

    ServerError(HttpResponse<Buffer> response) {
      super(response.statusCode() + " from upstream", null, false, false);
      this.response = response;
    }
  }
}
