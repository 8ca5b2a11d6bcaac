package dev.tarifa.loadtests;

import io.gatling.commons.stats.KO$;
import io.gatling.commons.stats.OK$;
import io.gatling.core.action.Action;
import io.gatling.core.stats.StatsEngine;
import io.gatling.javaapi.core.ActionBuilder;
import io.gatling.javaapi.core.Session;
import java.util.function.Function;
import scala.Option;
import scala.jdk.javaapi.CollectionConverters;

/**
 * A step that records a duration measured by the scenario itself (e.g. from a write's
 * acknowledgement to the first answer showing it) as a request of Gatling's statistics: it gets the
 * report's per-request table and charts and, unlike a group, the assertions' percentiles. (Gatling
 * asserts on a group's cumulated response time, the sum of its requests' times without the pauses
 * between them, whatever {@code useGroupDurationMetric} says; a duration that includes waiting has
 * to be recorded like this.) Nothing is sent; the user goes on at once.
 *
 * <p>Uses Gatling's internal {@link StatsEngine}, as a request action does: compiled against the
 * pinned Gatling version, so an incompatible upgrade fails the build rather than the measurement.
 */
final class Timing implements ActionBuilder {
  /** One measurement: epoch milliseconds (Gatling's clock), OK or KO, a KO's message. */
  record Sample(long start, long end, boolean ok, String message) {}

  private final String name;
  private final Function<Session, Sample> sample;

  private Timing(String name, Function<Session, Sample> sample) {
    this.name = name;
    this.sample = sample;
  }

  /** Records {@code sample(session)} under {@code name}, in the user's current groups. */
  static Timing record(String name, Function<Session, Sample> sample) {
    return new Timing(name, sample);
  }

  @Override
  public io.gatling.core.action.builder.ActionBuilder asScala() {
    return (ctx, next) -> new Record(name, sample, ctx.coreComponents().statsEngine(), next);
  }

  private static final class Record implements Action {
    private static final com.typesafe.scalalogging.Logger LOGGER =
        com.typesafe.scalalogging.Logger$.MODULE$.apply(Timing.class);
    private final String name;
    private final Function<Session, Sample> sample;
    private final StatsEngine stats;
    private final Action next;

    Record(String name, Function<Session, Sample> sample, StatsEngine stats, Action next) {
      this.name = name;
      this.sample = sample;
      this.stats = stats;
      this.next = next;
    }

    @Override
    public String name() {
      return "timing " + name;
    }

    @Override
    public void execute(io.gatling.core.session.Session scalaSession) {
      Session session = new Session(scalaSession);
      Sample s = sample.apply(session);
      stats.logResponse(
          session.scenario(),
          CollectionConverters.asScala(session.groups()).toList(),
          name,
          s.start(),
          Math.max(s.start(), s.end()),
          s.ok() ? OK$.MODULE$ : KO$.MODULE$,
          Option.empty(),
          Option.apply(s.ok() ? null : s.message()));
      next.$bang(scalaSession);
    }

    @Override
    public com.typesafe.scalalogging.Logger logger() {
      return LOGGER;
    }

    @Override
    public void com$typesafe$scalalogging$StrictLogging$_setter_$logger_$eq(
        com.typesafe.scalalogging.Logger logger) {
      // the logger is the static one
    }
  }
}
