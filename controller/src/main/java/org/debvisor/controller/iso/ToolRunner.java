package org.debvisor.controller.iso;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.debvisor.controller.mirror.IsoBuildException;

/** Runs an external tool with a fixed, reproducible environment; failures carry its stderr. */
public final class ToolRunner {

  private static final long TIMEOUT_MINUTES = 10;

  private final Map<String, String> environment;

  /**
   * @param sourceDateEpoch exported as SOURCE_DATE_EPOCH to every tool
   */
  public ToolRunner(long sourceDateEpoch) {
    this.environment =
        Map.of("SOURCE_DATE_EPOCH", Long.toString(sourceDateEpoch), "LC_ALL", "C", "TZ", "UTC");
  }

  /** Runs {@code command} in {@code workDir}; returns its standard output. */
  public String run(List<String> command, Path workDir) throws IsoBuildException {
    String tool = command.getFirst();
    Path out = null;
    Path err = null;
    try {
      out = Files.createTempFile("debvisor-tool", ".out");
      err = Files.createTempFile("debvisor-tool", ".err");
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(workDir.toFile())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile());
      builder.environment().putAll(environment);
      Process process = builder.start();
      if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IsoBuildException(tool + " did not finish within " + TIMEOUT_MINUTES + " min");
      }
      String stderr = Files.readString(err, StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new IsoBuildException(
            tool
                + " failed (exit "
                + process.exitValue()
                + "): "
                + tail(stderr)
                + "\n  command: "
                + String.join(" ", command));
      }
      return Files.readString(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IsoBuildException(
          "cannot run " + tool + " (is it installed?): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IsoBuildException(tool + " interrupted", e);
    } finally {
      deleteQuietly(out);
      deleteQuietly(err);
    }
  }

  private static String tail(String text) {
    List<String> lines = text.strip().lines().toList();
    return String.join("\n  ", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // a leftover temp file is harmless
      }
    }
  }
}
