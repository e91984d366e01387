package org.debvisor.agentapi;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How the agent applies configuration bundles.
 *
 * @param stateDir where the active version, history, journal and backups live
 * @param allowedRoots bundle files must lie under one of these directories
 * @param maxFileBytes largest single file in a bundle
 * @param maxBundleBytes largest total content of a bundle
 * @param maxFiles most files in a bundle
 * @param historyLimit history entries kept on disk
 * @param allowedUnits glob patterns of systemd units a bundle may reload or restart
 * @param reloadCommand command run to reload a unit; {@code {unit}} is replaced by its name
 * @param restartCommand command run to restart a unit
 * @param unitActiveCommand command whose exit 0 means the unit is active (gate check)
 * @param gateCommands named check commands a bundle's gate may run
 */
public record ConfigSettings(
    Path stateDir,
    List<Path> allowedRoots,
    Integer maxFileBytes,
    Integer maxBundleBytes,
    Integer maxFiles,
    Integer historyLimit,
    List<String> allowedUnits,
    List<String> reloadCommand,
    List<String> restartCommand,
    List<String> unitActiveCommand,
    Map<String, List<String>> gateCommands) {

  public ConfigSettings {
    stateDir = stateDir == null ? Path.of(AgentPaths.CONFIG_STATE_DIR) : stateDir;
    allowedRoots =
        allowedRoots == null ? List.of(Path.of(AgentPaths.MANAGED_DIR)) : List.copyOf(allowedRoots);
    maxFileBytes = maxFileBytes == null ? 1024 * 1024 : maxFileBytes;
    maxBundleBytes = maxBundleBytes == null ? 8 * 1024 * 1024 : maxBundleBytes;
    maxFiles = maxFiles == null ? 256 : maxFiles;
    historyLimit = historyLimit == null ? 1000 : historyLimit;
    allowedUnits = allowedUnits == null ? List.of() : List.copyOf(allowedUnits);
    reloadCommand =
        reloadCommand == null
            ? List.of("systemctl", "reload-or-restart", "{unit}")
            : List.copyOf(reloadCommand);
    restartCommand =
        restartCommand == null
            ? List.of("systemctl", "restart", "{unit}")
            : List.copyOf(restartCommand);
    unitActiveCommand =
        unitActiveCommand == null
            ? List.of("systemctl", "is-active", "--quiet", "{unit}")
            : List.copyOf(unitActiveCommand);
    gateCommands = gateCommands == null ? Map.of() : Map.copyOf(gateCommands);
  }

  /** Defaults for every key. */
  public static ConfigSettings defaults() {
    return new ConfigSettings(null, null, null, null, null, null, null, null, null, null, null);
  }
}
