package org.debvisor.agent.collect.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Lists failed systemd units with {@code systemctl}, bounded by a timeout. */
final class FailedUnitsReader {

  private final List<String> command;

  FailedUnitsReader(List<String> command) {
    this.command = List.copyOf(command);
  }

  static FailedUnitsReader systemctl() {
    return new FailedUnitsReader(
        List.of(
            "systemctl", "list-units", "--state=failed", "--no-legend", "--plain", "--no-pager"));
  }

  List<String> read(Duration timeout) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IOException(
            String.join(" ", command) + " did not finish within " + timeout.toMillis() + " ms");
      }
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new IOException(String.join(" ", command) + " exited with " + process.exitValue());
      }
      List<String> units = new ArrayList<>();
      for (String line : out.split("\n")) {
        String trimmed = line.strip();
        if (!trimmed.isEmpty()) {
          units.add(trimmed.split("\\s+")[0].replace("●", "").strip());
        }
      }
      return units;
    } finally {
      process.destroyForcibly();
    }
  }
}
