package dev.tarifa.shared.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * What clients see of a rating aggregate, including while reordered events leave it briefly
 * inconsistent.
 */
class RatingsConsumerTest {
  @Test
  void averageIsRoundedToTwoDecimals() {
    assertThat(RatingsConsumer.rating(3, 13).getDouble("average")).isEqualTo(4.33);
    assertThat(RatingsConsumer.rating(3, 13).getLong("count")).isEqualTo(3);
  }

  @Test
  void noVisibleReviewsIsNoAverage() {
    assertThat(RatingsConsumer.rating(0, 0).getValue("average")).isNull();
    assertThat(RatingsConsumer.rating(0, 0).getLong("count")).isZero();
    // a hide applied before its creation: count -1 until the creation lands
    assertThat(RatingsConsumer.rating(-1, -5).getValue("average")).isNull();
    assertThat(RatingsConsumer.rating(-1, -5).getLong("count")).isZero();
  }

  @Test
  void aTransientlyInconsistentAggregateStaysOnTheRatingScale() {
    // reviews 5 and 4 applied, the hide of a 1-star review overtook its creation: count 1, sum 8
    assertThat(RatingsConsumer.rating(1, 8).getDouble("average")).isEqualTo(5.0);
    assertThat(RatingsConsumer.rating(2, 0).getDouble("average")).isEqualTo(1.0);
  }
}
