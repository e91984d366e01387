package org.debvisor.controller.preseed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real debconf-set-selections (package debconf), which this machine has. */
class DebconfCheckTest {

  private static final Path GOLDEN =
      Path.of(System.getProperty("debvisor.goldenDir", "src/test/resources/golden"));

  private final DebconfCheck check = DebconfCheck.system();

  @Test
  void checksRunSideBySideDoNotTripOverDebconfsLock() throws Exception {
    assumeTrue(check.available(), "debconf-set-selections is not installed");
    Path file = GOLDEN.resolve("ceph-amd64.preseed");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<DebconfCheck.Result>> runs = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        runs.add(pool.submit(() -> check.check(file)));
      }
      for (Future<DebconfCheck.Result> run : runs) {
        assertThat(run.get(60, TimeUnit.SECONDS).ok()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void reportsWhatDebconfRefusesAndLeavesTheFileAlone(@TempDir Path dir) throws Exception {
    assumeTrue(check.available(), "debconf-set-selections is not installed");
    Path file = dir.resolve("bad.preseed");
    String text = "d-i a/b string ok\nd-i c\n";
    Files.writeString(file, text);

    DebconfCheck.Result result = check.check(file);

    assertThat(result.ok()).isFalse();
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.output()).contains("parse error on line 2");
    assertThat(Files.readString(file)).isEqualTo(text);
  }
}
