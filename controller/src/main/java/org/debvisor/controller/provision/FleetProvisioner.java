package org.debvisor.controller.provision;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.debvisor.controller.ssh.SshTarget;

/** Provisions many hosts with at most {@code parallel} at a time; results in the order given. */
public final class FleetProvisioner {

  /** Upper bound for {@code --parallel}. */
  public static final int MAX_PARALLEL = 256;

  private final Provisioner provisioner;
  private final int parallel;

  public FleetProvisioner(Provisioner provisioner, int parallel) {
    if (parallel < 1 || parallel > MAX_PARALLEL) {
      throw new IllegalArgumentException(
          "--parallel must be between 1 and " + MAX_PARALLEL + ", not " + parallel);
    }
    this.provisioner = provisioner;
    this.parallel = parallel;
  }

  /** Provisions every host; returns when all are done. */
  public List<HostResult> provisionAll(List<SshTarget> targets) throws InterruptedException {
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.max(1, Math.min(parallel, targets.size())),
            Thread.ofPlatform().name("provision-", 1).daemon(true).factory());
    try {
      List<Future<HostResult>> futures = new ArrayList<>();
      for (SshTarget t : targets) {
        futures.add(pool.submit(() -> provisioner.provision(t)));
      }
      List<HostResult> results = new ArrayList<>();
      for (Future<HostResult> f : futures) {
        try {
          results.add(f.get());
        } catch (ExecutionException e) {
          throw new IllegalStateException("provisioning thread failed", e.getCause());
        }
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
