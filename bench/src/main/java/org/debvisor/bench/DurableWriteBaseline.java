package org.debvisor.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * The floor under a durable config apply: write a temp file, fsync it, rename it over the target,
 * fsync the directory — nothing else.
 */
final class DurableWriteBaseline {

  private DurableWriteBaseline() {}

  /** Back to back, as fast as the disk allows. */
  static LoadResult run(Path dir, Duration duration) throws IOException {
    return run(dir, duration, 0, "write+fsync+rename+dir fsync, 1 writer");
  }

  /**
   * One write every 1/rate seconds, each timed from when it was due, as the open loop times its
   * updates: between writes the thread sleeps, as the agent does between updates that arrive at
   * this rate, so both pay the same wake-ups.
   */
  static LoadResult runAtRate(Path dir, int rate, Duration duration) throws IOException {
    return run(
        dir,
        duration,
        1_000_000_000L / rate,
        "write+fsync+rename+dir fsync, 1 writer, " + rate + "/s");
  }

  private static LoadResult run(Path dir, Duration duration, long period, String scenario)
      throws IOException {
    Files.createDirectories(dir);
    Path target = dir.resolve("baseline.conf");
    Path temp = dir.resolve(".baseline.conf.new");
    Histogram latencies = new Histogram(3);
    long count = 0;
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    while (System.nanoTime() < end && count < 1_000_000) {
      long due = period == 0 ? System.nanoTime() : start + count * period;
      long wait;
      while ((wait = due - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      byte[] content =
          ("setting = " + count + "\n" + "x".repeat(500) + "\n").getBytes(StandardCharsets.UTF_8);
      try (FileChannel ch =
          FileChannel.open(
              temp,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        ch.write(ByteBuffer.wrap(content));
        ch.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
        d.force(true);
      }
      latencies.recordValue((System.nanoTime() - due) / 1000);
      count++;
    }
    return LoadResult.of(
        scenario, "baseline", latencies, count, 0, (System.nanoTime() - start) / 1e9);
  }
}
