package dev.tarifa.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tarifa.shared.domain.NotFound;
import dev.tarifa.shared.domain.Unavailable;
import dev.tarifa.shared.events.DeadLetters;
import dev.tarifa.shared.events.DomainEvent;
import dev.tarifa.shared.events.EventTransport;
import dev.tarifa.shared.events.SubscribeOptions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The dead-letter answers' JSON, and the failures the admin layer answers with. */
class DeadLetterAdminTest {
  private static final DeadLetters.DeadLetter POISON =
      new DeadLetters.DeadLetter("m1", "reviews.review.created", 3, "boom", new JsonObject());

  @Test
  void listsWithTheQueueAndTheCount() {
    DeadLetterAdmin admin = new DeadLetterAdmin(() -> transport(parked(1)));
    assertThat(admin.list("hotels.ratings", 20).result().toJson().encode())
        .isEqualTo(
            "{\"queue\":\"hotels.ratings\",\"deadLetters\":["
                + POISON.toJson().encode()
                + "],\"count\":1}");
  }

  @Test
  void replayAndDiscardNameWhatTheyDid() {
    DeadLetterAdmin admin = new DeadLetterAdmin(() -> transport(parked(2)));
    assertThat(admin.replay("q", Optional.empty()).result().toJson().encode())
        .isEqualTo("{\"queue\":\"q\",\"replayed\":2}");
    assertThat(admin.discard("q", Optional.empty()).result().toJson().encode())
        .isEqualTo("{\"queue\":\"q\",\"discarded\":2}");
  }

  @Test
  void aNamedDeadLetterThatIsNotParkedIsNotFound() {
    DeadLetterAdmin admin = new DeadLetterAdmin(() -> transport(parked(0)));
    Throwable failure = admin.replay("q", Optional.of("nope")).cause();
    assertThat(failure).isInstanceOf(NotFound.class).hasMessage("no dead letter nope in q.dlq");
    // without an id, nothing to act on is not an error
    assertThat(admin.discard("q", Optional.empty()).result().count()).isZero();
  }

  @Test
  void withoutABrokerOrWhenItFailsTheAnswerIsUnavailable() {
    assertThat(new DeadLetterAdmin(() -> null).list("q", 1).cause())
        .isInstanceOf(Unavailable.class)
        .hasMessage("the event broker is not connected");
    DeadLetters failing = parked(1);
    DeadLetterAdmin broken =
        new DeadLetterAdmin(
            () ->
                transport(
                    new DeadLetters() {
                      public Future<List<DeadLetter>> list(String queue, int limit) {
                        return Future.failedFuture(new IllegalStateException("channel closed"));
                      }

                      public Future<Integer> replay(String queue, Optional<String> id) {
                        return failing.replay(queue, id);
                      }

                      public Future<Integer> discard(String queue, Optional<String> id) {
                        return failing.discard(queue, id);
                      }

                      public Future<Long> count(String queue) {
                        return failing.count(queue);
                      }
                    }));
    assertThat(broken.list("q", 1).cause())
        .isInstanceOf(Unavailable.class)
        .hasMessage("dead letters unavailable: channel closed");
  }

  /** Dead letters of which {@code n} are parked: a listing shows one, a change moves all n. */
  private static DeadLetters parked(int n) {
    return new DeadLetters() {
      public Future<List<DeadLetter>> list(String queue, int limit) {
        return Future.succeededFuture(List.of(POISON));
      }

      public Future<Integer> replay(String queue, Optional<String> id) {
        return Future.succeededFuture(n);
      }

      public Future<Integer> discard(String queue, Optional<String> id) {
        return Future.succeededFuture(n);
      }

      public Future<Long> count(String queue) {
        return Future.succeededFuture((long) n);
      }
    };
  }

  private static EventTransport transport(DeadLetters deadLetters) {
    return new EventTransport() {
      public DeadLetters deadLetters() {
        return deadLetters;
      }

      public Future<Void> close() {
        return Future.succeededFuture();
      }

      public Future<Void> publish(DomainEvent event) {
        return Future.succeededFuture();
      }

      public Future<Void> ready() {
        return Future.succeededFuture();
      }

      public Future<Subscription> subscribe(
          String queue,
          List<String> bindingPatterns,
          Function<DomainEvent, Future<Void>> handler,
          SubscribeOptions options) {
        return Future.failedFuture("not used");
      }
    };
  }
}
