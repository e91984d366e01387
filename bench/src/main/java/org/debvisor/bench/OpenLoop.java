package org.debvisor.bench;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongFunction;
import java.util.function.Predicate;
import org.HdrHistogram.Recorder;

/**
 * Sends calls at a fixed rate and times each from when it was due, not from when it went out, so a
 * stalled server cannot hide its queueing delay (no coordinated omission). Bounded in count, time
 * and calls outstanding.
 */
final class OpenLoop {

  private static final long MAX_REQUESTS = 10_000_000;

  private OpenLoop() {}

  /**
   * @param call starts call number {@code i}
   * @param succeeded whether an answer counts as a success (else as an error)
   */
  static <T> LoadResult run(
      String scenario,
      String target,
      int rate,
      Duration duration,
      int maxOutstanding,
      LongFunction<ListenableFuture<T>> call,
      Predicate<T> succeeded)
      throws InterruptedException {
    Recorder latencies = new Recorder(3);
    AtomicLong done = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicLong outstanding = new AtomicLong();
    long total = Math.min(MAX_REQUESTS, (long) rate * duration.toSeconds());
    long period = 1_000_000_000L / rate;
    long start = System.nanoTime();
    for (long i = 0; i < total; i++) {
      long due = start + i * period;
      long wait;
      while ((wait = due - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      if (outstanding.get() > maxOutstanding) {
        errors.addAndGet(total - i); // server hopelessly behind: stop, count the rest as failed
        break;
      }
      outstanding.incrementAndGet();
      Futures.addCallback(
          call.apply(i),
          new FutureCallback<T>() {
            @Override
            public void onSuccess(T result) {
              latencies.recordValue((System.nanoTime() - due) / 1000);
              (succeeded.test(result) ? done : errors).incrementAndGet();
              outstanding.decrementAndGet();
            }

            @Override
            public void onFailure(Throwable t) {
              errors.incrementAndGet();
              outstanding.decrementAndGet();
            }
          },
          MoreExecutors.directExecutor());
    }
    long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (outstanding.get() > 0 && System.nanoTime() < drainUntil) {
      Thread.sleep(5);
    }
    return LoadResult.of(
        scenario,
        target,
        latencies.getIntervalHistogram(),
        done.get(),
        errors.get(),
        (System.nanoTime() - start) / 1e9);
  }
}
