package org.debvisor.controller.server;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The phases an installer reports, in the order an install passes them. */
enum InstallPhase {
  STARTED("started"),
  PARTITIONING("partitioning"),
  INSTALLING_BASE("installing-base"),
  INSTALLING_PACKAGES("installing-packages"),
  CONFIGURING("configuring"),
  FINISHED("finished"),
  FAILED("failed");

  private final String wireName;

  InstallPhase(String wireName) {
    this.wireName = wireName;
  }

  String wireName() {
    return wireName;
  }

  /** An install in this phase has stopped: it ends with an audit entry. */
  boolean isFinal() {
    return this == FINISHED || this == FAILED;
  }

  static Optional<InstallPhase> parse(String text) {
    return Arrays.stream(values()).filter(p -> p.wireName.equals(text)).findFirst();
  }

  static List<String> wireNames() {
    return Arrays.stream(values()).map(InstallPhase::wireName).toList();
  }
}
