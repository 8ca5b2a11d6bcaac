package dev.tarifa.loadtests.faults;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small Toxiproxy: one TCP link from a local port to an upstream server, whose mode the fault
 * campaign switches.
 *
 * <ul>
 *   <li>{@link #pass()}: bytes are copied both ways (the listener is bound again if it was down);
 *   <li>{@link #down()}: every live connection is closed on both sides and the listener is unbound,
 *       so new connections are refused (ECONNREFUSED): from a client's side the same as a stopped
 *       or restarting server, which is how the campaign "stops" the shared PostgreSQL, Redis and
 *       RabbitMQ without touching them;
 *   <li>{@link #latency(long)}: every chunk from the upstream to the client is held back that long
 *       (order kept), as Toxiproxy's latency toxic on the downstream direction: each command or
 *       request waits at least that.
 * </ul>
 *
 * When the upstream refuses (a killed service), the client's connection is closed at once.
 */
public final class FaultProxy {
  private final Vertx vertx;
  private final String name;
  private final int port;
  private final String upstreamHost;
  private final int upstreamPort;
  private final NetClient client;
  private final Set<Link> links = ConcurrentHashMap.newKeySet();
  private final AtomicLong accepted = new AtomicLong();
  private volatile NetServer server;
  private volatile boolean down;
  private volatile long latencyMs;

  public FaultProxy(Vertx vertx, String name, int port, String upstreamHost, int upstreamPort) {
    this.vertx = vertx;
    this.name = name;
    this.port = port;
    this.upstreamHost = upstreamHost;
    this.upstreamPort = upstreamPort;
    this.client =
        vertx.createNetClient(new NetClientOptions().setConnectTimeout(2000).setTcpNoDelay(true));
  }

  public String name() {
    return name;
  }

  public int port() {
    return port;
  }

  /** Connections accepted since start. */
  public long accepted() {
    return accepted.get();
  }

  /** Binds the listener (pass mode). */
  public synchronized Future<Void> start() {
    down = false;
    if (server != null) return Future.succeededFuture();
    NetServer s =
        vertx.createNetServer(
            new NetServerOptions()
                .setHost("127.0.0.1")
                .setPort(port)
                .setTcpNoDelay(true)
                .setReuseAddress(true));
    s.connectHandler(this::accept);
    server = s;
    return s.listen().mapEmpty();
  }

  /** Back to normal: listening, no added latency. */
  public Future<Void> pass() {
    latencyMs = 0;
    return start();
  }

  /** Server down: live connections closed, new ones refused, until {@link #pass()}. */
  public synchronized Future<Void> down() {
    down = true;
    NetServer s = server;
    server = null;
    for (Link link : links) link.close();
    return s == null ? Future.succeededFuture() : s.close();
  }

  /** Adds {@code ms} to every answer from the upstream (0: none). */
  public void latency(long ms) {
    latencyMs = ms;
  }

  private void accept(NetSocket in) {
    if (down) {
      in.close();
      return;
    }
    accepted.incrementAndGet();
    in.pause();
    client
        .connect(upstreamPort, upstreamHost)
        .onComplete(
            ar -> {
              if (ar.failed() || down) {
                if (ar.succeeded()) ar.result().close();
                in.close();
                return;
              }
              Link link = new Link(in, ar.result());
              links.add(link);
              link.wire();
            });
  }

  /** One proxied connection; all of its callbacks run on the accepting event loop. */
  private final class Link {
    private final NetSocket in;
    private final NetSocket out;
    private final ArrayDeque<Object[]> delayed = new ArrayDeque<>();
    private long lastRelease = Long.MIN_VALUE;
    private volatile boolean closed;

    Link(NetSocket in, NetSocket out) {
      this.in = in;
      this.out = out;
    }

    void wire() {
      in.handler(
          b -> {
            out.write(b);
            if (out.writeQueueFull()) {
              in.pause();
              out.drainHandler(v -> in.resume());
            }
          });
      out.handler(this::downstream);
      in.closeHandler(v -> close());
      out.closeHandler(v -> close());
      in.exceptionHandler(e -> close());
      out.exceptionHandler(e -> close());
      in.resume();
    }

    private void downstream(Buffer b) {
      long lat = latencyMs;
      if (lat <= 0 && delayed.isEmpty()) {
        in.write(b);
        return;
      }
      long at = Math.max(System.nanoTime() + lat * 1_000_000, lastRelease);
      lastRelease = at;
      delayed.add(new Object[] {at, b});
      if (delayed.size() == 1) schedule();
    }

    private void schedule() {
      long wait = ((long) delayed.peek()[0] - System.nanoTime()) / 1_000_000;
      vertx.setTimer(Math.max(1, wait), t -> release());
    }

    private void release() {
      long now = System.nanoTime();
      while (!delayed.isEmpty() && (long) delayed.peek()[0] <= now)
        in.write((Buffer) delayed.poll()[1]);
      if (!delayed.isEmpty()) schedule();
    }

    void close() {
      // Called from the event loop (a side closed) or from down() on the campaign's thread: closing
      // is thread-safe.
      synchronized (this) {
        if (closed) return;
        closed = true;
      }
      links.remove(this);
      in.close();
      out.close();
    }
  }
}
