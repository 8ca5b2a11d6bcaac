package dev.tarifa.gateway;

import static dev.tarifa.gateway.GatewayHarness.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cached answers in two representations: the gzip form made at the fill, and the identity bytes.
 */
class CompressedAnswersTest {
  static Vertx vertx;
  static GatewayHarness gw;
  static final String DATE = LocalDate.now(ZoneOffset.UTC).plusDays(30).toString();
  static int unique;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    gw =
        new GatewayHarness(vertx)
            .start(Map.of("TARIFA_CORS_ORIGINS", "https://tarifa.example,http://localhost:8080"));
    // two CORS origins: the CORS handler then says Vary: Origin (one origin is answered the same to
    // all)
    // 40 results make an answer of several KB; 2 adults ask for a small one (under the 1 KB
    // threshold)
    gw.service("flights").resultsFor = uri -> uri.contains("adults=2") ? 1 : 40;
  }

  @AfterAll
  static void stop() {
    await(vertx.close());
  }

  @BeforeEach
  void reset() {
    FakeService flights = gw.service("flights");
    flights.failStatus = 0;
    flights.delayMs = 0;
  }

  static String uri(String adults) {
    unique++;
    return "/api/v1/flights/search?from=Z"
        + (char) ('A' + unique / 26)
        + (char) ('A' + unique % 26)
        + "&to=JFK&date="
        + DATE
        + "&adults="
        + adults;
  }

  static HttpResponse<Buffer> get(String uri, String acceptEncoding, String ifNoneMatch) {
    HttpRequest<Buffer> r = gw.client.get(uri);
    if (acceptEncoding != null) r.putHeader("Accept-Encoding", acceptEncoding);
    if (ifNoneMatch != null) r.putHeader("If-None-Match", ifNoneMatch);
    return await(r.send());
  }

  static String gunzip(Buffer b) throws Exception {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(b.getBytes()))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void aClientTakingGzipGetsTheGzipFormWithItsOwnEtagOthersTheIdentityBytes() throws Exception {
    String uri = uri("1");
    HttpResponse<Buffer> identity = get(uri, null, null);
    assertThat(identity.getHeader("X-Cache")).isEqualTo("MISS");
    assertThat(identity.getHeader("Content-Encoding")).isNull();
    assertThat(identity.headers().getAll("Vary")).contains("Accept-Encoding");
    String json = identity.bodyAsString();
    assertThat(new JsonObject(json).getJsonArray("results")).hasSize(40);
    assertThat(json.length()).isGreaterThan(2048);

    HttpResponse<Buffer> gzip = get(uri, "gzip, deflate, br", null);
    assertThat(gzip.statusCode()).isEqualTo(200);
    assertThat(gzip.getHeader("X-Cache")).isEqualTo("HIT-L1");
    assertThat(gzip.getHeader("Content-Encoding")).isEqualTo("gzip");
    assertThat(gzip.headers().getAll("Vary")).contains("Accept-Encoding");
    assertThat(gzip.getHeader("Content-Type")).isEqualTo("application/json");
    assertThat(gzip.body().length()).isLessThan(json.length() / 3);
    // compressed exactly once: one gunzip gives the identity bytes
    assertThat(gunzip(gzip.body())).isEqualTo(json);
    String identityTag = identity.getHeader("ETag");
    String gzipTag = gzip.getHeader("ETag");
    assertThat(gzipTag)
        .isNotEqualTo(identityTag)
        .isEqualTo(identityTag.substring(0, identityTag.length() - 1) + "-gzip\"");
    // the caching headers are the entry's, whatever the representation (the SWR grace is the
    // entry's, not the default's: it is cut short before UTC midnight)
    String swr = ", stale-while-revalidate=";
    String identityControl = identity.getHeader("Cache-Control");
    assertThat(identityControl).matches("public, max-age=\\d+, stale-while-revalidate=\\d+");
    assertThat(gzip.getHeader("Cache-Control"))
        .matches("public, max-age=\\d+, stale-while-revalidate=\\d+")
        .endsWith(identityControl.substring(identityControl.indexOf(swr)));
  }

  @Test
  void ifNoneMatchIsComparedWithTheEtagOfTheRepresentationAnswered() throws Exception {
    String uri = uri("1");
    String identityTag = get(uri, null, null).getHeader("ETag");
    String gzipTag = get(uri, "gzip", null).getHeader("ETag");

    HttpResponse<Buffer> gz304 = get(uri, "gzip", gzipTag);
    assertThat(gz304.statusCode()).isEqualTo(304);
    assertThat(gz304.getHeader("ETag")).isEqualTo(gzipTag);
    assertThat(gz304.headers().getAll("Vary")).contains("Accept-Encoding");
    assertThat(gz304.body()).isNull();
    HttpResponse<Buffer> id304 = get(uri, "identity", identityTag);
    assertThat(id304.statusCode()).isEqualTo(304);
    assertThat(id304.getHeader("ETag")).isEqualTo(identityTag);

    // the other representation's validator does not match: the full answer, in the representation
    // asked for
    HttpResponse<Buffer> gz200 = get(uri, "gzip", identityTag);
    assertThat(gz200.statusCode()).isEqualTo(200);
    assertThat(gz200.getHeader("Content-Encoding")).isEqualTo("gzip");
    HttpResponse<Buffer> id200 = get(uri, null, gzipTag);
    assertThat(id200.statusCode()).isEqualTo(200);
    assertThat(id200.getHeader("Content-Encoding")).isNull();
    assertThat(new JsonObject(id200.bodyAsString()).getJsonArray("results")).hasSize(40);
    // a list naming both validators matches whichever is answered
    assertThat(get(uri, "gzip", identityTag + ", " + gzipTag).statusCode()).isEqualTo(304);
  }

  @Test
  void acceptEncodingIsReadAsRfc9110Says() throws Exception {
    String uri = uri("1");
    String json = get(uri, null, null).bodyAsString();
    for (String refuses :
        new String[] {
          "gzip;q=0", "identity", "br", "deflate", "*;q=0", "gzip;q=0.5, identity", ""
        }) {
      HttpResponse<Buffer> r = get(uri, refuses, null);
      assertThat(r.getHeader("Content-Encoding")).as(refuses).isNull();
      assertThat(r.bodyAsString()).as(refuses).isEqualTo(json);
    }
    for (String takes :
        new String[] {"*", "GZIP", "x-gzip", "br;q=1, gzip;q=0.5", "gzip, identity;q=0"}) {
      HttpResponse<Buffer> r = get(uri, takes, null);
      assertThat(r.getHeader("Content-Encoding")).as(takes).isEqualTo("gzip");
      assertThat(gunzip(r.body())).as(takes).isEqualTo(json);
    }
  }

  @Test
  void aSmallAnswerIsAlwaysTheIdentityBytes() {
    String uri = uri("2");
    HttpResponse<Buffer> first = get(uri, "gzip", null);
    assertThat(first.body().length()).isLessThan(1024);
    assertThat(first.getHeader("Content-Encoding")).isNull();
    assertThat(new JsonObject(first.bodyAsString()).getJsonArray("results")).hasSize(1);
    HttpResponse<Buffer> hit = get(uri, "gzip", first.getHeader("ETag"));
    assertThat(hit.getHeader("X-Cache")).isEqualTo("HIT-L1");
    assertThat(hit.statusCode()).isEqualTo(304);
  }

  @Test
  void aDegradedAnswerAfterASoftEvictionComesInBothForms() throws Exception {
    String uri = uri("1");
    String json = get(uri, null, null).bodyAsString();
    assertThat(await(gw.shared.cache().evictTag("flights:tag"))).isPositive();
    FakeService flights = gw.service("flights");
    flights.failStatus = 503;
    HttpResponse<Buffer> gz = get(uri, "gzip", null);
    assertThat(gz.statusCode()).isEqualTo(200);
    assertThat(gz.getHeader("X-Degraded")).isEqualTo("true");
    assertThat(gz.getHeader("X-Cache")).isEqualTo("STALE");
    assertThat(gz.getHeader("Content-Encoding")).isEqualTo("gzip");
    assertThat(gz.getHeader("Cache-Control")).startsWith("public, max-age=0,");
    assertThat(gunzip(gz.body())).isEqualTo(json);
    HttpResponse<Buffer> id = get(uri, null, null);
    assertThat(id.getHeader("X-Degraded")).isEqualTo("true");
    assertThat(id.getHeader("Content-Encoding")).isNull();
    assertThat(id.bodyAsString()).isEqualTo(json);
  }

  @Test
  void varyKeepsWhatTheCorsHandlerSaid() {
    String uri = uri("1");
    get(uri, null, null);
    HttpResponse<Buffer> r =
        await(
            gw.client
                .get(uri)
                .putHeader("Origin", "https://tarifa.example")
                .putHeader("Accept-Encoding", "gzip")
                .send());
    assertThat(r.getHeader("Access-Control-Allow-Origin")).isEqualTo("https://tarifa.example");
    assertThat(String.join(",", r.headers().getAll("Vary")).toLowerCase())
        .contains("origin")
        .contains("accept-encoding");
  }

  @Test
  void theServerItselfCompressesNothing() {
    assertThat(gw.verticle.serverOptions().isCompressionSupported()).isFalse();
  }
}
