package org.debvisor.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.debvisor.agent.config.TestBundles.bundle;
import static org.debvisor.agent.config.TestBundles.file;
import static org.debvisor.agent.config.TestBundles.snapshot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.debvisor.agentapi.ConfigSettings;
import org.debvisor.proto.ConfigBundle;
import org.debvisor.proto.ConfigHistoryEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The allowed root is a 1 MiB tmpfs the test fills up; an apply that does not fit must fail. */
@Timeout(60)
class DiskFullTest {

  private static Path base;
  private static Path mountPoint;
  private static boolean mounted;

  @BeforeAll
  static void mountSmallTmpfs() throws Exception {
    base = Files.createTempDirectory("debvisor-diskfull-");
    mountPoint = Files.createDirectory(base.resolve("tmpfs"));
    Result mount =
        run("mount", "-t", "tmpfs", "-o", "size=1m,mode=0755", "tmpfs", mountPoint.toString());
    if (mount.exit() != 0) {
      fail(
          "this test needs to mount a 1 MiB tmpfs (root or CAP_SYS_ADMIN); mount said: "
              + mount.output());
    }
    mounted = true;
  }

  @AfterAll
  static void unmount() throws Exception {
    if (mounted && run("umount", mountPoint.toString()).exit() != 0) {
      run("umount", "-l", mountPoint.toString());
    }
    try (var walk = Files.walk(base)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private record Result(int exit, String output) {}

  private static Result run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return new Result(-1, String.join(" ", command) + " did not finish in 20 s");
    }
    return new Result(
        process.exitValue(),
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  /** Writes until the file system refuses; returns the bytes written. */
  private static long fill(Path filler) throws IOException {
    long written = 0;
    ByteBuffer chunk = ByteBuffer.allocate(16 * 1024);
    try (FileChannel channel =
        FileChannel.open(filler, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      for (int i = 0; i < 1024; i++) {
        chunk.clear();
        written += channel.write(chunk);
      }
    } catch (IOException e) {
      assertThat(e.getMessage()).contains("No space left on device");
      return written;
    }
    throw new AssertionError("16 MiB fit into a 1 MiB tmpfs");
  }

  @Test
  void anApplyThatDoesNotFitFailsClearlyAndLeavesTheOldVersion() throws Exception {
    Path state = base.resolve("state");
    ConfigSettings settings =
        TestBundles.settings(state, mountPoint, 512 * 1024, 1024 * 1024, 8, 10);
    ConfigStore store = new ConfigStore(settings, Clock.systemUTC());
    store.recover();
    String a = mountPoint.resolve("a.conf").toString();
    String b = mountPoint.resolve("b.conf").toString();
    store.apply(bundle("v1", file(a, "old a\n", 0644), file(b, "old b\n", 0600))).commit("c");
    Path filler = mountPoint.resolve("filler");
    assertThat(fill(filler)).isPositive();
    Map<String, String> before = snapshot(mountPoint);

    ConfigBundle big =
        bundle(
            "v2",
            file(a, "new a\n", 0644),
            file(b, "x".repeat(300 * 1024), 0600),
            file(mountPoint.resolve("new/dir/c.conf").toString(), "c", 0644));
    ConfigStorageException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ConfigStorageException.class, () -> store.apply(big));

    System.out.println("apply on a full disk: " + e.getMessage());
    assertThat(e.noSpace()).isTrue();
    assertThat(e.getMessage())
        .matches(
            "cannot (stage|create directory|back up) "
                + mountPoint
                + "/\\S+: no space left on device \\(.*\\)");
    assertThat(snapshot(mountPoint)).as("old files intact, nothing staged left").isEqualTo(before);
    assertThat(store.current().getVersion()).isEqualTo("v1");
    assertThat(store.history(10)).extracting(ConfigHistoryEntry::getVersion).containsExactly("v1");
    assertThat(TestBundles.unfinishedJournals(state)).isEmpty();
    ConfigStore restarted = new ConfigStore(settings, Clock.systemUTC());
    assertThat(restarted.recover().action()).isEqualTo(RecoveryOutcome.Action.NOTHING_TO_DO);

    Files.delete(filler);
    store.apply(big).commit("c");
    assertThat(Files.size(Path.of(b))).isEqualTo(300 * 1024);
    assertThat(store.current().getVersion()).isEqualTo("v2");
  }
}
