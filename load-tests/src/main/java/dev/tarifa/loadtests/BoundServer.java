package dev.tarifa.loadtests;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * The benchmark's upper bound: a minimal Vert.x HTTP server (one verticle per core) that answers
 * every request with the bytes of a cached flight search as the gateway served it (body and headers
 * captured once with {@code curl -D headers -o body}). Whatever the gateway's L1-hit path costs
 * beyond this is the price of routing, key normalisation and the cache lookup.
 *
 * <p>{@code java -cp ... dev.tarifa.loadtests.BoundServer PORT BODY_FILE [HEADERS_FILE]}
 */
public final class BoundServer extends AbstractVerticle {
  /** Recomputed per response by Vert.x, or meaningless on a replay. */
  private static final Set<String> SKIP =
      Set.of("content-length", "date", "connection", "transfer-encoding", "keep-alive");

  private final int port;
  private final Buffer body;
  private final MultiMap headers;

  BoundServer(int port, Buffer body, MultiMap headers) {
    this.port = port;
    this.body = body;
    this.headers = headers;
  }

  @Override
  public void start(Promise<Void> started) {
    vertx
        .createHttpServer(new HttpServerOptions().setPort(port).setHost("0.0.0.0"))
        .requestHandler(
            req -> {
              var res = req.response();
              res.headers().addAll(headers);
              res.end(body);
            })
        .listen()
        .<Void>mapEmpty()
        .onComplete(started);
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: BoundServer PORT BODY_FILE [HEADERS_FILE]");
      System.exit(2);
    }
    int port = Integer.parseInt(args[0]);
    Buffer body = Buffer.buffer(Files.readAllBytes(Path.of(args[1])));
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (args.length > 2) {
      for (String line : Files.readAllLines(Path.of(args[2]))) {
        int colon = line.indexOf(':');
        if (colon <= 0 || line.startsWith("HTTP/")) continue;
        String name = line.substring(0, colon).trim();
        if (SKIP.contains(name.toLowerCase(Locale.ROOT))) continue;
        headers.add(name, line.substring(colon + 1).trim());
      }
    }
    if (!headers.contains(HttpHeaders.CONTENT_TYPE))
      headers.add(HttpHeaders.CONTENT_TYPE, "application/json");
    int instances = Integer.getInteger("instances", Runtime.getRuntime().availableProcessors());
    Vertx vertx = Vertx.vertx();
    vertx
        .deployVerticle(
            () -> new BoundServer(port, body, headers),
            new DeploymentOptions().setInstances(instances))
        .onSuccess(
            id ->
                System.out.printf(
                    "bound server on port %d: %d instances, %d-byte body, %d headers%n",
                    port, instances, body.length(), headers.size()))
        .onFailure(
            e -> {
              e.printStackTrace();
              System.exit(1);
            });
  }
}
