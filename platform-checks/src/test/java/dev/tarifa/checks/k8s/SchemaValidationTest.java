package dev.tarifa.checks.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every rendered object is valid against the Kubernetes API model, strictly (unknown fields fail).
 */
class SchemaValidationTest {

  @ParameterizedTest
  @ValueSource(strings = {"test", "prod"})
  void everyRenderedObjectIsStrictlyValid(String stage) {
    assertThat(SchemaValidator.validate(Manifests.rendered(stage))).isEmpty();
  }
}
