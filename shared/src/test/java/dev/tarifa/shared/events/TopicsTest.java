package dev.tarifa.shared.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tarifa.shared.config.ConfigException;
import dev.tarifa.shared.config.Env;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicsTest {
  @Test
  void matchesLikeAnAmqpTopicExchange() {
    assertThat(Topics.matches("*.offer.changed", "hotels.offer.changed")).isTrue();
    assertThat(Topics.matches("*.offer.changed", "offer.changed")).isFalse();
    assertThat(Topics.matches("*.offer.changed", "a.b.offer.changed")).isFalse();
    assertThat(Topics.matches("reviews.#", "reviews")).isTrue();
    assertThat(Topics.matches("reviews.#", "reviews.review.created")).isTrue();
    assertThat(Topics.matches("#", "anything.at.all")).isTrue();
    assertThat(Topics.matches("#.changed", "cars.offer.changed")).isTrue();
    assertThat(Topics.matches("cars.offer.changed", "cars.offer.created")).isFalse();
  }

  @Test
  void configDefaultsAndErrors() {
    EventsConfig d = EventsConfig.defaults();
    assertThat(d.amqpUrl()).isEmpty();
    assertThat(d.maxRetries()).isEqualTo(3);
    assertThat(d.prefetch()).isEqualTo(32);
    assertThat(d.outboxPoll()).isEqualTo(Duration.ofMillis(200));
    assertThat(d.retryDelay(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(d.retryDelay(3)).isEqualTo(Duration.ofSeconds(30));
    assertThat(d.retryDelay(7)).isEqualTo(Duration.ofSeconds(30));

    EventsConfig c =
        EventsConfig.fromEnv(
            Env.of(
                Map.of(
                    "TARIFA_AMQP_URL",
                    "amqp://u:p@mq:5672/tarifa",
                    "TARIFA_EVENTS_MAX_RETRIES",
                    "5",
                    "TARIFA_EVENTS_RETRY_DELAYS",
                    "500ms, 2s",
                    "TARIFA_OUTBOX_POLL",
                    "1s")));
    assertThat(c.amqpUrl()).isPresent();
    assertThat(c.maxRetries()).isEqualTo(5);
    assertThat(c.retryDelay(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.outboxPoll()).isEqualTo(Duration.ofSeconds(1));

    assertThatThrownBy(() -> EventsConfig.fromEnv(Env.of(Map.of("TARIFA_AMQP_URL", "http://mq"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("TARIFA_AMQP_URL");
    assertThatThrownBy(
            () -> EventsConfig.fromEnv(Env.of(Map.of("TARIFA_EVENTS_RETRY_DELAYS", "1s,soon"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("TARIFA_EVENTS_RETRY_DELAYS");
    assertThatThrownBy(() -> EventsConfig.fromEnv(Env.of(Map.of("TARIFA_EVENTS_PREFETCH", "0"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("TARIFA_EVENTS_PREFETCH");
  }
}
