package dev.tarifa.shared.launch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tarifa.shared.health.Health;
import dev.tarifa.shared.http.Routers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Requests the HTTP codec refuses before routing (request line or headers over the limits, garbage)
 * are answered with an RFC 9457 problem body like every other refusal, and the connection is
 * closed.
 */
class InvalidRequestTest {
  private static Vertx vertx;
  private static int port;

  static final class PlainVerticle extends HttpVerticle {
    @Override
    protected Future<Router> router() {
      return Future.succeededFuture(Routers.create(vertx, new Health(vertx)));
    }

    @Override
    protected int port() {
      return 0;
    }
  }

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    PlainVerticle verticle = new PlainVerticle();
    vertx.deployVerticle(verticle).await(10, TimeUnit.SECONDS);
    port = verticle.actualPort();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aTooLongRequestLineIsA414Problem() throws Exception {
    assertProblem(
        exchange("GET /health/live?q=" + "a".repeat(9000) + " HTTP/1.1\r\nHost: x\r\n\r\n"),
        414,
        "URI Too Long");
  }

  @Test
  void tooLargeHeadersAreA431Problem() throws Exception {
    assertProblem(
        exchange(
            "GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n"),
        431,
        "Request Header Fields Too Large");
  }

  @Test
  void aMalformedRequestIsA400Problem() throws Exception {
    assertProblem(
        exchange("GET /health/live HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n"),
        400,
        "Bad Request");
  }

  @Test
  void aGoodRequestStillPasses() throws Exception {
    assertThat(exchange("GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
        .startsWith("HTTP/1.1 200");
  }

  private static void assertProblem(String response, int status, String title) {
    assertThat(response).matches("(?s)HTTP/1\\.[01] " + status + " .*");
    String head = response.substring(0, response.indexOf("\r\n\r\n")).toLowerCase();
    assertThat(head)
        .contains("content-type: application/problem+json")
        .contains("connection: close");
    JsonObject body = new JsonObject(response.substring(response.indexOf("\r\n\r\n") + 4));
    assertThat(body.getInteger("status")).isEqualTo(status);
    assertThat(body.getString("title")).isEqualTo(title);
    assertThat(body.getString("detail")).isNotBlank();
  }

  /**
   * Sends raw bytes and reads until the server closes the connection (bounded by the socket
   * timeout).
   */
  private static String exchange(String request) throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
