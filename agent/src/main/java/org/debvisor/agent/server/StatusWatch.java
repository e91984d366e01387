package org.debvisor.agent.server;

import io.grpc.stub.ServerCallStreamObserver;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.debvisor.agent.report.StatusBoard;
import org.debvisor.proto.NodeStatus;

/**
 * One WatchStatus stream. Sends the current report, then every changed one, and repeats the latest
 * after a heartbeat interval of silence. A slow client only ever gets the newest report: while the
 * transport is not ready, changes overwrite each other instead of queueing up. Changes arrive from
 * {@link WatchFanout}'s thread, the first report and heartbeats from the caller's and the timer's.
 */
final class StatusWatch {

  private final StatusBoard board;
  private final WatchFanout fanout;
  private final ServerCallStreamObserver<NodeStatus> observer;
  private final ScheduledExecutorService timer;
  private final Duration heartbeat;

  // Guarded by this.
  private NodeStatus pending;
  private long newestRevision = -1;
  private long lastSentNanos;
  private boolean closed;
  private Runnable unsubscribe;
  private ScheduledFuture<?> heartbeatTask;

  StatusWatch(
      StatusBoard board,
      WatchFanout fanout,
      ServerCallStreamObserver<NodeStatus> observer,
      ScheduledExecutorService timer,
      Duration heartbeat) {
    this.board = board;
    this.fanout = fanout;
    this.observer = observer;
    this.timer = timer;
    this.heartbeat = heartbeat;
  }

  void start() {
    observer.setOnCancelHandler(this::close);
    observer.setOnReadyHandler(this::flush);
    synchronized (this) {
      unsubscribe = fanout.subscribe(this::offerChange);
      long period = Math.max(heartbeat.toMillis() / 4, 250);
      heartbeatTask =
          timer.scheduleAtFixedRate(this::heartbeatIfQuiet, period, period, TimeUnit.MILLISECONDS);
    }
    offer(board.current());
  }

  /**
   * A published change; one the stream already has (its first report was read from the board while
   * the change was still on its way) is not sent again.
   */
  private synchronized void offerChange(NodeStatus report) {
    if (report.getRevision() > newestRevision) {
      offer(report);
    }
  }

  /** Sends {@code report} (again, for a heartbeat) unless the stream already has a newer one. */
  private synchronized void offer(NodeStatus report) {
    if (closed || report.getRevision() < newestRevision) {
      return;
    }
    newestRevision = report.getRevision();
    pending = report;
    flush();
  }

  private synchronized void heartbeatIfQuiet() {
    if (!closed && System.nanoTime() - lastSentNanos >= heartbeat.toNanos()) {
      offer(board.current());
    }
  }

  private synchronized void flush() {
    if (closed || pending == null || !observer.isReady()) {
      return;
    }
    if (observer.isCancelled()) {
      close();
      return;
    }
    NodeStatus report = pending;
    pending = null;
    lastSentNanos = System.nanoTime();
    observer.onNext(report);
  }

  private synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (unsubscribe != null) {
      unsubscribe.run();
    }
    if (heartbeatTask != null) {
      heartbeatTask.cancel(false);
    }
  }
}
