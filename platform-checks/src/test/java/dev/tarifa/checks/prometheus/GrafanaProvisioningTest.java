package dev.tarifa.checks.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tarifa.checks.support.Tools;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * grafana/provisioning: the three data sources with the uids the dashboards and links use, the Loki
 * derived field that turns a JSON log line's traceId into a link to the Jaeger data source, and the
 * dashboard provider.
 */
class GrafanaProvisioningTest {
  private static final Path DIR = Tools.repoRoot().resolve("grafana/provisioning");

  @Test
  void theDataSourcesHaveTheFixedUids() {
    JsonNode ds = RuleFiles.read(DIR.resolve("datasources/datasources.yaml"));
    assertThat(ds.path("apiVersion").asInt()).isEqualTo(1);
    List<String> uids = new ArrayList<>();
    ds.path("datasources")
        .forEach(d -> uids.add(d.path("uid").asText() + ":" + d.path("type").asText()));
    assertThat(uids)
        .containsExactlyInAnyOrder("prometheus:prometheus", "jaeger:jaeger", "loki:loki");
  }

  @Test
  void aLogLinesTraceIdLinksToItsTraceInJaeger() {
    JsonNode loki = null;
    for (JsonNode d :
        RuleFiles.read(DIR.resolve("datasources/datasources.yaml")).path("datasources")) {
      if ("loki".equals(d.path("uid").asText())) loki = d;
    }
    assertThat(loki).isNotNull();
    JsonNode field = loki.path("jsonData").path("derivedFields").get(0);
    assertThat(field.path("name").asText()).isEqualTo("traceId");
    assertThat(field.path("datasourceUid").asText()).isEqualTo("jaeger");
    // the regex finds the id in a JSON line as the services write it (logstash encoder, no spaces)
    var m =
        Pattern.compile(field.path("matcherRegex").asText())
            .matcher(
                "{\"@timestamp\":\"2026-12-01T10:00:00Z\",\"message\":\"GET /api/v1/flights/search 200 312 ms\",\"requestId\":\"ab12\","
                    + "\"traceId\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"spanId\":\"00f067aa0ba902b7\"}");
    assertThat(m.find()).isTrue();
    assertThat(m.group(1)).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    // $$ escapes Grafana's environment interpolation in provisioning files
    assertThat(field.path("url").asText()).isEqualTo("$${__value.raw}");
  }

  @Test
  void theDashboardProviderLoadsTheDashboardsIntoTheTarifaFolder() {
    JsonNode p = RuleFiles.read(DIR.resolve("dashboards/tarifa.yaml")).path("providers").get(0);
    assertThat(p.path("type").asText()).isEqualTo("file");
    assertThat(p.path("folder").asText()).isEqualTo("Tarifa");
    assertThat(p.path("options").path("path").asText()).isEqualTo("/var/lib/grafana/dashboards");
  }
}
