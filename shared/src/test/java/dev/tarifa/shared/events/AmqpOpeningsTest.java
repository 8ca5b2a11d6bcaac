package dev.tarifa.shared.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tarifa.shared.events.AmqpOpenings.Urgency;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Turns to open connections: one at a time, the most urgent first, then first come. */
class AmqpOpeningsTest {

  @Test
  void theFirstGoesAtOnceAndTheOthersWaitForItsTurnToEnd() {
    AmqpOpenings turns = new AmqpOpenings();
    List<String> ran = new ArrayList<>();
    turns.take(Urgency.NORMAL, () -> ran.add("first"));
    turns.take(Urgency.URGENT, () -> ran.add("second"));
    assertThat(ran).containsExactly("first");
    assertThat(turns.waiting()).isEqualTo(1);
    turns.done();
    assertThat(ran).containsExactly("first", "second");
    turns.done();
    turns.take(Urgency.LOW, () -> ran.add("third"));
    assertThat(ran).containsExactly("first", "second", "third");
  }

  @Test
  void waitingTurnsGoMostUrgentFirstThenInArrivalOrder() {
    AmqpOpenings turns = new AmqpOpenings();
    List<String> ran = new ArrayList<>();
    turns.take(Urgency.NORMAL, () -> ran.add("holder"));
    turns.take(Urgency.LOW, () -> ran.add("dead-letters"));
    turns.take(Urgency.NORMAL, () -> ran.add("ratings-1"));
    turns.take(Urgency.URGENT, () -> ran.add("publisher"));
    turns.take(Urgency.NORMAL, () -> ran.add("ratings-2"));
    turns.take(Urgency.URGENT, () -> ran.add("invalidation"));
    for (int i = 0; i < 5; i++) turns.done();
    assertThat(ran)
        .containsExactly(
            "holder", "publisher", "invalidation", "ratings-1", "ratings-2", "dead-letters");
    assertThat(turns.waiting()).isZero();
  }

  @Test
  void aTurnThatCannotStartPassesItOn() {
    AmqpOpenings turns = new AmqpOpenings();
    List<String> ran = new ArrayList<>();
    turns.take(Urgency.URGENT, () -> ran.add("holder"));
    turns.take(
        Urgency.URGENT,
        () -> {
          throw new IllegalStateException("Vert.x closed");
        });
    turns.take(Urgency.NORMAL, () -> ran.add("next"));
    turns.done();
    assertThat(ran).containsExactly("holder", "next");
  }

  @Test
  void connectionsThatCanWaitRetryLessOftenWhileTheBrokerIsAway() {
    Vertx vertx = Vertx.vertx();
    try {
      URI url = URI.create("amqp://guest:guest@127.0.0.1:5672");
      Duration min = Duration.ofMillis(100);
      Duration max = Duration.ofMillis(200);
      assertThat(connection(vertx, url, Urgency.URGENT, min, max).backoffCap()).isEqualTo(max);
      assertThat(connection(vertx, url, Urgency.NORMAL, min, max).backoffCap())
          .isEqualTo(AmqpConnection.PATIENT_MAX);
      assertThat(connection(vertx, url, Urgency.LOW, min, max).backoffCap())
          .isEqualTo(AmqpConnection.PATIENT_MAX);
      // a longer configured cap stays
      assertThat(connection(vertx, url, Urgency.NORMAL, min, Duration.ofSeconds(5)).backoffCap())
          .isEqualTo(Duration.ofSeconds(5));
    } finally {
      vertx.close();
    }
  }

  private static AmqpConnection connection(
      Vertx vertx, URI url, Urgency urgency, Duration min, Duration max) {
    return new AmqpConnection(
        vertx, url, "test", urgency, min, max, c -> io.vertx.core.Future.succeededFuture());
  }

  @Test
  void oneSetOfTurnsPerVertxInstanceAndBrokerAddress() {
    Vertx a = Vertx.vertx();
    Vertx b = Vertx.vertx();
    try {
      assertThat(AmqpOpenings.of(a, "h:5672")).isSameAs(AmqpOpenings.of(a, "h:5672"));
      assertThat(AmqpOpenings.of(a, "h:5672")).isNotSameAs(AmqpOpenings.of(a, "h:5673"));
      assertThat(AmqpOpenings.of(a, "h:5672")).isNotSameAs(AmqpOpenings.of(b, "h:5672"));
    } finally {
      a.close();
      b.close();
    }
  }
}
