package dev.tarifa.shared.testing;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy in front of a real server, so a test can make that server "go down" and "come back"
 * without stopping the shared server: {@link #cut()} closes every proxied connection and refuses
 * new ones until {@link #restore()}; {@link #stall()} keeps the connections open but stops carrying
 * bytes either way until {@link #unstall()} (a server that stopped answering). The listening port
 * stays the same throughout.
 */
public final class TcpProxy {
  private final Vertx vertx;
  private final String targetHost;
  private final int targetPort;
  private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();

  /** Each proxied socket with the context its handlers run on (pause and resume go there). */
  private final Map<NetSocket, Context> contexts = new ConcurrentHashMap<>();

  private NetServer server;
  private NetClient client;
  private volatile boolean cut;

  /** Connections still to be accepted and held: never connected upstream, never answered. */
  private final java.util.concurrent.atomic.AtomicInteger toHold =
      new java.util.concurrent.atomic.AtomicInteger();

  public TcpProxy(Vertx vertx, String targetHost, int targetPort) {
    this.vertx = vertx;
    this.targetHost = targetHost;
    this.targetPort = targetPort;
  }

  public Future<TcpProxy> start() {
    client = vertx.createNetClient();
    server = vertx.createNetServer().connectHandler(this::accept);
    return server.listen(0, "127.0.0.1").map(s -> this);
  }

  public int port() {
    return server.actualPort();
  }

  private void accept(NetSocket front) {
    if (cut) {
      front.close();
      return;
    }
    front.pause();
    sockets.add(front);
    if (toHold.getAndUpdate(n -> Math.max(0, n - 1)) > 0) return; // accepted, never answered
    Context context = vertx.getOrCreateContext();
    client
        .connect(targetPort, targetHost)
        .onComplete(
            ar -> {
              if (ar.failed() || cut) {
                front.close();
                if (ar.succeeded()) ar.result().close();
                return;
              }
              NetSocket back = ar.result();
              sockets.add(back);
              contexts.put(front, context);
              contexts.put(back, context);
              front.handler(back::write);
              back.handler(front::write);
              front.closeHandler(
                  v -> {
                    back.close();
                    sockets.remove(front);
                    contexts.remove(front);
                  });
              back.closeHandler(
                  v -> {
                    front.close();
                    sockets.remove(back);
                    contexts.remove(back);
                  });
              front.resume();
            });
  }

  /** Closes all proxied connections and refuses new ones. */
  public void cut() {
    cut = true;
    sockets.forEach(NetSocket::close);
    sockets.clear();
  }

  /**
   * The next {@code n} connections are accepted and never answered (a server that hangs in the
   * handshake); later ones are proxied as usual. They are closed by {@link #cut()} or {@link
   * #close()}.
   */
  public void holdNext(int n) {
    toHold.set(n);
  }

  /** Stops carrying bytes on the live connections (both ways); they stay open. */
  public void stall() {
    contexts.forEach((socket, context) -> context.runOnContext(v -> socket.pause()));
  }

  /** Carries bytes again on the connections {@link #stall()} stopped. */
  public void unstall() {
    contexts.forEach((socket, context) -> context.runOnContext(v -> socket.resume()));
  }

  public void restore() {
    cut = false;
  }

  public Future<Void> close() {
    cut();
    return server.close().compose(v -> client.close());
  }
}
