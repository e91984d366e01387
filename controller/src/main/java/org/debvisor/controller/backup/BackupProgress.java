package org.debvisor.controller.backup;

/** Receives one line per step of a backup or restore, for the operator to follow. */
@FunctionalInterface
public interface BackupProgress {

  /** Prints nothing (tests, {@code -o json} without progress). */
  BackupProgress SILENT = step -> {};

  void step(String message);
}
