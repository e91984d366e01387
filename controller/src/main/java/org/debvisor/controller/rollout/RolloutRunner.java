package org.debvisor.controller.rollout;

import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.debvisor.controller.rollout.RolloutStore.Actor;
import org.debvisor.proto.ConfigBundle;
import org.debvisor.proto.ConfigResult;
import org.debvisor.proto.NodeRecord;
import org.debvisor.proto.NodeStatus;
import org.debvisor.proto.UpdateConfigRequest;
import org.debvisor.proto.UpdateConfigResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one rollout from whatever state the database holds until it is finished: updates the
 * current wave (at most max-unavailable at a time), waits out and judges its gate, moves on, or
 * rolls back every changed node newest first. Every step is committed before the RPC it leads to,
 * so a new runner on the same database (after a controller crash) carries on where this one
 * stopped.
 */
final class RolloutRunner implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(RolloutRunner.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration STATUS_DEADLINE = Duration.ofSeconds(10);
  private static final Duration APPLY_MARGIN = Duration.ofSeconds(60);
  private static final Duration OSD_RECHECK = Duration.ofSeconds(1);

  private final String id;
  private final RolloutStore store;
  private final AgentCalls agents;
  private final FleetView fleet;
  private final AgentRetry retry;
  private final WaveGate gate = new WaveGate();
  private final OsdStopGate osdGate;

  RolloutRunner(
      String id, RolloutStore store, AgentCalls agents, FleetView fleet, AgentRetry retry) {
    this.id = id;
    this.store = store;
    this.agents = agents;
    this.fleet = fleet;
    this.retry = retry;
    this.osdGate = new OsdStopGate(agents);
  }

  @Override
  public void run() {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        try {
          // Read inside the try: a database that is briefly out of reach must not end the runner.
          Rollout r = store.get(id);
          if (r.state().terminal()) {
            return;
          }
          switch (r.state()) {
            case RUNNING -> {
              if (r.gateUntil() == null) {
                updateWave(r);
              } else {
                gate(r);
              }
            }
            case ROLLING_BACK -> rollBack(r);
            default -> Thread.sleep(POLL.toMillis());
          }
        } catch (RuntimeException e) {
          // The database or an agent library failed unexpectedly: the state is durable, so
          // pausing and looking again is safe.
          log.error("rollout {}: {}; retrying in 1 s", id, e.toString(), e);
          Thread.sleep(1000);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- updating a wave

  private void updateWave(Rollout r) throws InterruptedException {
    ConfigBundle bundle =
        store
            .bundle(r.bundleVersion())
            .orElseThrow(() -> new IllegalStateException("bundle " + r.bundleVersion() + " lost"));
    List<RolloutNode> all = store.nodes(id);
    List<RolloutNode> todo =
        all.stream()
            .filter(n -> n.wave() == r.currentWave())
            .filter(
                n ->
                    n.state() == NodeRolloutState.PENDING || n.state() == NodeRolloutState.UPDATING)
            .toList();
    if (!osdsMayStop(r, todo)) {
      return;
    }
    AtomicInteger failures =
        new AtomicInteger((int) all.stream().filter(n -> n.state().failed()).count());
    Map<String, String> addresses = addresses();
    Semaphore slots = new Semaphore(r.maxUnavailable());
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (RolloutNode node : todo) {
        slots.acquire();
        if (failures.get() > r.maxFailures() || store.get(id).state() != RolloutState.RUNNING) {
          slots.release();
          break;
        }
        pool.submit(
            () -> {
              try {
                if (!update(r, bundle, node, addresses.get(node.nodeId()))) {
                  failures.incrementAndGet();
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } finally {
                slots.release();
              }
            });
      }
    }
    Rollout now = store.get(id);
    if (now.state() != RolloutState.RUNNING) {
      return;
    }
    List<RolloutNode> after = store.nodes(id);
    List<RolloutNode> failed = after.stream().filter(n -> n.state().failed()).toList();
    if (failed.size() > r.maxFailures()) {
      RolloutNode trip =
          failed.stream().max(Comparator.comparing(RolloutNode::updatedAt)).orElseThrow();
      String reason =
          failed.size()
              + " node(s) failed, more than --max-failures "
              + r.maxFailures()
              + "; "
              + trip.hostname()
              + ": "
              + trip.reason();
      store.audit(
          Actor.ENGINE, "rollout.gate", id, "failed", waveName(r.currentWave()) + ": " + reason);
      startRollback(now, reason, trip.hostname());
      return;
    }
    boolean waveDone =
        after.stream()
            .filter(n -> n.wave() == r.currentWave())
            .noneMatch(
                n ->
                    n.state() == NodeRolloutState.PENDING
                        || n.state() == NodeRolloutState.UPDATING);
    if (waveDone) {
      Instant gateUntil = store.now().plus(r.gateWindow());
      store.transition(
          now,
          RolloutState.RUNNING,
          RolloutState.RUNNING,
          r.currentWave(),
          gateUntil,
          "",
          "",
          Actor.ENGINE,
          "rollout.wave",
          waveName(r.currentWave()) + " updated; gate decides at " + gateUntil);
    }
  }

  /**
   * Before the wave's pending nodes are touched: Ceph's ok-to-stop for those hosting OSDs, asked
   * again until it says yes or the gate window is over; then the gate fails and everything rolls
   * back. False when the wave must not start now (rolled back, paused or aborted meanwhile).
   */
  private boolean osdsMayStop(Rollout r, List<RolloutNode> todo) throws InterruptedException {
    List<RolloutNode> pending =
        todo.stream().filter(n -> n.state() == NodeRolloutState.PENDING).toList();
    if (pending.isEmpty()) {
      return true;
    }
    Instant until = store.now().plus(r.gateWindow());
    boolean told = false;
    while (true) {
      GateVerdict verdict = osdGate.check(pending, cluster(r));
      if (verdict.passed()) {
        return true;
      }
      Rollout now = store.get(id);
      if (now.state() != RolloutState.RUNNING) {
        return false;
      }
      if (!store.now().isBefore(until)) {
        String reason = "before " + waveName(r.currentWave()) + ": " + verdict.reason();
        store.audit(Actor.ENGINE, "rollout.gate", id, "failed", reason);
        startRollback(now, "gate failed " + reason, verdict.node());
        return false;
      }
      if (!told) {
        log.info("rollout {}: waiting up to the gate window: {}", id, verdict.reason());
        told = true;
      }
      long left = Duration.between(store.now(), until).toMillis();
      Thread.sleep(Math.max(1, Math.min(left, OSD_RECHECK.toMillis())));
    }
  }

  /** Updates one node; false when it failed (its state says why). */
  private boolean update(Rollout r, ConfigBundle bundle, RolloutNode node, String address)
      throws InterruptedException {
    if (address == null || address.isEmpty()) {
      store.nodeState(
          id,
          node.nodeId(),
          NodeRolloutState.FAILED,
          "the node is no longer an active node with an agent address in the inventory");
      return false;
    }
    if (node.state() == NodeRolloutState.PENDING) {
      NodeStatus before;
      try {
        before = retry.call(() -> agents.status(address, STATUS_DEADLINE));
      } catch (StatusRuntimeException e) {
        stopIfInterrupted(e);
        // Nothing was sent yet, so the node is unchanged: FAILED, not UNREACHABLE.
        store.nodeState(
            id,
            node.nodeId(),
            NodeRolloutState.FAILED,
            describe("Status", address, e) + "; nothing was sent");
        return false;
      }
      String reported = before.getNode().getConfigVersion();
      if (!reported.equals(node.previousVersion())) {
        store.nodeState(
            id,
            node.nodeId(),
            NodeRolloutState.FAILED,
            "reports configuration version '"
                + reported
                + "' but '"
                + node.previousVersion()
                + "' was active when the rollout was planned; nothing was sent (someone else"
                + " changed it: check `debvisor nodes show "
                + node.hostname()
                + "`)");
        return false;
      }
      store.markUpdating(id, node.nodeId(), before.getState().getNumber());
    }
    UpdateConfigRequest request =
        UpdateConfigRequest.newBuilder()
            .setBundle(bundle)
            .setExpectedCurrentVersion(node.previousVersion())
            .build();
    Duration deadline = gateDuration(bundle).plus(APPLY_MARGIN);
    UpdateConfigResponse response;
    try {
      response = retry.call(() -> agents.updateConfig(address, request, deadline));
    } catch (StatusRuntimeException e) {
      stopIfInterrupted(e);
      store.nodeState(id, node.nodeId(), unreachableOr(e), describe("UpdateConfig", address, e));
      return false;
    }
    if (response.getResult() == ConfigResult.CONFIG_APPLIED
        || response.getResult() == ConfigResult.CONFIG_UNCHANGED) {
      store.nodeState(id, node.nodeId(), NodeRolloutState.UPDATED, "");
      return true;
    }
    store.nodeState(
        id,
        node.nodeId(),
        NodeRolloutState.FAILED,
        "its gate failed ("
            + response.getReason()
            + "); the agent restored '"
            + response.getActiveVersion()
            + "'");
    return false;
  }

  // ---- the gate after a wave

  private void gate(Rollout r) throws InterruptedException {
    while (store.now().isBefore(r.gateUntil())) {
      if (store.get(id).state() != RolloutState.RUNNING) {
        return;
      }
      long left = Duration.between(store.now(), r.gateUntil()).toMillis();
      Thread.sleep(Math.max(1, Math.min(left, POLL.toMillis())));
    }
    List<RolloutNode> all = store.nodes(id);
    Map<String, String> addresses = addresses();
    Map<String, NodeStatus> fresh = new ConcurrentHashMap<>();
    Semaphore slots = new Semaphore(r.maxUnavailable());
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (RolloutNode n : all) {
        if (n.wave() != r.currentWave() || n.state() != NodeRolloutState.UPDATED) {
          continue;
        }
        slots.acquire();
        pool.submit(
            () -> {
              try {
                fresh.put(
                    n.nodeId(),
                    retry.call(
                        () ->
                            agents.status(
                                addresses.getOrDefault(n.nodeId(), ""), STATUS_DEADLINE)));
              } catch (StatusRuntimeException | IllegalArgumentException e) {
                // Missing from fresh: the gate reports the node as not answering.
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } finally {
                slots.release();
              }
            });
      }
    }
    GateVerdict verdict = gate.judge(r, all, fresh, cluster(r));
    store.audit(
        Actor.ENGINE,
        "rollout.gate",
        id,
        verdict.passed() ? "passed" : "failed",
        waveName(r.currentWave()) + (verdict.passed() ? "" : ": " + verdict.reason()));
    Rollout now = store.get(id);
    if (now.state() != RolloutState.RUNNING) {
      return;
    }
    if (!verdict.passed()) {
      startRollback(
          now,
          "gate of " + waveName(r.currentWave()) + " failed: " + verdict.reason(),
          verdict.node());
      return;
    }
    Optional<Integer> next =
        all.stream().map(RolloutNode::wave).filter(w -> w > r.currentWave()).min(Integer::compare);
    if (next.isEmpty()) {
      store.transition(
          now,
          RolloutState.RUNNING,
          RolloutState.SUCCEEDED,
          r.currentWave(),
          null,
          "",
          "",
          Actor.ENGINE,
          "rollout.finish",
          "every node runs " + r.bundleVersion());
    } else if (r.currentWave() == 0 && r.approveAfterCanary()) {
      store.transition(
          now,
          RolloutState.RUNNING,
          RolloutState.AWAITING_APPROVAL,
          next.get(),
          null,
          "",
          "",
          Actor.ENGINE,
          "rollout.wave",
          "canary passed; waiting for `debvisor rollout approve`");
    } else {
      store.transition(
          now,
          RolloutState.RUNNING,
          RolloutState.RUNNING,
          next.get(),
          null,
          "",
          "",
          Actor.ENGINE,
          "rollout.wave",
          "starting " + waveName(next.get()));
    }
  }

  private void startRollback(Rollout r, String reason, String trippingNode) {
    store.transition(
        r,
        RolloutState.RUNNING,
        RolloutState.ROLLING_BACK,
        r.currentWave(),
        null,
        reason,
        trippingNode,
        Actor.ENGINE,
        "rollout.rollback",
        reason);
  }

  // ---- rolling back

  private void rollBack(Rollout r) throws InterruptedException {
    List<RolloutNode> changed =
        store.nodes(id).stream()
            .filter(n -> n.state().mayBeChanged())
            .sorted(Comparator.comparingLong(RolloutNode::changeSeq).reversed())
            .toList();
    Map<String, String> addresses = addresses();
    Map<String, Optional<ConfigBundle>> previous = new HashMap<>();
    for (RolloutNode n : changed) {
      previous.computeIfAbsent(
          n.previousVersion(), v -> v.isEmpty() ? Optional.empty() : store.bundle(v));
    }
    Semaphore slots = new Semaphore(r.maxUnavailable());
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (RolloutNode node : changed) {
        slots.acquire();
        pool.submit(
            () -> {
              try {
                restore(
                    r, node, previous.get(node.previousVersion()), addresses.get(node.nodeId()));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } finally {
                slots.release();
              }
            });
      }
    }
    if (Thread.currentThread().isInterrupted()) {
      return;
    }
    Map<NodeRolloutState, Integer> counts = store.counts(id);
    store.transition(
        r,
        RolloutState.ROLLING_BACK,
        RolloutState.ROLLED_BACK,
        r.currentWave(),
        null,
        r.reason(),
        r.trippingNode(),
        Actor.ENGINE,
        "rollout.rolled-back",
        "rolled back "
            + counts.getOrDefault(NodeRolloutState.ROLLED_BACK, 0)
            + ", failed "
            + counts.getOrDefault(NodeRolloutState.ROLLBACK_FAILED, 0)
            + ", kept "
            + counts.getOrDefault(NodeRolloutState.KEPT, 0));
  }

  private void restore(Rollout r, RolloutNode node, Optional<ConfigBundle> previous, String address)
      throws InterruptedException {
    if (node.previousVersion().isEmpty()) {
      store.nodeState(
          id,
          node.nodeId(),
          NodeRolloutState.KEPT,
          "had no configuration before this rollout and an agent cannot go back to none; it keeps '"
              + r.bundleVersion()
              + "' (roll out a corrected bundle)");
      return;
    }
    if (previous.isEmpty()) {
      store.nodeState(
          id,
          node.nodeId(),
          NodeRolloutState.KEPT,
          "its previous version '"
              + node.previousVersion()
              + "' was not rolled out by this controller, which so has no copy to re-send; it keeps '"
              + r.bundleVersion()
              + "'");
      return;
    }
    if (address == null || address.isEmpty()) {
      store.nodeState(
          id,
          node.nodeId(),
          NodeRolloutState.ROLLBACK_FAILED,
          "the node is no longer an active node with an agent address in the inventory");
      return;
    }
    store.nodeState(id, node.nodeId(), NodeRolloutState.ROLLING_BACK, "");
    UpdateConfigRequest request =
        UpdateConfigRequest.newBuilder()
            .setBundle(previous.get())
            .setExpectedCurrentVersion(r.bundleVersion())
            .build();
    Duration deadline = gateDuration(previous.get()).plus(APPLY_MARGIN);
    try {
      UpdateConfigResponse response =
          retry.call(() -> agents.updateConfig(address, request, deadline));
      if (response.getResult() == ConfigResult.CONFIG_ROLLED_BACK) {
        store.nodeState(
            id,
            node.nodeId(),
            NodeRolloutState.ROLLBACK_FAILED,
            "the gate of '"
                + node.previousVersion()
                + "' failed ("
                + response.getReason()
                + "); the node stays on '"
                + response.getActiveVersion()
                + "'");
      } else {
        store.nodeState(id, node.nodeId(), NodeRolloutState.ROLLED_BACK, "");
      }
    } catch (StatusRuntimeException e) {
      stopIfInterrupted(e);
      store.nodeState(
          id,
          node.nodeId(),
          NodeRolloutState.ROLLBACK_FAILED,
          describe("UpdateConfig", address, e));
    }
  }

  // ---- helpers

  private List<NodeRecord> cluster(Rollout r) {
    return fleet.nodes().stream().filter(n -> n.getCluster().equals(r.cluster())).toList();
  }

  private Map<String, String> addresses() {
    Map<String, String> out = new HashMap<>();
    for (NodeRecord n : fleet.nodes()) {
      if (n.getEnrolment() == org.debvisor.proto.EnrolmentState.ENROLMENT_ACTIVE) {
        out.put(n.getNodeId(), n.getAgentAddress());
      }
    }
    return out;
  }

  /** A call cut short by the controller's own shutdown says nothing about the node. */
  private static void stopIfInterrupted(StatusRuntimeException e) throws InterruptedException {
    if (Thread.currentThread().isInterrupted()
        || e.getStatus().getCode() == io.grpc.Status.Code.CANCELLED) {
      throw new InterruptedException("rollout runner stopped during an agent call");
    }
  }

  private static NodeRolloutState unreachableOr(StatusRuntimeException e) {
    return AgentRetry.transientFailure(e) ? NodeRolloutState.UNREACHABLE : NodeRolloutState.FAILED;
  }

  private String describe(String rpc, String address, StatusRuntimeException e) {
    String what =
        e.getStatus().getDescription() == null ? "" : ": " + e.getStatus().getDescription();
    if (AgentRetry.transientFailure(e)) {
      return "agent at "
          + address
          + " unreachable for "
          + rpc
          + " after "
          + retry.attempts()
          + " attempts ("
          + e.getStatus().getCode()
          + what
          + ")";
    }
    return "agent refused " + rpc + " (" + e.getStatus().getCode() + what + ")";
  }

  private static Duration gateDuration(ConfigBundle bundle) {
    return Duration.ofSeconds(
        bundle.getGate().getWindow().getSeconds(), bundle.getGate().getWindow().getNanos());
  }

  static String waveName(int wave) {
    return wave == 0 ? "canary" : "wave " + wave;
  }
}
