package org.debvisor.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.debvisor.agent.config.TestBundles.bundle;
import static org.debvisor.agent.config.TestBundles.file;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.debvisor.agentapi.ConfigSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * How often an apply waits for the disk: the durability cost the UpdateConfig benchmark measures,
 * counted on a real file system so a change that adds a wait or an fsync shows here.
 */
@Timeout(60)
class GroupedFsyncTest {

  @TempDir Path base;

  @Test
  void anApplyAndItsCommitWaitForTheDiskTwice() throws Exception {
    Path root = Files.createDirectory(base.resolve("managed"));
    ConfigSettings settings = TestBundles.settings(base.resolve("state"), root);
    FsyncCounter fsyncs = new FsyncCounter();
    ConfigStore store =
        new ConfigStore(
            settings,
            Clock.systemUTC(),
            FileOwnership.forThisProcess(),
            ApplyStepListener.NONE,
            fsyncs);
    store.recover();
    String target = root.resolve("app.conf").toString();
    // The first apply creates the history file; measure a later one, as the benchmark does.
    store.apply(bundle("v1", file(target, "one\n", 0644))).commit("test");
    long fsyncsBefore = fsyncs.fsyncs();
    long groupsBefore = fsyncs.groups();

    store.apply(bundle("v2", file(target, "two\n", 0644))).commit("test");

    // Before the switch: the journal, the state directory (its name), v1's history line, the staged
    // file, the target directory (backup link, staged name, v1's switch and dropped backup). Then
    // the commit point: the journal's COMMITTED line. current.json, the history line and the
    // dropped backup are left to the next apply's first wait, covered by the journal meanwhile.
    assertThat(fsyncs.groups() - groupsBefore).isEqualTo(2);
    assertThat(fsyncs.fsyncs() - fsyncsBefore).isEqualTo(6);
    assertThat(Files.readString(Path.of(target))).isEqualTo("two\n");
    assertThat(store.current().getVersion()).isEqualTo("v2");
    assertThat(store.history(10)).hasSize(2);
    try (var entries = Files.list(root)) {
      assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("app.conf");
    }
    assertThat(TestBundles.unfinishedJournals(base.resolve("state"))).isEmpty();
  }
}
