package org.debvisor.controller.preseed;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

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
    Path work = Files.createTempDirectory("debconf-check");
    // Output goes to a file so a chatty tool can never block on a full pipe past the timeout.
    Path log = work.resolve("output.log");
    try {
      ProcessBuilder builder =
          new ProcessBuilder(List.of(tool.toString(), "--checkonly", file.toString()))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      // A throwaway database of its own: the system's is locked while apt or another check runs
      // (debconf then exits 1 without a word), and a check has no business touching it.
      builder.environment().put("DEBCONF_SYSTEMRC", privateDatabase(work).toString());
      Process process = builder.start();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Result(false, -1, tool + " did not finish within 30 s");
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      int code = process.exitValue();
      return new Result(code == 0 && output.isBlank(), code, output.strip());
    } finally {
      try (Stream<Path> files = Files.list(work)) {
        for (Path f : files.toList()) {
          Files.deleteIfExists(f);
        }
      }
      Files.deleteIfExists(work);
    }
  }

  private static Path privateDatabase(Path dir) throws IOException {
    Path conf = dir.resolve("debconf.conf");
    Files.writeString(
        conf,
        String.join(
            "\n",
            "Config: configdb",
            "Templates: templatedb",
            "",
            "Name: configdb",
            "Driver: File",
            "Filename: " + dir.resolve("config.dat"),
            "",
            "Name: templatedb",
            "Driver: File",
            "Filename: " + dir.resolve("templates.dat"),
            ""),
        StandardCharsets.UTF_8);
    return conf;
  }
}
