package org.debvisor.bench;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;
import org.debvisor.proto.NodeGrpc;
import org.debvisor.proto.NodeStatus;
import org.debvisor.proto.StatusRequest;

/** Closed- and open-loop load on {@code debvisor.Node/Status}, bounded in time and count. */
final class StatusLoad {

  private static final long MAX_REQUESTS = 10_000_000;
  private static final int MAX_OUTSTANDING = 20_000;

  private final List<NodeGrpc.NodeFutureStub> stubs;
  private final String target;
  private final AtomicLong next = new AtomicLong();

  /** Spreads calls over several channels: one HTTP/2 connection is served by one event loop. */
  StatusLoad(List<ManagedChannel> channels, String target) {
    this.stubs = channels.stream().map(NodeGrpc::newFutureStub).toList();
    this.target = target;
  }

  private NodeGrpc.NodeFutureStub stub() {
    return stubs.get((int) (next.getAndIncrement() % stubs.size()));
  }

  /** Keeps {@code inFlight} calls outstanding for {@code duration}: the maximum throughput. */
  LoadResult closedLoop(int inFlight, Duration duration) throws InterruptedException {
    return closedLoop(inFlight, MAX_REQUESTS, duration);
  }

  /**
   * Keeps {@code inFlight} calls outstanding until exactly {@code count} have been sent and
   * answered, or {@code maxDuration} has passed (then fewer are sent): done + errors = sent.
   */
  LoadResult closedLoop(int inFlight, long count, Duration maxDuration)
      throws InterruptedException {
    Recorder latencies = new Recorder(3);
    AtomicLong done = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicLong sent = new AtomicLong();
    long start = System.nanoTime();
    long end = start + maxDuration.toNanos();
    CountDownLatch finished = new CountDownLatch(inFlight);
    Loop loop = new Loop(end, Math.min(count, MAX_REQUESTS), sent, latencies, done, errors);
    for (int i = 0; i < inFlight; i++) {
      sendNext(loop, finished);
    }
    finished.await(maxDuration.toSeconds() + 30, TimeUnit.SECONDS);
    double seconds = (System.nanoTime() - start) / 1e9;
    return result("closed loop, " + inFlight + " in flight", latencies, done, errors, seconds);
  }

  /** The shared state of one closed loop's senders. */
  private record Loop(
      long end,
      long limit,
      AtomicLong sent,
      Recorder latencies,
      AtomicLong done,
      AtomicLong errors) {}

  private void sendNext(Loop loop, CountDownLatch finished) {
    long sent = System.nanoTime();
    if (sent >= loop.end() || loop.sent().incrementAndGet() > loop.limit()) {
      finished.countDown();
      return;
    }
    Recorder latencies = loop.latencies();
    AtomicLong done = loop.done();
    AtomicLong errors = loop.errors();
    ListenableFuture<NodeStatus> call = stub().status(StatusRequest.getDefaultInstance());
    Futures.addCallback(
        call,
        new FutureCallback<>() {
          @Override
          public void onSuccess(NodeStatus result) {
            latencies.recordValue((System.nanoTime() - sent) / 1000);
            done.incrementAndGet();
            sendNext(loop, finished);
          }

          @Override
          public void onFailure(Throwable t) {
            errors.incrementAndGet();
            sendNext(loop, finished);
          }
        },
        MoreExecutors.directExecutor());
  }

  /** Sends at a fixed {@code rate} for {@code duration}; see {@link OpenLoop}. */
  LoadResult openLoop(int rate, Duration duration) throws InterruptedException {
    return OpenLoop.run(
        "open loop, " + rate + " qps",
        target,
        rate,
        duration,
        MAX_OUTSTANDING,
        i -> stub().status(StatusRequest.getDefaultInstance()),
        reply -> true);
  }

  private LoadResult result(
      String scenario, Recorder latencies, AtomicLong done, AtomicLong errors, double seconds) {
    return LoadResult.of(
        scenario, target, latencies.getIntervalHistogram(), done.get(), errors.get(), seconds);
  }
}
