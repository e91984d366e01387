package org.debvisor.agent.config;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.debvisor.agent.report.StatusBoard;
import org.debvisor.agentapi.bundle.BundleValidator;
import org.debvisor.common.violation.Violation;
import org.debvisor.proto.ConfigBundle;
import org.debvisor.proto.ConfigFile;
import org.debvisor.proto.ConfigResult;
import org.debvisor.proto.ConfigState;
import org.debvisor.proto.FileChecksum;
import org.debvisor.proto.NodeStatus;
import org.debvisor.proto.ServiceAction;
import org.debvisor.proto.UpdateConfigRequest;
import org.debvisor.proto.UpdateConfigResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One configuration update from request to outcome: validate everything, check the expected
 * version, apply crash-safely, reload services, run the health gate, then keep the new version or
 * restore the old one. Updates are serialised.
 */
public final class ConfigUpdater {

  private static final Logger log = LoggerFactory.getLogger(ConfigUpdater.class);

  private final BundleValidator validator;
  private final ConfigStore store;
  private final ServiceReloader reloader;
  private final HealthGateRunner gate;
  private final StatusBoard board;
  private final Map<String, Counter> outcomes;
  private final Object lock = new Object();

  /**
   * @param validator built from the same settings as {@code store}: the store applies what it
   *     passed without validating it again
   */
  public ConfigUpdater(
      BundleValidator validator,
      ConfigStore store,
      ServiceReloader reloader,
      HealthGateRunner gate,
      StatusBoard board,
      MeterRegistry registry) {
    this.validator = validator;
    this.store = store;
    this.reloader = reloader;
    this.gate = gate;
    this.board = board;
    this.outcomes =
        List.of("applied", "unchanged", "rolled_back", "rejected", "conflict", "failed").stream()
            .collect(
                Collectors.toMap(
                    o -> o,
                    o ->
                        Counter.builder("debvisor.config.updates")
                            .description("Configuration updates by outcome")
                            .tag("result", o)
                            .register(registry)));
  }

  /** The request breaks rules; nothing was changed. */
  public static final class InvalidBundleException extends Exception {
    private final List<Violation> violations;

    public InvalidBundleException(List<Violation> violations) {
      super(
          violations.stream()
              .map(v -> v.field() + ": " + v.rule())
              .collect(Collectors.joining("; ")));
      this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
      return violations;
    }
  }

  /** The caller's idea of the active version is stale; nothing was changed. */
  public static final class VersionConflictException extends Exception {
    public VersionConflictException(String message) {
      super(message);
    }
  }

  /** Longest the gate may take; callers' deadlines must leave room for it. */
  public static Duration gateWindow(UpdateConfigRequest request) {
    var w = request.getBundle().getGate().getWindow();
    return Duration.ofSeconds(w.getSeconds(), w.getNanos());
  }

  /**
   * Runs the update.
   *
   * @param caller authenticated identity, recorded in the history
   * @throws InvalidBundleException bad input, before or at apply time; nothing changed
   * @throws VersionConflictException stale expected version; nothing changed
   * @throws IOException the files could not be written (e.g. disk full); the old version is intact
   */
  public UpdateConfigResponse update(UpdateConfigRequest request, String caller)
      throws InvalidBundleException, VersionConflictException, IOException, InterruptedException {
    long start = System.nanoTime();
    ConfigBundle bundle = request.getBundle();
    List<Violation> violations = new ArrayList<>(validator.validate(bundle));
    violations.addAll(reloader.validate(bundle.getServicesList()));
    violations.addAll(gate.validate(bundle.getGate()));
    if (!violations.isEmpty()) {
      count("rejected");
      throw new InvalidBundleException(violations);
    }
    synchronized (lock) {
      ConfigState active = store.current();
      if (bundle.getVersion().equals(active.getVersion())) {
        if (!sameFiles(active, bundle)) {
          count("conflict");
          throw new VersionConflictException(
              "version "
                  + bundle.getVersion()
                  + " is already active with different files; give a changed bundle a new version");
        }
        count("unchanged");
        return response(
            ConfigResult.CONFIG_UNCHANGED, active.getVersion(), active.getVersion(), "", start);
      }
      if (!request.getExpectedCurrentVersion().equals(active.getVersion())) {
        count("conflict");
        throw new VersionConflictException(
            "expected_current_version is '"
                + request.getExpectedCurrentVersion()
                + "' but '"
                + active.getVersion()
                + "' is active; read it with GetConfig and retry");
      }
      NodeStatus before = board.current();
      ApplyHandle handle;
      try {
        handle = store.applyValidated(bundle);
      } catch (BundleRejectedException e) {
        count("rejected");
        throw new InvalidBundleException(e.violations());
      } catch (IOException e) {
        count("failed");
        throw e;
      }
      Optional<String> failure;
      try {
        reloader.apply(bundle.getServicesList());
        failure = gate.run(bundle.getGate(), before);
      } catch (ServiceReloader.ServiceReloadException e) {
        failure = Optional.of(e.getMessage());
      }
      if (failure.isEmpty()) {
        // The caller has its answer before current.json and the history line are written (the
        // committed journal covers them): the RPC layer calls finishCommit() after replying.
        handle.commitLeavingTail(caller);
        setConfigVersion(bundle.getVersion());
        count("applied");
        log.info("configuration {} applied for {}", bundle.getVersion(), caller);
        return response(
            ConfigResult.CONFIG_APPLIED, bundle.getVersion(), active.getVersion(), "", start);
      }
      String reason = failure.get();
      handle.rollBack(caller, reason);
      try {
        reloader.apply(bundle.getServicesList());
      } catch (ServiceReloader.ServiceReloadException e) {
        reason += "; reloading after the rollback also failed: " + e.getMessage();
      }
      count("rolled_back");
      log.warn("configuration {} rolled back for {}: {}", bundle.getVersion(), caller, reason);
      return response(
          ConfigResult.CONFIG_ROLLED_BACK, active.getVersion(), active.getVersion(), reason, start);
    }
  }

