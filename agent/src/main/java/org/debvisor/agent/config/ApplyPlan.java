package org.debvisor.agent.config;

import java.nio.file.Path;
import java.util.List;
import org.debvisor.proto.ConfigFile;

/**
 * Where each file of a bundle really goes, found by {@link TargetInspector} just before an apply.
 *
 * @param files the bundle's files in bundle order
 * @param newDirs directories to create, shallowest first
 */
record ApplyPlan(List<PlannedFile> files, List<Path> newDirs) {

  ApplyPlan {
    files = List.copyOf(files);
    newDirs = List.copyOf(newDirs);
  }

  /**
   * One file.
   *
   * @param file the bundle's entry
   * @param target its real path: parent directories resolved, the file name itself not followed
   * @param existed whether a regular file is there now
   * @param mode effective permission bits
   */
  record PlannedFile(ConfigFile file, Path target, boolean existed, int mode) {}
}
