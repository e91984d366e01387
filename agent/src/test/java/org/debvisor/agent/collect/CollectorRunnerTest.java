package org.debvisor.agent.collect;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.debvisor.common.testing.FakeClock;
import org.debvisor.proto.CephDetails;
import org.debvisor.proto.HealthState;
import org.debvisor.proto.Subsystem;
import org.debvisor.proto.SubsystemStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CollectorRunnerTest {

  private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(1);
  private final BlockingQueue<SubsystemStatus> published = new LinkedBlockingQueue<>();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @AfterEach
  void stop() {
    timer.shutdownNow();
  }

  /** A collector whose behaviour each call is scripted by the test. */
  private static final class ScriptedCollector implements Collector {
    interface Step {
      SubsystemStatus run() throws Exception;
    }

    private final Step step;
    private final Duration interval;
    private final Duration timeout;

    ScriptedCollector(Duration interval, Duration timeout, Step step) {
      this.interval = interval;
      this.timeout = timeout;
      this.step = step;
    }

    @Override
    public Subsystem subsystem() {
      return Subsystem.SUBSYSTEM_CEPH;
    }

    @Override
    public Duration interval() {
      return interval;
    }

    @Override
    public Duration timeout() {
      return timeout;
    }

    @Override
    public SubsystemStatus collect() throws Exception {
      return step.run();
    }
  }

  private static SubsystemStatus healthy(String fsid) {
    return SubsystemStatus.newBuilder()
        .setState(HealthState.HEALTH_OK)
        .setMessage("HEALTH_OK")
        .setCeph(CephDetails.newBuilder().setFsid(fsid))
        .build();
  }

  private SubsystemStatus next() throws InterruptedException {
    SubsystemStatus s = published.poll(10, TimeUnit.SECONDS);
    assertThat(s).as("a reading was published within 10 s").isNotNull();
    return s;
  }

  private CollectorRunner run(Collector collector) {
    CollectorRunner runner =
        new CollectorRunner(collector, timer, published::add, Clock.systemUTC(), registry);
    runner.start();
    return runner;
  }

  @Test
  void publishesUnknownFirstThenTheReadingWithTimestamps() throws Exception {
    try (CollectorRunner runner =
        run(
            new ScriptedCollector(
                Duration.ofHours(1), Duration.ofSeconds(5), () -> healthy("a")))) {
      SubsystemStatus initial = next();
      SubsystemStatus reading = next();

      assertThat(initial.getState()).isEqualTo(HealthState.HEALTH_UNKNOWN);
      assertThat(reading.getState()).isEqualTo(HealthState.HEALTH_OK);
      assertThat(reading.getSubsystem()).isEqualTo(Subsystem.SUBSYSTEM_CEPH);
      assertThat(reading.hasCollectedAt()).isTrue();
      assertThat(reading.getLastSuccessAt()).isEqualTo(reading.getCollectedAt());
      assertThat(reading.getStale()).isFalse();
      assertThat(registry.get("debvisor.collector.duration").tag("outcome", "ok").timer().count())
          .isEqualTo(1);
    }
  }

  @Test
  void failureIsErrorWithReasonAndKeepsLastGoodDetailsAsStale() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    ScriptedCollector flaky =
        new ScriptedCollector(
            Duration.ofMillis(50),
            Duration.ofSeconds(5),
            () -> {
              if (calls.incrementAndGet() == 1) {
                return healthy("fsid-1");
              }
              throw new IllegalStateException("monitor 127.0.0.1:3300 refused the connection");
            });
    try (CollectorRunner runner = run(flaky)) {
      next(); // initial
      SubsystemStatus good = next();
      SubsystemStatus failed = next();

      assertThat(failed.getState()).isEqualTo(HealthState.HEALTH_ERROR);
      assertThat(failed.getMessage()).isEqualTo("monitor 127.0.0.1:3300 refused the connection");
      assertThat(failed.getStale()).isTrue();
      assertThat(failed.getCeph().getFsid()).isEqualTo("fsid-1");
      assertThat(failed.getLastSuccessAt()).isEqualTo(good.getLastSuccessAt());
    }
  }

  @Test
  void hungCollectorBecomesUnknownAndIsNotStartedAgainUntilItReturns() throws Exception {
    // Fake time drives the schedule and the timeout, so "several intervals pass" takes no sleep.
    FakeClock time = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger started = new AtomicInteger();
    ScriptedCollector hanging =
        new ScriptedCollector(
            Duration.ofMillis(100),
            Duration.ofMillis(300),
            () -> {
              started.incrementAndGet();
              entered.countDown();
              release.await();
              return healthy("back");
            });
    try (CollectorRunner runner =
        new CollectorRunner(
            hanging, time.scheduler(), published::add, time.clock(), time.ticker(), registry)) {
      runner.start();
      next(); // initial
      time.forward(Duration.ZERO); // the first collection starts, and hangs
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

      time.forward(Duration.ofMillis(300));
      SubsystemStatus timedOut = next();
      assertThat(timedOut.getState()).isEqualTo(HealthState.HEALTH_UNKNOWN);
      assertThat(timedOut.getMessage()).contains("no answer within 300 ms");
      assertThat(
              registry
                  .get("debvisor.collector.duration")
                  .tag("outcome", "timeout")
                  .timer()
                  .totalTime(TimeUnit.MILLISECONDS))
          .isEqualTo(300.0);

      time.forward(Duration.ofMillis(500)); // several intervals pass while the collector is hung
      assertThat(started.get()).isEqualTo(1);
      assertThat(published).isEmpty();

      release.countDown();
      SubsystemStatus recovered = next();
      assertThat(recovered.getState()).isEqualTo(HealthState.HEALTH_OK);
      assertThat(recovered.getCeph().getFsid()).isEqualTo("back");
    }
  }

  @Test
  void aHungCollectorDoesNotDelayAnotherOne() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    BlockingQueue<SubsystemStatus> other = new LinkedBlockingQueue<>();
    ScriptedCollector hanging =
        new ScriptedCollector(
            Duration.ofMillis(100),
            Duration.ofSeconds(30),
            () -> {
              never.await();
              return healthy("never");
            });
    ScriptedCollector quick =
        new ScriptedCollector(Duration.ofMillis(50), Duration.ofSeconds(5), () -> healthy("q"));
    try (CollectorRunner hung = run(hanging);
        CollectorRunner fast =
            new CollectorRunner(quick, timer, other::add, Clock.systemUTC(), registry)) {
      fast.start();
      int healthyReadings = 0;
      for (int i = 0; i < 5; i++) {
        SubsystemStatus s = other.poll(10, TimeUnit.SECONDS);
        if (s != null && s.getState() == HealthState.HEALTH_OK) {
          healthyReadings++;
        }
      }
      assertThat(healthyReadings).isGreaterThanOrEqualTo(4);
    } finally {
      never.countDown();
    }
  }
}
