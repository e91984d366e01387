package org.debvisor.controller.preseed;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs Debian's {@code debconf-set-selections --checkonly} on a preseed file. */
public final class DebconfCheck {

  /**
   * The outcome. {@code ok} means exit 0 and nothing on stderr (debconf only warns on bad types).
   */
  public record Result(boolean ok, int exitCode, String output) {}

  private final Path tool;

  /**
   * @param tool the {@code debconf-set-selections} executable
   */
  public DebconfCheck(Path tool) {
    this.tool = tool;
  }

  /** Debian's usual location. */
  public static DebconfCheck system() {
    return new DebconfCheck(Path.of("/usr/bin/debconf-set-selections"));
  }

  /** Whether the tool is installed (package debconf). */
  public boolean available() {
    return Files.isExecutable(tool);
  }

  /** Checks the file; waits at most 30 s. */
  public Result check(Path file) throws IOException, InterruptedException {
    // Output goes to a file so a chatty tool can never block on a full pipe past the timeout.
    Path log = Files.createTempFile("debconf-check", ".log");
    try {
      Process process =
          new ProcessBuilder(List.of(tool.toString(), "--checkonly", file.toString()))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Result(false, -1, tool + " did not finish within 30 s");
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      int code = process.exitValue();
      return new Result(code == 0 && output.isBlank(), code, output.strip());
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
