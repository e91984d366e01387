package org.debvisor.common.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FakeClockTest {

  private final FakeClock fake = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final ScheduledExecutorService scheduler = fake.scheduler();
  private final List<String> ran = new ArrayList<>();

  @Test
  void tasksRunInDueOrderOnlyWhenTimeIsForwarded() {
    scheduler.schedule(() -> ran.add("late@" + fake.nanos()), 300, TimeUnit.MILLISECONDS);
    scheduler.scheduleAtFixedRate(
        () -> ran.add("tick@" + fake.nanos()), 0, 100, TimeUnit.MILLISECONDS);
    assertThat(ran).isEmpty();

    fake.forward(Duration.ofMillis(250));

    assertThat(ran).containsExactly("tick@0", "tick@100000000", "tick@200000000");
    assertThat(fake.clock().instant()).isEqualTo(Instant.parse("2026-01-01T00:00:00.250Z"));
    assertThat(fake.ticker().read()).isEqualTo(250_000_000L);

    fake.forward(Duration.ofMillis(50));
    assertThat(ran).endsWith("late@300000000", "tick@300000000");
  }

  @Test
  void cancelledTasksDoNotRun() {
    ScheduledFuture<?> task = scheduler.schedule(() -> ran.add("x"), 1, TimeUnit.SECONDS);

    task.cancel(false);
    fake.forward(Duration.ofSeconds(2));

    assertThat(ran).isEmpty();
    assertThat(task.isCancelled()).isTrue();
    assertThat(fake.pendingTasks()).isZero();
  }

  @Test
  void mutableClockMovesOnlyByHand() {
    MutableClock clock = new MutableClock(Instant.EPOCH);

    clock.advance(Duration.ofMinutes(5));

    assertThat(clock.instant()).isEqualTo(Instant.EPOCH.plus(Duration.ofMinutes(5)));
  }
}
