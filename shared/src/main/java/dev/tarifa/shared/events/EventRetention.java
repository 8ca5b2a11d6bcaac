package dev.tarifa.shared.events;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes what the event machinery only needs for a while, so that neither table grows forever:
 * outbox rows (and review outbox documents) sent more than {@code TARIFA_OUTBOX_RETENTION} ago, and
 * {@code processed_events} marks older than {@code TARIFA_PROCESSED_EVENTS_RETENTION}. Unsent
 * outbox rows are never deleted, whatever their age: they still have to be published.
 *
 * <p><b>Schedule.</b> After {@link #start()} the first run comes after the first delay plus a
 * random part of up to the same again (1 to 2 minutes by default, so instances started together do
 * not run together), then one run per interval (1 hour by default) ± 10 %. A run deletes, for each
 * {@link Target} in turn, batches of at most the batch size (5 000 rows by default), each in its
 * own statement and so its own short transaction (no long lock, no huge transaction), until a batch
 * deletes fewer rows than the batch size; a run stops a target after {@link #MAX_BATCHES_PER_RUN}
 * batches (5 million rows at the default size), leaving the rest to the next run. A failure
 * (database down, statement error) is logged at WARN and ends that target's run; the other targets
 * still run and the failed one is tried again at the next period. {@link #stop()} cancels the timer
 * and completes once the batch in flight (if any) has finished; no batch starts after it.
 *
 * <p><b>Concurrency.</b> Every verticle instance has its own retention rather than one elected
 * instance, so it keeps running whichever instances are up. Within a process a run starts only when
 * no run of the same name is in progress (a process-wide guard keyed by name; a run that finds the
 * guard taken is skipped, not queued), so one run at a time per process and service. Across
 * processes the deleting statements pick their rows with {@code FOR UPDATE SKIP LOCKED}: concurrent
 * runs delete disjoint rows and never wait for each other, for the relay's claims or for a
 * consumer's transaction. The cost of running everywhere is a few index probes per instance and
 * hour.
 *
 * <p><b>Why 7 days for sent outbox rows.</b> A sent row is not needed for correctness (the relay
 * never reads it again); it is kept as a record of what was published and when, for audits and for
 * re-publishing by hand ({@code UPDATE outbox SET published_at = NULL WHERE ...}) after a consumer
 * lost data, which is rarely noticed later than a week.
 *
 * <p><b>Why 14 days for processed_events.</b> A mark only matters while another copy of its event
 * can still arrive: the copy is then recognised and skipped. Automatic redelivery is over within
 * minutes ({@code TARIFA_EVENTS_MAX_RETRIES} retries, each after at most the longest {@code
 * TARIFA_EVENTS_RETRY_DELAYS} entry, 30 s, plus {@code TARIFA_EVENTS_HANDLER_TIMEOUT}, 30 s).
 * Copies can come much later in two cases: a relay re-publishes an event whose "sent" mark did not
 * commit, after a broker outage as long as the outage; and an admin replays a dead letter ({@code
 * POST /admin/v1/events/dead-letters/replay}) whose event nevertheless took effect (a handler that
 * timed out, so the delivery was retried and finally dead-lettered, but whose transaction
 * committed; or another copy that was processed). <b>A dead letter replayed after its event's mark
 * has been deleted is applied again</b> (a review rating counted twice, for example); one whose
 * event never took effect (the usual case: every attempt rolled back) is applied once, as intended.
 * The default therefore covers an outage or an unattended dead-letter queue over a long weekend or
 * a holiday twice over, while keeping the table small (a mark is about 150 bytes with its index
 * entries: 14 days at 100 000 events a day is about 200 MB). Operators should replay or delete dead
 * letters within the retention; the configuration accepts no value below {@link
 * EventsConfig#MIN_PROCESSED_EVENTS_RETENTION}.
 *
 * <p>Meter: {@code tarifa_events_retention_deleted_total{table}} counts the rows (documents)
 * deleted, per table ({@code outbox}, {@code processed_events}, {@code review_outbox}), as each
 * batch commits.
 */
public final class EventRetention {
  private static final Logger log = LoggerFactory.getLogger(EventRetention.class);

  public static final Duration DEFAULT_OUTBOX_RETENTION = Duration.ofDays(7);
  public static final Duration DEFAULT_PROCESSED_EVENTS_RETENTION = Duration.ofDays(14);
  public static final Duration DEFAULT_INTERVAL = Duration.ofHours(1);
  public static final Duration DEFAULT_FIRST_DELAY = Duration.ofMinutes(1);
  public static final int DEFAULT_BATCH = 5_000;

  /** Bound on the batches of one target in one run; the remainder waits for the next run. */
  public static final int MAX_BATCHES_PER_RUN = 1_000;

  /** Names with a run in progress in this process (one run at a time per process and name). */
  private static final Set<String> RUNNING = ConcurrentHashMap.newKeySet();

  /**
   * One table (or collection) to prune.
   *
   * @param table the metric tag and log name
   * @param deleteBatch deletes at most the given number of expired rows in one statement and
   *     succeeds with the number deleted; must never delete rows that are still needed (unsent
   *     events), and should skip rows locked by others rather than wait for them
   */
  public record Target(String table, IntFunction<Future<Integer>> deleteBatch) {
    public Target {
      Objects.requireNonNull(table, "table");
      Objects.requireNonNull(deleteBatch, "deleteBatch");
    }
  }

  /**
   * The {@code outbox} table: rows sent more than {@code keepSent} ago ({@link
   * PgOutboxStore#deleteSent}).
   */
  public static Target outbox(PgOutboxStore store, Duration keepSent) {
    return new Target("outbox", limit -> store.deleteSent(keepSent, limit));
  }

  /**
   * The {@code processed_events} table: marks older than {@code keep} ({@link
   * ProcessedEvents#deleteOlderThan}).
   */
  public static Target processedEvents(SqlClient client, Duration keep) {
    return new Target(
        "processed_events", limit -> ProcessedEvents.deleteOlderThan(client, keep, limit));
  }

  private final Vertx vertx;
  private final Context context;
  private final String name;
  private final List<Target> targets;
  private final Map<String, Counter> deleted = new LinkedHashMap<>();
  private final long intervalMs;
  private final long firstDelayMs;
  private final int batchSize;

  private boolean started;
  private boolean stopped;
  private boolean running;
  private long timer = -1;
  private Promise<Void> idle;

  /**
   * A retention over {@code targets} that runs on the context of the caller (a verticle's, when
   * created in its start). {@code name} identifies the service in logs and in the per-process
   * guard: instances that share a database must share the name.
   */
  public EventRetention(
      Vertx vertx,
      String name,
      List<Target> targets,
      Duration interval,
      Duration firstDelay,
      int batchSize) {
    if (batchSize < 1) throw new IllegalArgumentException("batchSize must be at least 1");
    if (interval.isZero() || interval.isNegative())
      throw new IllegalArgumentException("interval must be positive");
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.name = Objects.requireNonNull(name, "name");
    this.targets = List.copyOf(targets);
    this.intervalMs = interval.toMillis();
    this.firstDelayMs = Math.max(1, firstDelay.toMillis());
    this.batchSize = batchSize;
    for (Target t : this.targets) deleted.put(t.table(), EventMetrics.retentionDeleted(t.table()));
  }

  /**
   * The retention of a PostgreSQL service: its {@code outbox} and {@code processed_events} tables
   * (both must exist) with the configured periods ({@code TARIFA_OUTBOX_RETENTION}, {@code
   * TARIFA_PROCESSED_EVENTS_RETENTION}), the default interval, first delay and batch size.
   */
  public static EventRetention forPostgres(
      Vertx vertx, String name, Pool pool, EventsConfig config) {
    return new EventRetention(
        vertx,
        name,
        List.of(
            outbox(new PgOutboxStore(pool), config.outboxRetention()),
            processedEvents(pool, config.processedEventsRetention())),
        DEFAULT_INTERVAL,
        DEFAULT_FIRST_DELAY,
        DEFAULT_BATCH);
  }

  /**
   * Starts the schedule (first run after the jittered first delay). Idempotent; ignored after
   * {@link #stop()}.
   */
  public EventRetention start() {
    context.runOnContext(
        v -> {
          if (started || stopped) return;
          started = true;
          schedule(firstDelayMs + ThreadLocalRandom.current().nextLong(firstDelayMs + 1));
        });
    return this;
  }

  /**
   * Runs every target now, in order, and succeeds with the rows deleted per table (in target
   * order). Succeeds with an empty map, without deleting anything, when a run of the same name is
   * already in progress in this process or when the retention is stopped. Fails with the first
   * target's failure once all targets were tried; rows deleted before a failure stay deleted and
   * counted. Any thread.
   */
  public Future<Map<String, Long>> runOnce() {
    Promise<Map<String, Long>> result = Promise.promise();
    context.runOnContext(v -> run().onComplete(result));
    return result.future();
  }

  /**
   * Cancels the schedule; completes when the batch in flight (if any) has finished. Any thread;
   * idempotent.
   */
  public Future<Void> stop() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(
        v -> {
          stopped = true;
          vertx.cancelTimer(timer);
          timer = -1;
          if (running) {
            if (idle == null) idle = Promise.promise();
            idle.future().onComplete(done);
          } else {
            done.complete();
          }
        });
    return done.future();
  }

  private void schedule(long delayMs) {
    if (stopped) return;
    timer =
        vertx.setTimer(
            Math.max(1, delayMs),
            t -> {
              timer = -1;
              run().onComplete(ar -> schedule(jittered(intervalMs)));
            });
  }

  private static long jittered(long ms) {
    long spread = ms / 10;
    return ms - spread + ThreadLocalRandom.current().nextLong(2 * spread + 1);
  }

  /** On the context. */
  private Future<Map<String, Long>> run() {
    if (stopped || running) return Future.succeededFuture(Map.of());
    if (!RUNNING.add(name)) {
      log.debug("event retention {}: a run is already in progress in this process, skipped", name);
      return Future.succeededFuture(Map.of());
    }
    running = true;
    long startNanos = System.nanoTime();
    Map<String, Long> counts = new LinkedHashMap<>();
    Throwable[] firstFailure = new Throwable[1];
    Future<Void> chain = Future.succeededFuture();
    for (Target target : targets) {
      chain =
          chain.compose(
              v ->
                  purge(target)
                      .transform(
                          ar -> {
                            if (ar.succeeded()) {
                              counts.put(target.table(), ar.result());
                            } else {
                              if (firstFailure[0] == null) firstFailure[0] = ar.cause();
                              log.warn(
                                  "event retention {}: deleting expired rows of {} failed, trying again at the next run: {}",
                                  name,
                                  target.table(),
                                  ar.cause().getMessage());
                            }
                            return Future.<Void>succeededFuture();
                          }));
    }
    return chain.transform(
        ar -> {
          RUNNING.remove(name);
          running = false;
          if (idle != null) idle.complete();
          long total = counts.values().stream().mapToLong(Long::longValue).sum();
          long ms = (System.nanoTime() - startNanos) / 1_000_000;
          if (total > 0) log.info("event retention {}: deleted {} in {} ms", name, counts, ms);
          else log.debug("event retention {}: nothing expired ({} ms)", name, ms);
          return firstFailure[0] == null
              ? Future.succeededFuture(Collections.unmodifiableMap(counts))
              : Future.failedFuture(firstFailure[0]);
        });
  }

  /**
   * On the context: deletes batches of {@code target} until one comes back short, the bound is hit
   * or stopped.
   */
  private Future<Long> purge(Target target) {
    Promise<Long> done = Promise.promise();
    step(target, done, 0, 0);
    return done.future();
  }

  private void step(Target target, Promise<Long> done, long deletedSoFar, int batches) {
    if (stopped) {
      done.complete(deletedSoFar);
      return;
    }
    Future<Integer> batch;
    try {
      batch =
          Objects.requireNonNull(
              target.deleteBatch().apply(batchSize), "deleteBatch returned null");
    } catch (RuntimeException e) {
      done.fail(e);
      return;
    }
    // Back on the context (a target's future may complete elsewhere), which also gives every batch
    // a fresh stack.
    batch.onComplete(
        ar ->
            context.runOnContext(
                v -> {
                  if (ar.failed()) {
                    done.fail(ar.cause());
                    return;
                  }
                  int n = ar.result() == null ? 0 : Math.max(0, ar.result());
                  if (n > 0) deleted.get(target.table()).increment(n);
                  long total = deletedSoFar + n;
                  if (n < batchSize) {
                    done.complete(total);
                  } else if (batches + 1 >= MAX_BATCHES_PER_RUN) {
                    log.info(
                        "event retention {}: {} still has expired rows after {} batches, continuing at the next run",
                        name,
                        target.table(),
                        MAX_BATCHES_PER_RUN);
                    done.complete(total);
                  } else {
                    step(target, done, total, batches + 1);
                  }
                }));
  }
}
