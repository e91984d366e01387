package org.debvisor.controller.cli;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the controller keeps its state: an explicit option, else $DEBVISOR_STATE_DIR, else the
 * default.
 */
final class StateDirectory {

  static final String DEFAULT = "/var/lib/debvisor-controller";
  static final String ENV = "DEBVISOR_STATE_DIR";

  private StateDirectory() {}

  static Path resolve(Path option, Map<String, String> env) {
    if (option != null) {
      return option;
    }
    String fromEnv = env.get(ENV);
    return Path.of(fromEnv == null || fromEnv.isBlank() ? DEFAULT : fromEnv);
  }
}
