package org.debvisor.agent.server;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.debvisor.agent.config.ConfigStorageException;
import org.debvisor.agent.config.ConfigStore;
import org.debvisor.agent.config.ConfigUpdater;
import org.debvisor.common.auth.CallerIdentity;
import org.debvisor.common.violation.BadRequests;
import org.debvisor.common.violation.Violation;
import org.debvisor.proto.ConfigHistoryRequest;
import org.debvisor.proto.ConfigHistoryResponse;
import org.debvisor.proto.ConfigState;
import org.debvisor.proto.GetConfigRequest;
import org.debvisor.proto.UpdateConfigRequest;
import org.debvisor.proto.UpdateConfigResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configuration half of {@code debvisor.Node}: turns updater outcomes and failures into gRPC
 * answers. Updates block (fsync, service reloads, the gate), so they run on their own executor,
 * never on the event loop.
 */
final class ConfigRpcs {

  private static final Logger log = LoggerFactory.getLogger(ConfigRpcs.class);

  /** Time an apply needs besides the gate window: fsyncs and service reloads. */
  static final Duration APPLY_ALLOWANCE = Duration.ofSeconds(5);

  private static final int MAX_HISTORY = 1000;
  private static final int DEFAULT_HISTORY = 100;

  private final ConfigUpdater updater;
  private final ConfigStore store;
  private final ExecutorService executor;

  ConfigRpcs(ConfigUpdater updater, ConfigStore store, ExecutorService executor) {
    this.updater = updater;
    this.store = store;
    this.executor = executor;
  }

  void update(UpdateConfigRequest request, StreamObserver<UpdateConfigResponse> observer) {
    Deadline deadline = Context.current().getDeadline();
    Duration needed = ConfigUpdater.gateWindow(request).plus(APPLY_ALLOWANCE);
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
    // Once started, an update runs to commit or rollback even if the caller goes away.
    Context detached = Context.current().fork();
    try {
      executor.execute(
          detached.wrap(
              () -> {
                try {
                  observer.onNext(updater.update(request, caller));
                  observer.onCompleted();
                  finishCommit();
                } catch (ConfigUpdater.InvalidBundleException e) {
                  observer.onError(invalid(e.violations()));
                } catch (ConfigUpdater.VersionConflictException e) {
                  observer.onError(
                      Status.FAILED_PRECONDITION
                          .withDescription(e.getMessage())
                          .asRuntimeException());
                } catch (IOException e) {
                  observer.onError(ioFailure(e));
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  observer.onError(
                      Status.UNAVAILABLE
                          .withDescription("agent is shutting down")
                          .asRuntimeException());
                } catch (RuntimeException e) {
                  log.error("configuration update failed", e);
                  observer.onError(
                      Status.INTERNAL.withDescription(e.toString()).asRuntimeException());
                }
              }));
    } catch (RejectedExecutionException e) {
      observer.onError(
          Status.UNAVAILABLE.withDescription("agent is shutting down").asRuntimeException());
    }
  }

  /** The commit's writes after its commit point, once the caller has its answer. */
  private void finishCommit() {
    try {
      updater.finishCommit();
    } catch (IOException | RuntimeException e) {
      // The answer is sent: the failure can only be logged, and the next update reports it.
      log.error(
          "writing current.json and the history line after a commit failed: {}; the committed"
              + " journal keeps the commit, and the agent finishes it when restarted (updates"
              + " are refused until then)",
          e.toString());
    }
  }

  void get(GetConfigRequest request, StreamObserver<ConfigState> observer) {
    observer.onNext(store.current());
    observer.onCompleted();
  }

  void history(ConfigHistoryRequest request, StreamObserver<ConfigHistoryResponse> observer) {
    if (request.getLimit() > MAX_HISTORY) {
      observer.onError(BadRequests.invalidArgument("limit", "must be at most " + MAX_HISTORY));
      return;
    }
    int limit = request.getLimit() == 0 ? DEFAULT_HISTORY : request.getLimit();
    observer.onNext(ConfigHistoryResponse.newBuilder().addAllEntries(store.history(limit)).build());
    observer.onCompleted();
  }

  private static StatusRuntimeException invalid(List<Violation> violations) {
    return BadRequests.invalidArgument(
        violations.size() + " problem(s): " + Violation.summary(violations), violations);
  }

  /** Disk full is a resource the operator must free; anything else is the node's fault. */
  private static StatusRuntimeException ioFailure(IOException e) {
    boolean noSpace = e instanceof ConfigStorageException storage && storage.noSpace();
    return (noSpace ? Status.RESOURCE_EXHAUSTED : Status.INTERNAL)
        .withDescription("configuration not changed: " + e.getMessage())
        .asRuntimeException();
  }
}
