package org.debvisor.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The raw durable write that UpdateConfig is measured against, back to back and paced. */
class DurableWriteBaselineTest {

  @TempDir Path dir;

  @Test
  void pacedWritesKeepToTheirRateAndLeaveTheLastVersion() throws Exception {
    LoadResult paced = DurableWriteBaseline.runAtRate(dir, 50, Duration.ofSeconds(1));

    // One write every 20 ms for a second: never more than the 50 slots that fit (fewer when the
    // disk stalls, which it does here at times).
    assertThat(paced.requests()).isBetween(1L, 51L);
    assertThat(paced.scenario()).isEqualTo("write+fsync+rename+dir fsync, 1 writer, 50/s");
    assertThat(paced.target()).isEqualTo("baseline");
    assertThat(Files.readString(dir.resolve("baseline.conf")))
        .startsWith("setting = " + (paced.requests() - 1) + "\n");
    assertThat(dir.resolve(".baseline.conf.new")).doesNotExist();
  }

  @Test
  void backToBackWritesLeaveTheLastVersion() throws Exception {
    LoadResult raw = DurableWriteBaseline.run(dir, Duration.ofMillis(300));

    assertThat(raw.scenario()).isEqualTo("write+fsync+rename+dir fsync, 1 writer");
    assertThat(raw.requests()).isPositive();
    assertThat(Files.readString(dir.resolve("baseline.conf")))
        .startsWith("setting = " + (raw.requests() - 1) + "\n");
  }
}
