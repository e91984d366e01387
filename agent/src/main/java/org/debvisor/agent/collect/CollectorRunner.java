package org.debvisor.agent.collect;

import com.google.protobuf.Timestamp;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.debvisor.agent.report.HealthSummary;
import org.debvisor.common.time.Ticker;
import org.debvisor.proto.HealthState;
import org.debvisor.proto.SubsystemStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link Collector} on its own thread and schedule, and publishes every outcome: a
 * reading, a failure (ERROR, keeping the last good details marked stale) or a timeout (UNKNOWN). A
 * hung collector only ever blocks its own thread: no new run starts until it returns.
 */
public final class CollectorRunner implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(CollectorRunner.class);
  private static final long IDLE_THREAD_SECONDS = 2;

  private final Collector collector;
  private final ScheduledExecutorService timer;
  private final ExecutorService worker;
  private final Consumer<SubsystemStatus> sink;
  private final Clock clock;
  private final Ticker ticker;
  private final String name;
  private final Timer successTimer;
  private final Timer failureTimer;
  private final Timer timeoutTimer;

  // Guarded by this.
  private Future<?> running;
  private ScheduledFuture<?> schedule;
  private SubsystemStatus lastGood;
  private boolean timedOut;

  public CollectorRunner(
      Collector collector,
      ScheduledExecutorService timer,
      Consumer<SubsystemStatus> sink,
      Clock clock,
      MeterRegistry registry) {
    this(collector, timer, sink, clock, Ticker.system(), registry);
  }

  /**
   * @param timer schedules the collections and their timeouts
   * @param ticker measures how long each collection took
   */
  public CollectorRunner(
      Collector collector,
      ScheduledExecutorService timer,
      Consumer<SubsystemStatus> sink,
      Clock clock,
      Ticker ticker,
      MeterRegistry registry) {
    this.collector = collector;
    this.timer = timer;
    this.sink = sink;
    this.clock = clock;
    this.ticker = ticker;
    this.name = HealthSummary.name(collector.subsystem());
    // One thread at most, and none between collections (seconds apart): an idle agent keeps
    // only the shared timer, while a hung collection still blocks nothing but its own thread.
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            1,
            1,
            IDLE_THREAD_SECONDS,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "collector-" + name);
              t.setDaemon(true);
              return t;
            });
    pool.allowCoreThreadTimeOut(true);
    this.worker = pool;
    this.successTimer = timer(registry, "ok");
    this.failureTimer = timer(registry, "error");
    this.timeoutTimer = timer(registry, "timeout");
  }

  private Timer timer(MeterRegistry registry, String outcome) {
    return Timer.builder("debvisor.collector.duration")
        .description("Time spent collecting one subsystem's health")
        .tags("subsystem", name, "outcome", outcome)
        .register(registry);
  }

  /** Publishes an initial UNKNOWN reading and starts collecting at once, then every interval. */
  public synchronized void start() {
    Instant now = clock.instant();
    sink.accept(
        SubsystemStatus.newBuilder()
            .setSubsystem(collector.subsystem())
            .setState(HealthState.HEALTH_UNKNOWN)
            .setMessage("not collected yet")
            .setCollectedAt(timestamp(now))
            .build());
    schedule =
        timer.scheduleAtFixedRate(
            this::tick, 0, collector.interval().toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The subsystem's name in logs and metrics, e.g. {@code ceph}. */
  public String name() {
    return name;
  }

  private synchronized void tick() {
    if (running != null && !running.isDone()) {
      return; // still hung in the previous collection; its timeout was already reported
    }
    Instant started = clock.instant();
    long startNanos = ticker.read();
    timedOut = false;
    running = worker.submit(() -> collectOnce(started, startNanos));
    timer.schedule(
        () -> checkTimeout(started, startNanos),
        collector.timeout().toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private void collectOnce(Instant started, long startNanos) {
    SubsystemStatus reading;
    Throwable failure = null;
    try {
      reading = collector.collect();
    } catch (Exception | LinkageError e) {
      reading = null;
      failure = e;
    }
    Instant finished = clock.instant();
    Duration took = Duration.ofNanos(ticker.read() - startNanos);
    synchronized (this) {
      SubsystemStatus published;
      if (failure == null) {
        published =
            reading.toBuilder()
                .setSubsystem(collector.subsystem())
                .setCollectedAt(timestamp(finished))
                .setLastSuccessAt(timestamp(finished))
                .setCollectionDuration(duration(took))
                .setStale(false)
                .build();
        lastGood = published;
        successTimer.record(took);
        if (timedOut) {
          log.info("{} collector answered again after {} ms", name, took.toMillis());
        }
      } else {
        published = failed(HealthState.HEALTH_ERROR, describe(failure), finished, took);
        failureTimer.record(took);
        log.warn("{} collector failed: {}", name, describe(failure));
      }
      sink.accept(published);
    }
  }

  private synchronized void checkTimeout(Instant started, long startNanos) {
    if (running == null || running.isDone() || timedOut) {
      return;
    }
    timedOut = true;
    Duration took = Duration.ofNanos(ticker.read() - startNanos);
    timeoutTimer.record(took);
    String message =
        "no answer within "
            + collector.timeout().toMillis()
            + " ms (collection started "
            + started
            + " is still waiting)";
    log.warn("{} collector timed out: {}", name, message);
    sink.accept(failed(HealthState.HEALTH_UNKNOWN, message, clock.instant(), took));
  }

  private SubsystemStatus failed(HealthState state, String message, Instant at, Duration took) {
    SubsystemStatus.Builder b =
        SubsystemStatus.newBuilder()
            .setSubsystem(collector.subsystem())
            .setState(state)
            .setMessage(message)
            .setCollectedAt(timestamp(at))
            .setCollectionDuration(duration(took));
    if (lastGood != null) {
      // Keep the last good details so operators still see them, clearly marked as old.
      SubsystemStatus.Builder old = lastGood.toBuilder();
      b.setLastSuccessAt(lastGood.getLastSuccessAt()).setStale(true);
      switch (old.getDetailsCase()) {
        case CEPH -> b.setCeph(old.getCeph());
        case HYPERVISOR -> b.setHypervisor(old.getHypervisor());
        case KUBERNETES -> b.setKubernetes(old.getKubernetes());
        case SYSTEM -> b.setSystem(old.getSystem());
        case DETAILS_NOT_SET -> b.setStale(false);
      }
    }
    return b.build();
  }

  private static String describe(Throwable t) {
    String message = t.getMessage();
    if (message == null || message.isBlank()) {
      return t.getClass().getSimpleName();
    }
    return message;
  }

  static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }

  private static com.google.protobuf.Duration duration(Duration d) {
    return com.google.protobuf.Duration.newBuilder()
        .setSeconds(d.getSeconds())
        .setNanos(d.getNano())
        .build();
  }

  /** Stops scheduling, abandons a hung collection and closes the collector. */
  @Override
  public synchronized void close() {
    if (schedule != null) {
      schedule.cancel(false);
    }
    worker.shutdownNow();
    try {
      collector.close();
    } catch (RuntimeException e) {
      log.warn("closing {} collector failed: {}", name, e.toString());
    }
  }
}
