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
import org.HdrHistogram.Histogram;

/**
 * The floor under a durable config apply: write a temp file, fsync it, rename it over the target,
 * fsync the directory — nothing else.
 */
final class DurableWriteBaseline {

  private DurableWriteBaseline() {}

  static LoadResult run(Path dir, Duration duration) throws IOException {
    Files.createDirectories(dir);
    Path target = dir.resolve("baseline.conf");
    Path temp = dir.resolve(".baseline.conf.new");
    Histogram latencies = new Histogram(3);
    long count = 0;
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    while (System.nanoTime() < end && count < 1_000_000) {
      long t0 = System.nanoTime();
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
      latencies.recordValue((System.nanoTime() - t0) / 1000);
      count++;
    }
    return LoadResult.of(
        "write+fsync+rename+dir fsync, 1 writer",
        "baseline",
        latencies,
        count,
        0,
        (System.nanoTime() - start) / 1e9);
  }
}
