package dev.tarifa.loadtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SoakTest {
  @Test
  void theWarmUpRampsFromATenthToTheFullRateAndJoinsTheSteadyStateWithoutAJump() {
    double rate = 20, warmup = 180;
    // the first second of the ramp runs at about a tenth of the rate
    assertThat(Soak.arrivalsDue(1, warmup, rate)).isCloseTo(2.0, within(0.1));
    // the ramp's average is 55 % of the rate
    assertThat(Soak.arrivalsDue(warmup, warmup, rate))
        .isCloseTo(0.55 * warmup * rate, within(1e-9));
    // continuous at the end of the warm-up, and at the full rate after it
    assertThat(Soak.arrivalsDue(warmup + 1e-6, warmup, rate))
        .isCloseTo(Soak.arrivalsDue(warmup, warmup, rate), within(0.001));
    assertThat(Soak.arrivalsDue(warmup + 60, warmup, rate) - Soak.arrivalsDue(warmup, warmup, rate))
        .isCloseTo(60 * rate, within(1e-9));
    // the rate just before the end of the ramp is (almost) the full rate
    assertThat(Soak.arrivalsDue(warmup, warmup, rate) - Soak.arrivalsDue(warmup - 1, warmup, rate))
        .isCloseTo(rate, within(0.1));
  }

  @Test
  void withoutAWarmUpTheRateIsFlatFromTheStart() {
    assertThat(Soak.arrivalsDue(0, 0, 20)).isZero();
    assertThat(Soak.arrivalsDue(30, 0, 20)).isEqualTo(600);
  }

  @Test
  void arrivalsNeverGoBackwards() {
    double last = -1;
    for (double t = 0; t < 400; t += 0.25) {
      double due = Soak.arrivalsDue(t, 180, 20);
      assertThat(due).isGreaterThanOrEqualTo(last);
      last = due;
    }
  }
}
