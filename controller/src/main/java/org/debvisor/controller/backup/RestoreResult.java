package org.debvisor.controller.backup;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What a restore did, or with {@code dryRun} would do.
 *
 * @param movedAside where the state that was there before went (with --force)
 * @param schemaFrom the backup's schema version
 * @param schemaTo the schema after migration (this build's latest)
 * @param actions the steps, in order, as sentences
 */
public record RestoreResult(
    Path stateDir,
    Path backup,
    BackupManifest manifest,
    Optional<Path> movedAside,
    String schemaFrom,
    String schemaTo,
    boolean dryRun,
    List<String> actions) {

  public RestoreResult {
    actions = List.copyOf(actions);
  }
}
