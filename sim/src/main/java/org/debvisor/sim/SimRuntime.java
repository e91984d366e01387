package org.debvisor.sim;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * What all agents of one fleet share so a thousand fit in one JVM: one Netty event loop group for
 * every server and channel, one small executor for RPC handlers, one scheduler for heartbeats and
 * apply delays. Handlers never block, so these stay small.
 */
final class SimRuntime implements AutoCloseable {

  final EventLoopGroup boss;
  final EventLoopGroup workers;
  final ExecutorService executor;
  final ScheduledExecutorService scheduler;
  final Clock clock;
  final SimCounters counters = new SimCounters();
  final Consumer<SimEvent> events;
  // The agent hosting each simulated OSD id: any agent answers ok-to-stop for the whole fleet.
  final Map<Integer, SimAgent> osdHosts = new ConcurrentHashMap<>();

  SimRuntime(int threads, Clock clock, Consumer<SimEvent> events) {
    this.boss = new MultiThreadIoEventLoopGroup(1, daemon("sim-accept"), NioIoHandler.newFactory());
    this.workers =
        new MultiThreadIoEventLoopGroup(threads, daemon("sim-io"), NioIoHandler.newFactory());
    this.executor = Executors.newFixedThreadPool(threads, daemon("sim-rpc"));
    ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(2, daemon("sim-timer"));
    // Cancelled heartbeats of stopped agents must not pile up.
    timers.setRemoveOnCancelPolicy(true);
    this.scheduler = timers;
    this.clock = clock;
    this.events = events;
  }

  private static ThreadFactory daemon(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    executor.shutdownNow();
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
      workers.awaitTermination(5, TimeUnit.SECONDS);
      boss.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
