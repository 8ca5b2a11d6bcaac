package dev.tarifa.gateway.search;

import io.vertx.core.buffer.Buffer;

/**
 * The owning service rejected a (gateway-validated) query with a 4xx: the client's problem, passed
 * through as it came and never cached.
 */
public final class OriginError extends RuntimeException {
  private final int status;
  private final String contentType;
  private final Buffer body;

  public OriginError(int status, String contentType, Buffer body) {
    super("origin answered " + status, null, false, false);
    this.status = status;
    this.contentType = contentType;
    this.body = body;
  }

  public int status() {
    return status;
  }

  public String contentType() {
    return contentType;
  }

  public Buffer body() {
    return body;
  }
}
