package org.debvisor.bench;

import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.debvisor.controller.ha.LeaseProbe;
import org.debvisor.controller.ha.SharedCaSeed;
import org.debvisor.controller.inventory.PostgresServer;
import org.debvisor.controller.inventory.PostgresUrl;
import org.debvisor.controller.server.KillableController;

/**
 * Failover time: two controllers on one PostgreSQL, a node heartbeating to the leader and falling
 * over to the other when a call fails (as the agent does with its controller list, without its
 * backoff); the leader is SIGKILLed. Per run: from the kill to the first heartbeat the survivor
 * answered that node, and to the survivor holding the lease. A fresh database per run.
 */
final class FailoverBench {

  private static final Duration PROBE_GAP = Duration.ofMillis(10);
  private static final Duration CALL_DEADLINE = Duration.ofSeconds(5);
  private static final Duration CONNECT_DEADLINE = Duration.ofSeconds(60);
  private static final Duration TAKEOVER_WAIT = Duration.ofSeconds(120);

  /** One run's figures in milliseconds from the kill. */
  record Run(long firstServedMs, long leaseTakenMs) {}

  private final HaControllers controllers;
  private final String leasePeriod;
  private final Path work;

  FailoverBench(HaControllers controllers, String leasePeriod, Path work) {
    this.controllers = controllers;
    this.leasePeriod = leasePeriod;
    this.work = work;
  }

  List<Run> run(PostgresServer server, int runs) throws Exception {
    List<Run> list = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      list.add(once(server, i));
      System.out.println("failover run " + (i + 1) + ": " + list.getLast());
    }
    return list;
  }

  private Run once(PostgresServer server, int n) throws Exception {
    Path dir = work.resolve("failover-" + n);
    PostgresUrl url = server.createDatabase();
    Path passphrase =
        SharedCaSeed.passphraseFile(
            java.nio.file.Files.createDirectories(dir).resolve("ca-passphrase"),
            "failover benchmark passphrase");
    SharedCaSeed.seed(url, passphrase, dir);
    List<ManagedChannel> open = new ArrayList<>();
    try (KillableController a =
        controllers.postgres(dir.resolve("a"), url, passphrase, leasePeriod)) {
      String idA = LeaseProbe.memberId(a.stateDir);
      await("the first controller leads", () -> LeaseProbe.holder(url).equals(idA));
      try (KillableController b =
          controllers.postgres(dir.resolve("b"), url, passphrase, leasePeriod)) {
        String idB = LeaseProbe.memberId(b.stateDir);
        Path ca = a.stateDir.resolve("pki/ca.pem");
        EnrolledNode node =
            BenchEnrolment.enrol(
                    ControllerBench.awaitOperator(
                        a.stateDir, a.port, a::isAlive, open, HaControllers.OPERATOR_WAIT),
                    a.port,
                    ca,
                    "failover-" + n + "-",
                    1)
                .nodes()
                .getFirst();
        // Connection 0 to the leader, 1 to the survivor, the same node on both.
        try (HeartbeatLoad client =
            new HeartbeatLoad(List.of(a.port, b.port), ca, List.of(node, node), 2)) {
          // Handshakes and first calls (slow in fresh JVMs), before anything is timed.
          client.once(0, CONNECT_DEADLINE).get();
          client.once(1, CONNECT_DEADLINE).get();
          AtomicLong servedAt = new AtomicLong();
          AtomicLong killedAt = new AtomicLong();
          Thread probe =
              Thread.ofPlatform()
                  .name("failover-probe")
                  .start(() -> probe(client, killedAt, servedAt));
          Thread.sleep(200);
          killedAt.set(System.nanoTime());
          a.kill();
          await("the survivor leads", () -> LeaseProbe.holder(url).equals(idB));
          long leaseTaken = System.nanoTime();
          probe.join(TAKEOVER_WAIT.toMillis());
          if (servedAt.get() == 0) {
            probe.interrupt();
            throw new IllegalStateException(
                "the survivor answered no heartbeat within "
                    + TAKEOVER_WAIT
                    + "; its log:\n"
                    + b.log());
          }
          return new Run(
              TimeUnit.NANOSECONDS.toMillis(servedAt.get() - killedAt.get()),
              TimeUnit.NANOSECONDS.toMillis(leaseTaken - killedAt.get()));
        }
      }
    } finally {
      for (ManagedChannel c : open) {
        c.shutdownNow();
      }
    }
  }

  /**
   * Heartbeats to connection 0 until a call fails, then to connection 1; stops at the first answer
   * from connection 1 after the kill, or after {@link #TAKEOVER_WAIT}.
   */
  private static void probe(HeartbeatLoad client, AtomicLong killedAt, AtomicLong servedAt) {
    int current = 0;
    long deadline = System.nanoTime() + TAKEOVER_WAIT.toNanos();
    while (System.nanoTime() < deadline && !Thread.currentThread().isInterrupted()) {
      try {
        client.once(current, CALL_DEADLINE).get();
        if (current == 1 && killedAt.get() != 0) {
          servedAt.set(System.nanoTime());
          return;
        }
      } catch (ExecutionException e) {
        current = 1;
        continue;
      } catch (InterruptedException e) {
        return;
      }
      try {
        Thread.sleep(PROBE_GAP);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private interface Condition {
    boolean holds() throws Exception;
  }

  private static void await(String what, Condition condition) throws Exception {
    long deadline = System.nanoTime() + TAKEOVER_WAIT.toNanos();
    while (!condition.holds()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out waiting until " + what);
      }
      Thread.sleep(10);
    }
  }

  /** The median of {@code values} (the lower middle one for an even count). */
  static long median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.get((sorted.size() - 1) / 2);
  }
}
