package org.debvisor.controller.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import org.debvisor.controller.buildmetrics.BuildOutcome;
import org.debvisor.controller.buildmetrics.BuildTextfile;

/** Writes {@code --metrics-textfile} for the build commands. */
final class BuildTextfiles {

  private BuildTextfiles() {}

  /**
   * Records the build; a file that cannot be written is a warning, not a failed build (the artifact
   * is there either way).
   */
  static void record(Path file, BuildOutcome outcome, PrintWriter err) {
    try {
      new BuildTextfile(file).record(outcome);
    } catch (IOException e) {
      err.println(
          "warning: "
              + e.getMessage()
              + " (check --metrics-textfile: its directory must exist and be writable)");
      err.flush();
    }
  }
}
