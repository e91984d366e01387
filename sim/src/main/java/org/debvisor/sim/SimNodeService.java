package org.debvisor.sim;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.debvisor.common.auth.CallerIdentity;
import org.debvisor.common.violation.BadRequests;
import org.debvisor.proto.CheckOkToStopRequest;
import org.debvisor.proto.CheckOkToStopResponse;
import org.debvisor.proto.ConfigHistoryRequest;
import org.debvisor.proto.ConfigHistoryResponse;
import org.debvisor.proto.ConfigResult;
import org.debvisor.proto.ConfigState;
import org.debvisor.proto.GetConfigRequest;
import org.debvisor.proto.NodeGrpc;
import org.debvisor.proto.NodeStatus;
import org.debvisor.proto.StatusRequest;
import org.debvisor.proto.UpdateConfigRequest;
import org.debvisor.proto.UpdateConfigResponse;
import org.debvisor.proto.WatchStatusRequest;

/**
 * {@code debvisor.Node} for one simulated agent, in memory. Answers like the agent (same codes and
 * messages for stale versions, short deadlines and history limits); an apply takes the agent's
 * fault delay on the shared scheduler, never a thread, and updates run one at a time per agent.
 */
final class SimNodeService extends NodeGrpc.NodeImplBase {

  /** The agent's allowance for fsyncs and reloads besides the gate window (ConfigRpcs). */
  static final Duration APPLY_ALLOWANCE = Duration.ofSeconds(5);

  private static final int MAX_HISTORY = 1000;
  private static final int DEFAULT_HISTORY = 100;