  /**
   * Writes what the last update's commit left after its commit point (see {@link
   * ConfigStore#finishCommit}); call after answering the update.
   */
  public void finishCommit() throws IOException {
    store.finishCommit();
  }

  /**
   * Finishes or undoes an apply a crash interrupted, reloads the services of an apply it rolled
   * back (as after a failed gate: they may run the configuration that was just undone), logs what
   * it did in one line, and reports the active version.
   */
  public RecoveryOutcome recover() throws IOException, InterruptedException {
    synchronized (lock) {
      RecoveryOutcome outcome = store.recover();
      setConfigVersion(store.current().getVersion());
      switch (outcome.action()) {
        case NOTHING_TO_DO -> {}
        case COMMITTED -> log.info("configuration recovery: {}", outcome.detail());
        case DISCARDED -> log.warn("configuration recovery: {}", outcome.detail());
        case ROLLED_BACK -> {
          String reload = reloadAfterRecovery(outcome);
          log.warn("configuration recovery: {}; {}", outcome.detail(), reload);
        }
      }
      return outcome;
    }
  }

  private String reloadAfterRecovery(RecoveryOutcome outcome) throws InterruptedException {
    if (outcome.services().isEmpty()) {
      return "no services to reload";
    }
    String units =
        outcome.services().stream().map(ServiceAction::getUnit).collect(Collectors.joining(", "));
    try {
      reloader.apply(outcome.services());
      return "reloaded " + units;
    } catch (ServiceReloader.ServiceReloadException e) {
      return "reloading " + units + " after the rollback failed: " + e.getMessage();
    }
  }

  private void setConfigVersion(String version) {
    board.updateIdentity(board.current().getNode().toBuilder().setConfigVersion(version).build());
  }

  private static boolean sameFiles(ConfigState active, ConfigBundle bundle) {
    Map<String, String> activeSums =
        active.getFilesList().stream()
            .collect(Collectors.toMap(FileChecksum::getPath, FileChecksum::getSha256));
    Map<String, String> bundleSums =
        bundle.getFilesList().stream()
            .collect(Collectors.toMap(ConfigFile::getPath, ConfigFile::getSha256, (a, b) -> a));
    return activeSums.equals(bundleSums);
  }

  private void count(String outcome) {
    outcomes.get(outcome).increment();
  }

  private static UpdateConfigResponse response(
      ConfigResult result, String activeVersion, String previous, String reason, long start) {
    long nanos = System.nanoTime() - start;
    return UpdateConfigResponse.newBuilder()
        .setResult(result)
        .setActiveVersion(activeVersion)
        .setPreviousVersion(previous)
        .setReason(reason)
        .setDuration(
            com.google.protobuf.Duration.newBuilder()
                .setSeconds(nanos / 1_000_000_000)
                .setNanos((int) (nanos % 1_000_000_000)))
        .build();
  }
}
