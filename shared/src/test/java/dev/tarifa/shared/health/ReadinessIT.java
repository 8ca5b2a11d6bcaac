package dev.tarifa.shared.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tarifa.shared.db.Postgres;
import dev.tarifa.shared.http.Routers;
import dev.tarifa.shared.testing.TcpProxy;
import dev.tarifa.shared.testing.TestServers;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Readiness follows the real PostgreSQL: 200, then 503 naming the check while it is unreachable,
 * then 200.
 */
@ExtendWith(VertxExtension.class)
class ReadinessIT {
  private TcpProxy proxy;
  private Pool pool;
  private HttpServer server;
  private WebClient client;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    URI pg = TestServers.postgres();
    proxy = new TcpProxy(vertx, pg.getHost(), pg.getPort()).start().await(5, TimeUnit.SECONDS);
    URI viaProxy = URI.create("postgresql://postgres@127.0.0.1:" + proxy.port() + "/postgres");
    pool = Postgres.pool(vertx, viaProxy, 2);
    Health health = new Health(vertx).check("postgres", () -> pool.query("SELECT 1").execute());
    server =
        vertx
            .createHttpServer()
            .requestHandler(Routers.create(vertx, health))
            .listen(0)
            .await(5, TimeUnit.SECONDS);
    client = WebClient.create(vertx);
  }

  @AfterEach
  void tearDown() throws Exception {
    client.close();
    server.close().await(5, TimeUnit.SECONDS);
    pool.close().await(5, TimeUnit.SECONDS);
    proxy.close().await(5, TimeUnit.SECONDS);
  }

  @Test
  void readinessFollowsTheDatastore() throws Exception {
    var up = ready();
    assertThat(up.statusCode()).isEqualTo(200);

    proxy.cut();
    var down = ready();
    assertThat(down.statusCode()).isEqualTo(503);
    JsonObject body = down.bodyAsJsonObject();
    assertThat(body.getString("outcome")).isEqualTo("DOWN");
    assertThat(body.getJsonArray("checks").getJsonObject(0).getString("id")).isEqualTo("postgres");
    assertThat(body.getJsonArray("checks").getJsonObject(0).getString("status")).isEqualTo("DOWN");

    // Liveness does not depend on the datastore.
    assertThat(
            client
                .get(server.actualPort(), "127.0.0.1", "/health/live")
                .send()
                .await(5, TimeUnit.SECONDS)
                .statusCode())
        .isEqualTo(200);

    proxy.restore();
    int status = 0;
    for (int i = 0; i < 50 && status != 200; i++) {
      status = ready().statusCode();
      if (status != 200) Thread.sleep(100);
    }
    assertThat(status).isEqualTo(200);
  }

  private io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer> ready()
      throws Exception {
    return client
        .get(server.actualPort(), "127.0.0.1", "/health/ready")
        .send()
        .await(10, TimeUnit.SECONDS);
  }
}
