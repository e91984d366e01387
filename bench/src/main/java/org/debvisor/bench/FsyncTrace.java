package org.debvisor.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Counts the fsync and fdatasync calls a running process makes while some work runs: {@code strace
 * -f -c} attached to every thread of it. Tracing slows the process, so the work it watches is not
 * timed.
 */
final class FsyncTrace {

  private FsyncTrace() {}

  /** Work whose calls are counted. */
  interface Work {
    void run() throws Exception;
  }

  static long count(Process target, Path summary, Work work) throws Exception {
    Process strace =
        new ProcessBuilder(
                "strace",
                "-f",
                "-c",
                "-e",
                "trace=fsync,fdatasync",
                "-o",
                summary.toString(),
                "-p",
                Long.toString(target.pid()))
            .redirectErrorStream(true)
            .redirectOutput(summary.resolveSibling(summary.getFileName() + ".log").toFile())
            .start();
    try {
      // strace attaches to the threads one by one and says nothing when it is done; give it time.
      Thread.sleep(2_000);
      if (!strace.isAlive()) {
        throw new IllegalStateException(
            "strace could not attach to process "
                + target.pid()
                + ": see "
                + summary.getFileName()
                + ".log (is strace installed, ptrace allowed?)");
      }
      work.run();
    } finally {
      // SIGTERM: strace detaches and writes its summary.
      strace.destroy();
      if (!strace.waitFor(30, TimeUnit.SECONDS)) {
        strace.destroyForcibly();
      }
    }
    return calls(summary);
  }

  /** Sums the "calls" column of the fsync and fdatasync rows of a {@code strace -c} summary. */
  static long calls(Path summary) throws IOException {
    long calls = 0;
    for (String line : Files.readAllLines(summary)) {
      String[] f = line.trim().split("\\s+");
      String name = f[f.length - 1];
      if (name.equals("fsync") || name.equals("fdatasync")) {
        // % time, seconds, usecs/call, calls, [errors,] syscall
        calls += Long.parseLong(f[3]);
      }
    }
    return calls;
  }
}