  private final SimAgent agent;
  private final SimRuntime runtime;
  // Tail of this agent's update queue; guarded by this.
  private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);

  SimNodeService(SimAgent agent, SimRuntime runtime) {
    this.agent = agent;
    this.runtime = runtime;
  }

  @Override
  public void status(StatusRequest request, StreamObserver<NodeStatus> observer) {
    observer.onNext(agent.report());
    observer.onCompleted();
  }

  /** Sends the current report once and ends; a simulated node's status never changes by itself. */
  @Override
  public void watchStatus(WatchStatusRequest request, StreamObserver<NodeStatus> observer) {
    observer.onNext(agent.report());
    observer.onCompleted();
  }

  /** Answers for the whole fleet, as Ceph would: not ok when a host of an asked OSD says so. */
  @Override
  public void checkOkToStop(
      CheckOkToStopRequest request, StreamObserver<CheckOkToStopResponse> observer) {
    if (agent.osdIds().isEmpty()) {
      observer.onError(
          Status.FAILED_PRECONDITION
              .withDescription(
                  "no Ceph configuration at /etc/ceph/ceph.conf on this node (simulated fleet"
                      + " without --ceph-osds); ask an agent on a Ceph node")
              .asRuntimeException());
      return;
    }
    List<Integer> ids = request.getOsdIdsCount() == 0 ? agent.osdIds() : request.getOsdIdsList();
    CheckOkToStopResponse.Builder response =
        CheckOkToStopResponse.newBuilder().addAllOsdIds(ids).setOkToStop(true);
    for (int id : ids) {
      SimAgent host = runtime.osdHosts.get(id);
      if (host != null && host.faults().notOkToStop()) {
        response
            .setOkToStop(false)
            .setReason(
                "unsafe to stop osd(s) at this time (osd."
                    + id
                    + " on "
                    + host.hostname()
                    + ": simulated fault)");
        break;
      }
    }
    if (response.getOkToStop()) {
      response.setReason(ids.size() + " OSD(s) can stop now");
    }
    observer.onNext(response.build());
    observer.onCompleted();
  }

  @Override
  public void getConfig(GetConfigRequest request, StreamObserver<ConfigState> observer) {
    observer.onNext(agent.config().current());
    observer.onCompleted();
  }

  @Override
  public void configHistory(
      ConfigHistoryRequest request, StreamObserver<ConfigHistoryResponse> observer) {
    if (request.getLimit() > MAX_HISTORY) {
      observer.onError(BadRequests.invalidArgument("limit", "must be at most " + MAX_HISTORY));
      return;
    }
    int limit = request.getLimit() == 0 ? DEFAULT_HISTORY : request.getLimit();
    observer.onNext(
        ConfigHistoryResponse.newBuilder().addAllEntries(agent.config().history(limit)).build());
    observer.onCompleted();
  }

  @Override
  public void updateConfig(
      UpdateConfigRequest request, StreamObserver<UpdateConfigResponse> observer) {
    Deadline deadline = Context.current().getDeadline();
    var w = request.getBundle().getGate().getWindow();
    Duration needed = Duration.ofSeconds(w.getSeconds(), w.getNanos()).plus(APPLY_ALLOWANCE);
    if (deadline != null && deadline.timeRemaining(TimeUnit.MILLISECONDS) < needed.toMillis()) {
      observer.onError(
          Status.FAILED_PRECONDITION
              .withDescription(
                  "the call's deadline leaves "
                      + deadline.timeRemaining(TimeUnit.MILLISECONDS)
                      + " ms but the gate window plus applying needs "
                      + needed.toMillis()
                      + " ms; give the call a longer deadline")
              .asRuntimeException());
      return;
    }
    String caller = CallerIdentity.current().name();
    synchronized (this) {
      tail = tail.thenCompose(ignored -> apply(request, caller, observer));
    }
  }

  /** One update; the future completes when the next one may start. */
  private CompletableFuture<Void> apply(
      UpdateConfigRequest request, String caller, StreamObserver<UpdateConfigResponse> observer) {
    long start = System.nanoTime();
    SimConfigStore config = agent.config();
    Optional<ConfigState> already;
    try {
      already = config.check(request);
    } catch (SimConfigStore.VersionConflictException e) {
      runtime.counters.conflicts.incrementAndGet();
      safely(
          () ->
              observer.onError(
                  Status.FAILED_PRECONDITION.withDescription(e.getMessage()).asRuntimeException()));
      return CompletableFuture.completedFuture(null);
    }
    if (already.isPresent()) {
      runtime.counters.unchanged.incrementAndGet();
      String version = already.get().getVersion();
      respond(observer, ConfigResult.CONFIG_UNCHANGED, version, version, "", start);
      return CompletableFuture.completedFuture(null);
    }
    AgentFaults faults = agent.faults();
    if (faults.diesMidApply()) {
      // Like an agent stopped while applying: it answers as the agent does when interrupted,
      // its server goes away, and (as the agent's journal would on restart) the previous
      // version stays active.
      // Dead before the caller hears of it, so it never sees the agent still serving.
      agent.dieMidApply();
      safely(
          () ->
              observer.onError(
                  Status.UNAVAILABLE
                      .withDescription("agent is shutting down (simulated death mid-apply)")
                      .asRuntimeException()));
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    long delay = delayMillis(faults);
    runtime.scheduler.schedule(
        () -> {
          try {
            finish(request, caller, observer, faults.gateFails(), start);
          } finally {
            done.complete(null);
          }
        },
        delay,
        TimeUnit.MILLISECONDS);
    return done;
  }

  private void finish(
      UpdateConfigRequest request,
      String caller,
      StreamObserver<UpdateConfigResponse> observer,
      boolean gateFails,
      long start) {
    SimConfigStore config = agent.config();
    if (gateFails) {
      String reason = "gate check failed on " + agent.nodeId() + " (simulated fault); restored";
      config.recordRollback(request.getBundle(), caller, reason);
      runtime.counters.rolledBack.incrementAndGet();
      String active = config.current().getVersion();
      respond(observer, ConfigResult.CONFIG_ROLLED_BACK, active, active, reason, start);
      return;
    }
    String previous = config.commit(request.getBundle(), caller);
    runtime.counters.applied.incrementAndGet();
    respond(
        observer,
        ConfigResult.CONFIG_APPLIED,
        request.getBundle().getVersion(),
        previous,
        "",
        start);
  }

  private static long delayMillis(AgentFaults faults) {
    long min = faults.applyDelayMin().toMillis();
    long max = faults.applyDelayMax().toMillis();
    return max <= min ? min : ThreadLocalRandom.current().nextLong(min, max + 1);
  }

  private static void respond(
      StreamObserver<UpdateConfigResponse> observer,
      ConfigResult result,
      String active,
      String previous,
      String reason,
      long start) {
    long nanos = System.nanoTime() - start;
    UpdateConfigResponse response =
        UpdateConfigResponse.newBuilder()
            .setResult(result)
            .setActiveVersion(active)
            .setPreviousVersion(previous)
            .setReason(reason)
            .setDuration(
                com.google.protobuf.Duration.newBuilder()
                    .setSeconds(nanos / 1_000_000_000)
                    .setNanos((int) (nanos % 1_000_000_000)))
            .build();
    safely(
        () -> {
          observer.onNext(response);
          observer.onCompleted();
        });
  }

  /** The caller may have gone (cancelled, or the agent was killed): nothing to answer then. */
  private static void safely(Runnable answer) {
    try {
      answer.run();
    } catch (RuntimeException e) {
      // Call already closed.
    }
  }
}
