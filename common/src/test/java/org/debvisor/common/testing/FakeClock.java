package org.debvisor.common.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.debvisor.common.time.Ticker;

/**
 * Time that passes only when a test says so: a {@link Clock}, a {@link Ticker} and a {@link
 * ScheduledExecutorService} on the same fake time. Scheduled tasks run on the test's thread, in due
 * order, during {@link #forward(Duration)}.
 */
public final class FakeClock {

  private final Instant origin;
  private final PriorityQueue<Task<?>> due = new PriorityQueue<>();
  private long nanos;
  private long sequence;

  public FakeClock(Instant origin) {
    this.origin = origin;
  }

  /** Moves time forward, running every task that falls due on the way at its own time. */
  public void forward(Duration by) {
    long target;
    synchronized (this) {
      target = nanos + by.toNanos();
    }
    while (true) {
      Task<?> next;
      synchronized (this) {
        next = due.peek();
        if (next == null || next.dueNanos > target) {
          nanos = target;
          return;
        }
        due.poll();
        nanos = Math.max(nanos, next.dueNanos);
      }
      next.run();
    }
  }

  /** Tasks scheduled and not yet run nor cancelled. */
  public synchronized int pendingTasks() {
    return (int) due.stream().filter(t -> !t.isCancelled()).count();
  }

  public synchronized long nanos() {
    return nanos;
  }

  public Ticker ticker() {
    return this::nanos;
  }

  public Clock clock() {
    return new UtcClock() {
      @Override
      public Instant instant() {
        return origin.plusNanos(nanos());
      }
    };
  }

  public ScheduledExecutorService scheduler() {
    return new Scheduler();
  }

  private synchronized <V> Task<V> enqueue(Callable<V> body, long delayNanos, long periodNanos) {
    Task<V> task = new Task<>(body, nanos + Math.max(0, delayNanos), periodNanos, sequence++);
    due.add(task);
    return task;
  }

  private synchronized void requeue(Task<?> task) {
    task.dueNanos += task.periodNanos;
    task.order = sequence++;
    due.add(task);
  }

  private final class Task<V> implements ScheduledFuture<V> {
    private final Callable<V> body;
    private final long periodNanos;
    private final CompletableFuture<V> result = new CompletableFuture<>();
    private long dueNanos;
    private long order;

    Task(Callable<V> body, long dueNanos, long periodNanos, long order) {
      this.body = body;
      this.dueNanos = dueNanos;
      this.periodNanos = periodNanos;
      this.order = order;
    }

    void run() {
      if (result.isDone()) {
        return;
      }
      try {
        V value = body.call();
        if (periodNanos > 0) {
          requeue(this);
        } else {
          result.complete(value);
        }
      } catch (Exception | Error e) {
        result.completeExceptionally(e);
      }
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(dueNanos - nanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
      Task<?> that = (Task<?>) other;
      int byTime = Long.compare(dueNanos, that.dueNanos);
      return byTime != 0 ? byTime : Long.compare(order, that.order);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      return result.cancel(false);
    }

    @Override
    public boolean isCancelled() {
      return result.isCancelled();
    }

    @Override
    public boolean isDone() {
      return result.isDone();
    }

    @Override
    public V get() throws InterruptedException, ExecutionException {
      return result.get();
    }

    @Override
    public V get(long timeout, TimeUnit unit)
        throws InterruptedException, ExecutionException, TimeoutException {
      return result.get(timeout, unit);
    }
  }

  private final class Scheduler extends AbstractExecutorService
      implements ScheduledExecutorService {
    private volatile boolean shutdown;

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
      return enqueue(callable(command), unit.toNanos(delay), 0);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
      return enqueue(callable, unit.toNanos(delay), 0);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(
        Runnable command, long initialDelay, long period, TimeUnit unit) {
      return enqueue(callable(command), unit.toNanos(initialDelay), unit.toNanos(period));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(
        Runnable command, long initialDelay, long delay, TimeUnit unit) {
      // Tasks take no fake time to run, so a fixed delay is a fixed rate here.
      return enqueue(callable(command), unit.toNanos(initialDelay), unit.toNanos(delay));
    }

    @Override
    public void execute(Runnable command) {
      enqueue(callable(command), 0, 0);
    }

    private static Callable<Object> callable(Runnable command) {
      return () -> {
        command.run();
        return null;
      };
    }

    @Override
    public void shutdown() {
      shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
      shutdown = true;
      return new ArrayList<>();
    }

    @Override
    public boolean isShutdown() {
      return shutdown;
    }

    @Override
    public boolean isTerminated() {
      return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      return shutdown;
    }
  }
}
