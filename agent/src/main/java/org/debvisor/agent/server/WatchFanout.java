package org.debvisor.agent.server;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.debvisor.agent.report.StatusBoard;
import org.debvisor.proto.NodeStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands every report the board publishes to the open WatchStatus streams, in order, on a thread of
 * its own. The board calls its listeners on the publishing thread: a collector's, or the timer's
 * for a timed-out collection. Writing one report into a thousand streams there took long enough on
 * a loaded node that the next collection waited behind it past its timeout, and the timeout's
 * UNKNOWN reading was one more report to write into every stream (measured: half of the fan-out
 * work of a 1 000-stream benchmark was such readings). Here the publisher only queues the report.
 *
 * <p>Reports are delivered in publication order, so a stream misses none while this thread keeps
 * up. If it does not (more than {@link #MAX_BACKLOG} reports waiting), the oldest waiting ones are
 * dropped: every stream then gets the newest, as a slow stream does in {@link StatusWatch}.
 */
final class WatchFanout {

  /** Reports waiting for this thread at most; 6 s of a 100 ms collector interval. */
  static final int MAX_BACKLOG = 64;

  private static final Logger log = LoggerFactory.getLogger(WatchFanout.class);

  private final List<Consumer<NodeStatus>> watches = new CopyOnWriteArrayList<>();
  private final Executor executor;

  // Guarded by this.
  private final ArrayDeque<NodeStatus> backlog = new ArrayDeque<>();
  private boolean draining;
  private long dropped;

  WatchFanout(StatusBoard board, Executor executor) {
    this.executor = executor;
    board.subscribe(this::publish);
  }

  /**
   * A fan-out whose thread ({@code agent-watch}) exists only while there are reports to deliver, so
   * an agent nobody watches has no extra thread.
   */
  static WatchFanout onOwnThread(StatusBoard board) {
    ThreadPoolExecutor thread =
        new ThreadPoolExecutor(
            1,
            1,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            new DefaultThreadFactory("agent-watch", true));
    thread.allowCoreThreadTimeOut(true);
    return new WatchFanout(board, thread);
  }

  /** Calls {@code watch} with every report published from now on; returns the unsubscriber. */
  Runnable subscribe(Consumer<NodeStatus> watch) {
    watches.add(watch);
    return () -> watches.remove(watch);
  }

  /** Reports dropped so far because this thread fell {@link #MAX_BACKLOG} behind. */
  synchronized long dropped() {
    return dropped;
  }

  private void publish(NodeStatus report) {
    if (watches.isEmpty()) {
      return;
    }
    synchronized (this) {
      if (backlog.size() == MAX_BACKLOG) {
        backlog.removeFirst();
        dropped++;
      }
      backlog.addLast(report);
      if (draining) {
        return;
      }
      draining = true;
    }
    executor.execute(this::drain);
  }

  private void drain() {
    while (true) {
      NodeStatus next;
      synchronized (this) {
        next = backlog.pollFirst();
        if (next == null) {
          draining = false;
          return;
        }
      }
      for (Consumer<NodeStatus> watch : watches) {
        try {
          watch.accept(next);
        } catch (RuntimeException e) {
          // One broken stream must not stop the others' deliveries.
          log.warn("a WatchStatus stream failed to take report {}: {}", next.getRevision(), e);
        }
      }
    }
  }
}
