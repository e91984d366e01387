package org.debvisor.bench;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;
import org.debvisor.proto.ControllerGrpc;
import org.debvisor.proto.RegisterNodeResponse;

/**
 * RegisterNode load: every call uses the next prepared request (fresh key, CSR and token), so a run
 * is bounded by the requests prepared as well as by time. Enrolled nodes are kept for the heartbeat
 * scenario.
 */
final class RegisterLoad {

  private static final int MAX_OUTSTANDING = 20_000;

  private final List<ControllerGrpc.ControllerFutureStub> stubs;
  private final List<EnrolmentRequests.Prepared> requests;
  private final String target;
  private final AtomicInteger next = new AtomicInteger();
  private final Queue<EnrolledNode> enrolled = new ConcurrentLinkedQueue<>();

  RegisterLoad(
      List<ManagedChannel> channels, List<EnrolmentRequests.Prepared> requests, String target) {
    this.stubs = channels.stream().map(ControllerGrpc::newFutureStub).toList();
    this.requests = requests;
    this.target = target;
  }

  Queue<EnrolledNode> enrolled() {
    return enrolled;
  }

  int remaining() {
    return Math.max(0, requests.size() - next.get());
  }

  private ListenableFuture<RegisterNodeResponse> send(int i) {
    EnrolmentRequests.Prepared p = requests.get(i);
    ListenableFuture<RegisterNodeResponse> call =
        stubs
            .get(i % stubs.size())
            .withDeadlineAfter(60, TimeUnit.SECONDS)
            .registerNode(p.request());
    Futures.addCallback(
        call,
        new FutureCallback<>() {
          @Override
          public void onSuccess(RegisterNodeResponse r) {
            enrolled.add(new EnrolledNode(p.nodeId(), p.keys(), r.getCertificatePem()));
          }

          @Override
          public void onFailure(Throwable t) {}
        },
        MoreExecutors.directExecutor());
    return call;
  }

  /** {@code inFlight} calls outstanding until time, {@code maxCalls} or the requests run out. */
  LoadResult closedLoop(int inFlight, Duration duration, int maxCalls) throws InterruptedException {
    int stopAt = (int) Math.min(requests.size(), (long) next.get() + maxCalls);
    Recorder latencies = new Recorder(3);
    AtomicLong done = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    CountDownLatch finished = new CountDownLatch(inFlight);
    for (int i = 0; i < inFlight; i++) {
      sendNext(end, stopAt, latencies, done, errors, finished);
    }
    finished.await(duration.toSeconds() + 60, TimeUnit.SECONDS);
    return LoadResult.of(
        "RegisterNode closed loop, " + inFlight + " in flight",
        target,
        latencies.getIntervalHistogram(),
        done.get(),
        errors.get(),
        (System.nanoTime() - start) / 1e9);
  }

  private void sendNext(
      long end,
      int stopAt,
      Recorder latencies,
      AtomicLong done,
      AtomicLong errors,
      CountDownLatch finished) {
    long sent = System.nanoTime();
    int i = next.getAndIncrement();
    if (sent >= end || i >= stopAt) {
      finished.countDown();
      return;
    }
    Futures.addCallback(
        send(i),
        new FutureCallback<>() {
          @Override
          public void onSuccess(RegisterNodeResponse result) {
            latencies.recordValue((System.nanoTime() - sent) / 1000);
            done.incrementAndGet();
            sendNext(end, stopAt, latencies, done, errors, finished);
          }

          @Override
          public void onFailure(Throwable t) {
            errors.incrementAndGet();
            sendNext(end, stopAt, latencies, done, errors, finished);
          }
        },
        MoreExecutors.directExecutor());
  }

  /** A fixed rate for {@code duration} (fewer calls if the prepared requests run out). */
  LoadResult openLoop(int rate, Duration duration) throws InterruptedException {
    long seconds = Math.min(duration.toSeconds(), remaining() / Math.max(1, rate));
    return OpenLoop.run(
        "RegisterNode open loop, " + rate + "/s",
        target,
        rate,
        Duration.ofSeconds(Math.max(1, seconds)),
        MAX_OUTSTANDING,
        ignored -> send(Math.min(next.getAndIncrement(), requests.size() - 1)),
        r -> true);
  }
}
