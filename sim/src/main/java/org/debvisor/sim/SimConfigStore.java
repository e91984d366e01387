package org.debvisor.sim;

import com.google.protobuf.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.debvisor.proto.ConfigBundle;
import org.debvisor.proto.ConfigFile;
import org.debvisor.proto.ConfigHistoryEntry;
import org.debvisor.proto.ConfigResult;
import org.debvisor.proto.ConfigState;
import org.debvisor.proto.FileChecksum;
import org.debvisor.proto.UpdateConfigRequest;

/**
 * One simulated node's configuration in memory: the active version with its file checksums and a
 * bounded history. The version rules are the agent's (ConfigUpdater): the same version with the
 * same files is UNCHANGED, with other files a conflict; otherwise expected_current_version must
 * name the active version. Callers serialise updates (one at a time per node).
 */
final class SimConfigStore {

  /** The request's idea of the active version is stale, or its version is taken. */
  static final class VersionConflictException extends Exception {
    VersionConflictException(String message) {
      super(message);
    }
  }

  private static final int MAX_HISTORY = 1000;

  private final Clock clock;
  private final Deque<ConfigHistoryEntry> history = new ArrayDeque<>();
  private ConfigState active;

  SimConfigStore(Clock clock) {
    this.clock = clock;
    this.active = ConfigState.getDefaultInstance();
  }

  synchronized ConfigState current() {
    return active;
  }

  /** Newest first, at most {@code limit}. */
  synchronized List<ConfigHistoryEntry> history(int limit) {
    return history.stream().limit(limit).toList();
  }

  /**
   * Checks the request against the active version.
   *
   * @return empty when the bundle should be applied; the active state when it is already active
   * @throws VersionConflictException with the agent's message, nothing changed
   */
  synchronized Optional<ConfigState> check(UpdateConfigRequest request)
      throws VersionConflictException {
    ConfigBundle bundle = request.getBundle();
    if (bundle.getVersion().equals(active.getVersion())) {
      if (!sameFiles(active, bundle)) {
        throw new VersionConflictException(
            "version "
                + bundle.getVersion()
                + " is already active with different files; give a changed bundle a new version");
      }
      return Optional.of(active);
    }
    if (!request.getExpectedCurrentVersion().equals(active.getVersion())) {
      throw new VersionConflictException(
          "expected_current_version is '"
              + request.getExpectedCurrentVersion()
              + "' but '"
              + active.getVersion()
              + "' is active; read it with GetConfig and retry");
    }
    return Optional.empty();
  }

  /** Makes {@code bundle} active and records it; returns the version it replaced. */
  synchronized String commit(ConfigBundle bundle, String caller) {
    String previous = active.getVersion();
    Instant now = clock.instant();
    ConfigState.Builder next = ConfigState.newBuilder().setVersion(bundle.getVersion());
    for (ConfigFile file : bundle.getFilesList()) {
      next.addFiles(
          FileChecksum.newBuilder()
              .setPath(file.getPath())
              .setSha256(file.getSha256())
              .setMode(file.getMode()));
    }
    active = next.setAppliedAt(timestamp(now)).build();
    record(bundle.getVersion(), caller, ConfigResult.CONFIG_APPLIED, "", previous, now);
    return previous;
  }

  /** Records a bundle that was tried and rolled back; the active version stays. */
  synchronized void recordRollback(ConfigBundle bundle, String caller, String reason) {
    record(
        bundle.getVersion(),
        caller,
        ConfigResult.CONFIG_ROLLED_BACK,
        reason,
        active.getVersion(),
        clock.instant());
  }

  private void record(
      String version,
      String caller,
      ConfigResult result,
      String reason,
      String previous,
      Instant at) {
    history.addFirst(
        ConfigHistoryEntry.newBuilder()
            .setVersion(version)
            .setAt(timestamp(at))
            .setCaller(caller)
            .setResult(result)
            .setReason(reason)
            .setPreviousVersion(previous)
            .build());
    while (history.size() > MAX_HISTORY) {
      history.removeLast();
    }
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

  private static Timestamp timestamp(Instant at) {
    return Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()).build();
  }
}
