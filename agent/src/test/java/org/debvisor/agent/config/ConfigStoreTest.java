package org.debvisor.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.debvisor.agent.config.TestBundles.bundle;
import static org.debvisor.agent.config.TestBundles.file;
import static org.debvisor.agent.config.TestBundles.mode;
import static org.debvisor.agent.config.TestBundles.snapshot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.debvisor.agentapi.ConfigSettings;
import org.debvisor.common.violation.Violation;
import org.debvisor.proto.ConfigBundle;
import org.debvisor.proto.ConfigHistoryEntry;
import org.debvisor.proto.ConfigResult;
import org.debvisor.proto.ConfigState;
import org.debvisor.proto.FileChecksum;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class ConfigStoreTest {

  private static final Instant T0 = Instant.parse("2025-01-02T03:04:05Z");

  @TempDir Path base;
  private Path root;
  private Path outside;
  private Path state;
  private ConfigSettings settings;
  private ConfigStore store;

  @BeforeEach
  void setUp() throws IOException {
    root = Files.createDirectory(base.resolve("managed"));
    outside = Files.createDirectory(base.resolve("outside"));
    Files.writeString(outside.resolve("secret"), "do not touch");
    state = base.resolve("state");
    settings = TestBundles.settings(state, root, 4096, 16384, 16, 5);
    store = open();
    assertThat(store.recover().action()).isEqualTo(RecoveryOutcome.Action.NOTHING_TO_DO);
  }

  private ConfigStore open() throws IOException {
    return new ConfigStore(settings, Clock.fixed(T0, ZoneOffset.UTC));
  }

  private ConfigSettings settingsWithRoot(Path r) {
    return TestBundles.settings(state, r);
  }

  private String p(String relative) {
    return root.resolve(relative).toString();
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  private void assertNoTransactionLeftovers() throws IOException {
    assertThat(snapshot(root).keySet()).noneMatch(name -> name.contains(".debvisor-"));
    assertThat(TestBundles.unfinishedJournals(state)).isEmpty();
  }

  @Test
  void newFilesAppearOnApplyAndBecomeCurrentOnCommit() throws Exception {
    ConfigBundle v1 =
        bundle("v1", file(p("a.conf"), "alpha\n", 0640), file(p("sub/dir/b.conf"), "beta\n", 0));

    ApplyHandle handle = store.apply(v1);

    assertThat(read(root.resolve("a.conf"))).isEqualTo("alpha\n");
    assertThat(read(root.resolve("sub/dir/b.conf"))).isEqualTo("beta\n");
    assertThat(mode(root.resolve("a.conf"))).isEqualTo(0640);
    assertThat(mode(root.resolve("sub/dir/b.conf"))).isEqualTo(0644);
    assertThat(mode(root.resolve("sub"))).isEqualTo(0755);
    assertThat(mode(root.resolve("sub/dir"))).isEqualTo(0755);
    assertThat(handle.version()).isEqualTo("v1");
    assertThat(handle.previousVersion()).isEmpty();
    assertThat(store.current().getVersion()).as("not active before commit").isEmpty();

    ConfigHistoryEntry entry = handle.commit("operator:alice");

    assertThat(entry.getResult()).isEqualTo(ConfigResult.CONFIG_APPLIED);
    assertThat(entry.getCaller()).isEqualTo("operator:alice");
    assertThat(entry.getVersion()).isEqualTo("v1");
    assertThat(entry.getAt().getSeconds()).isEqualTo(T0.getEpochSecond());
    ConfigState current = store.current();
    assertThat(current.getVersion()).isEqualTo("v1");
    assertThat(current.getAppliedAt().getSeconds()).isEqualTo(T0.getEpochSecond());
    assertThat(current.getFilesList())
        .containsExactly(
            FileChecksum.newBuilder()
                .setPath(p("a.conf"))
                .setSha256(v1.getFiles(0).getSha256())
                .setMode(0640)
                .build(),
            FileChecksum.newBuilder()
                .setPath(p("sub/dir/b.conf"))
                .setSha256(v1.getFiles(1).getSha256())
                .setMode(0644)
                .build());
    assertThat(store.current()).as("idempotent").isEqualTo(current);
    assertNoTransactionLeftovers();
  }

  @Test
  void rollBackRestoresContentModeOwnerAndInodeAndRemovesWhatWasNew() throws Exception {
    store.apply(bundle("v1", file(p("a.conf"), "one\n", 0640))).commit("c");
    Path a = root.resolve("a.conf");
    Files.setAttribute(a, "unix:uid", 1234);
    Files.setAttribute(a, "unix:gid", 2345);
    Object inode = Files.readAttributes(a, "unix:ino").get("ino");
    Map<String, String> before = snapshot(root);

    ApplyHandle handle =
        store.apply(
            bundle(
                "v2",
                file(p("a.conf"), "two\n", 0600),
                file(p("new/deeper/c.conf"), "three\n", 0644)));
    assertThat(read(a)).isEqualTo("two\n");
    assertThat(mode(a)).isEqualTo(0600);
    assertThat(Files.getAttribute(a, "unix:uid")).isEqualTo(0);
    assertThat(root.resolve("new/deeper/c.conf")).exists();

    ConfigHistoryEntry entry = handle.rollBack("controller", "check tcp 127.0.0.1:1 failed");

    assertThat(snapshot(root)).isEqualTo(before);
    assertThat(Files.getAttribute(a, "unix:uid")).isEqualTo(1234);
    assertThat(Files.getAttribute(a, "unix:gid")).isEqualTo(2345);
    assertThat(Files.readAttributes(a, "unix:ino").get("ino")).isEqualTo(inode);
    assertThat(root.resolve("new")).doesNotExist();
    assertThat(entry.getResult()).isEqualTo(ConfigResult.CONFIG_ROLLED_BACK);
    assertThat(entry.getVersion()).isEqualTo("v2");
    assertThat(entry.getPreviousVersion()).isEqualTo("v1");
    assertThat(entry.getReason()).isEqualTo("check tcp 127.0.0.1:1 failed");
    assertThat(store.current().getVersion()).isEqualTo("v1");
    assertNoTransactionLeftovers();
  }

  @Test
  void ownerAndGroupAreSetByNameOrNumber() throws Exception {
    assertThat(FileOwnership.forThisProcess().changesOwners())
        .as("these tests run as root (the brief's environment)")
        .isTrue();
    store
        .apply(
            bundle(
                "v1",
                file(p("n.conf"), "x", 0600).toBuilder().setOwner("4321").setGroup("5432").build(),
                file(p("r.conf"), "y", 0644).toBuilder().setOwner("root").setGroup("root").build()))
        .commit("c");

    assertThat(Files.getAttribute(root.resolve("n.conf"), "unix:uid")).isEqualTo(4321);
    assertThat(Files.getAttribute(root.resolve("n.conf"), "unix:gid")).isEqualTo(5432);
    assertThat(Files.getAttribute(root.resolve("r.conf"), "unix:uid")).isEqualTo(0);
  }

  @Test
  void withoutChownTheModeIsStillHonoured() throws Exception {
    ConfigStore noChown =
        new ConfigStore(
            settings, Clock.systemUTC(), new FileOwnership(false), ApplyStepListener.NONE);
    noChown
        .apply(bundle("v1", file(p("m.conf"), "x", 0604).toBuilder().setOwner("4321").build()))
        .commit("c");

    assertThat(mode(root.resolve("m.conf"))).isEqualTo(0604);
    assertThat(Files.getAttribute(root.resolve("m.conf"), "unix:uid")).isEqualTo(0);
  }

  @Test
  void stateSurvivesRestartAndHistoryIsNewestFirstAndCapped() throws Exception {
    for (int i = 1; i <= 7; i++) {
      ApplyHandle h = store.apply(bundle("v" + i, file(p("a.conf"), "content " + i, 0644)));
      if (i == 4) {
        h.rollBack("c", "gate failed");
      } else {
        h.commit("c");
      }
    }
    store.recordUnchanged("v7", "again");

    List<ConfigHistoryEntry> history = store.history(100);
    assertThat(history)
        .extracting(ConfigHistoryEntry::getVersion)
        .containsExactly("v7", "v7", "v6", "v5", "v4");
    assertThat(history)
        .extracting(ConfigHistoryEntry::getResult)
        .containsExactly(
            ConfigResult.CONFIG_UNCHANGED,
            ConfigResult.CONFIG_APPLIED,
            ConfigResult.CONFIG_APPLIED,
            ConfigResult.CONFIG_APPLIED,
            ConfigResult.CONFIG_ROLLED_BACK);
    assertThat(history.get(2).getPreviousVersion()).isEqualTo("v5");
    assertThat(history.get(3).getPreviousVersion()).as("v4 never became active").isEqualTo("v3");
    assertThat(store.history(2)).hasSize(2);
    // The file is compacted only when it reaches twice the limit, so appends stay cheap.
    assertThat(Files.readAllLines(state.resolve("history.jsonl"))).hasSize(8);

    ConfigStore restarted = open();
    assertThat(restarted.recover().action()).isEqualTo(RecoveryOutcome.Action.NOTHING_TO_DO);
    assertThat(restarted.current()).isEqualTo(store.current());
    assertThat(restarted.history(100)).isEqualTo(history);

    for (int i = 0; i < 20; i++) {
      restarted.recordUnchanged("v7", "loop " + i);
      assertThat(Files.readAllLines(state.resolve("history.jsonl"))).hasSizeLessThanOrEqualTo(10);
    }
    assertThat(restarted.history(100))
        .extracting(ConfigHistoryEntry::getCaller)
        .containsExactly("loop 19", "loop 18", "loop 17", "loop 16", "loop 15");
    assertThat(open().history(100)).isEqualTo(restarted.history(100));
  }

  @Test
  void aShorterActiveRecordOverwritesALongerOneWithoutLeavingItsTail() throws Exception {
    store.apply(bundle("v1-" + "x".repeat(60), file(p("a.conf"), "1", 0644))).commit("caller-1");
    long longer = Files.size(state.resolve("current.json"));
    store.apply(bundle("v2", file(p("a.conf"), "2", 0644))).commit("c");

    String text = read(state.resolve("current.json"));
    assertThat(Files.size(state.resolve("current.json"))).isLessThan(longer);
    assertThat(text).doesNotContain("x".repeat(60)).doesNotContain("caller-1");
    assertThat(text.strip()).endsWith("}");
    ConfigStore restarted = open();
    assertThat(restarted.current()).isEqualTo(store.current());
    assertThat(restarted.recover().action()).isEqualTo(RecoveryOutcome.Action.NOTHING_TO_DO);
  }

  @Test
  void aTornHistoryLineIsDroppedOnRestart() throws Exception {
    store.apply(bundle("v1", file(p("a.conf"), "1", 0644))).commit("c");
    byte[] torn = "{\"txn\":\"x\",\"caller\":\"é".getBytes(StandardCharsets.UTF_8);
    Files.write(
        state.resolve("history.jsonl"),
        java.util.Arrays.copyOf(torn, torn.length - 1),
        java.nio.file.StandardOpenOption.APPEND);

    ConfigStore restarted = open();

    assertThat(restarted.history(10))
        .extracting(ConfigHistoryEntry::getVersion)
        .containsExactly("v1");
    restarted.apply(bundle("v2", file(p("a.conf"), "2", 0644))).commit("c");
    assertThat(open().history(10))
        .extracting(ConfigHistoryEntry::getVersion)
        .containsExactly("v2", "v1");
  }

  @Test
  void aSecondApplyWaitsForCommitOrRollbackAndAHandleIsSpentOnce() throws Exception {
    ApplyHandle first = store.apply(bundle("v1", file(p("a.conf"), "1", 0644)));

    assertThatThrownBy(() -> store.apply(bundle("v2", file(p("a.conf"), "2", 0644))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("v1 is applied and awaits commit or rollback");
    first.commit("c");
    assertThatThrownBy(() -> first.rollBack("c", "late")).isInstanceOf(IllegalStateException.class);
    assertThat(read(root.resolve("a.conf"))).isEqualTo("1");
    store.apply(bundle("v2", file(p("a.conf"), "2", 0644))).commit("c");
    assertThat(store.current().getVersion()).isEqualTo("v2");
  }

  @Test
  void anInvalidBundleIsRejectedWithItsFieldsAndWritesNothing() throws Exception {
    Map<String, String> before = snapshot(base);
    ConfigBundle bad =
        bundle("v 1", file(p("ok.conf"), "x", 0644), file(root + "/../outside/secret", "y", 0644));

    assertThatThrownBy(() -> store.apply(bad))
        .isInstanceOf(BundleRejectedException.class)
        .extracting(e -> ((BundleRejectedException) e).violations())
        .asInstanceOf(InstanceOfAssertFactories.list(Violation.class))
        .extracting(Violation::field)
        .containsExactly("bundle.version", "bundle.files[1].path");
    assertThat(snapshot(base)).isEqualTo(before);
  }

  @Test
  void aBundleOfTenThousandFilesIsRefusedOnItsCountAndWritesNothing() throws Exception {
    store.apply(bundle("v1", file(p("kept.conf"), "v1", 0644))).commit("test");
    Map<String, String> before = snapshot(base);
    ConfigBundle.Builder huge = ConfigBundle.newBuilder().setVersion("v2");
    for (int i = 0; i < 10_000; i++) {
      // Valid files, so only the count can be the reason.
      huge.addFiles(file(p("f" + i), "x", 0644));
    }

    BundleRejectedException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            BundleRejectedException.class, () -> store.apply(huge.build()));

    assertThat(e.violations())
        .containsExactly(
            new Violation("bundle.files", "at most 16 files, got 10000; split the bundle"));
    assertThat(snapshot(base)).isEqualTo(before);
    assertThat(store.current().getVersion()).isEqualTo("v1");
    assertThat(store.history(10)).hasSize(1);
  }

  @Test
  void aSymlinkedDirectoryLeadingOutsideIsRefusedAndNothingChanges() throws Exception {
    Files.createSymbolicLink(root.resolve("escape"), outside);
    Files.createDirectory(root.resolve("real"));
    Files.createSymbolicLink(root.resolve("real/nested"), Path.of("../../outside"));
    Map<String, String> before = snapshot(base);
    ConfigBundle bundle =
        bundle(
            "v1",
            file(p("fine/new.conf"), "ok", 0644),
            file(p("escape/secret"), "pwned", 0644),
            file(p("real/nested/deeper/x"), "pwned", 0644));

    BundleRejectedException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            BundleRejectedException.class, () -> store.apply(bundle));

    assertThat(e.violations())
        .extracting(Violation::field)
        .containsExactly("bundle.files[1].path", "bundle.files[2].path");
    assertThat(e.violations())
        .allSatisfy(v -> assertThat(v.rule()).contains("outside the allowed roots"));
    assertThat(snapshot(base)).as("nothing created, not even fine/").isEqualTo(before);
    assertThat(store.current().getVersion()).isEmpty();
  }

  @Test
  void symlinksFifosAndDirectoriesAreNeverReplaced() throws Exception {
    Files.createSymbolicLink(root.resolve("link.conf"), outside.resolve("secret"));
    Files.createDirectory(root.resolve("dir.conf"));
    Process mkfifo = new ProcessBuilder("mkfifo", root.resolve("fifo.conf").toString()).start();
    assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(mkfifo.exitValue()).isZero();
    Files.createSymbolicLink(root.resolve("dangling"), base.resolve("nowhere"));
    Map<String, String> before = snapshot(base);

    BundleRejectedException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            BundleRejectedException.class,
            () ->
                store.apply(
                    bundle(
                        "v1",
                        file(p("link.conf"), "x", 0644),
                        file(p("dir.conf"), "x", 0644),
                        file(p("fifo.conf"), "x", 0644),
                        file(p("dangling/x.conf"), "x", 0644))));

    assertThat(e.violations())
        .containsExactly(
            new Violation("bundle.files[0].path", "is a symbolic link; refusing to replace it"),
            new Violation("bundle.files[1].path", "is a directory; refusing to replace it"),
            new Violation(
                "bundle.files[2].path", "is a device, FIFO or socket; refusing to replace it"),
            new Violation(
                "bundle.files[3].path", root.resolve("dangling") + " is a dangling symbolic link"));
    assertThat(snapshot(base)).isEqualTo(before);
  }

  @Test
  void aSymlinkThatStaysInsideIsFollowedButTwoNamesForOneFileAreRefused() throws Exception {
    Files.createDirectory(root.resolve("real"));
    Files.createSymbolicLink(root.resolve("alias"), Path.of("real"));

    store.apply(bundle("v1", file(p("alias/a.conf"), "via alias", 0644))).commit("c");
    assertThat(read(root.resolve("real/a.conf"))).isEqualTo("via alias");
    assertThat(Files.isSymbolicLink(root.resolve("alias"))).isTrue();
    assertThat(store.current().getFiles(0).getPath()).isEqualTo(p("alias/a.conf"));

    assertThatThrownBy(
            () ->
                store.apply(
                    bundle(
                        "v2",
                        file(p("alias/a.conf"), "1", 0644),
                        file(p("real/a.conf"), "2", 0644))))
        .isInstanceOf(BundleRejectedException.class)
        .hasMessageContaining("bundle.files[1].path: is the same file as bundle.files[0].path");
  }

  @Test
  void aParentThatIsAFileOrAMissingRootIsRefused() throws Exception {
    Files.writeString(root.resolve("plain"), "file");
    assertThatThrownBy(() -> store.apply(bundle("v1", file(p("plain/x"), "x", 0644))))
        .isInstanceOf(BundleRejectedException.class)
        .hasMessageContaining(
            "bundle.files[0].path: " + root.resolve("plain") + " exists and is not a directory");

    Path missingRoot = base.resolve("not-yet");
    ConfigStore other = new ConfigStore(settingsWithRoot(missingRoot), Clock.systemUTC());
    assertThatThrownBy(() -> other.apply(bundle("v1", file(missingRoot + "/x", "x", 0644))))
        .isInstanceOf(BundleRejectedException.class)
        .hasMessageContaining("allowed root " + missingRoot + " is not an existing directory");
    assertThat(missingRoot).doesNotExist();
  }

  @Test
  void aFileOutsideTheBundleIsLeftAlone() throws Exception {
    Files.writeString(root.resolve("unmanaged.conf"), "mine");
    store.apply(bundle("v1", file(p("a.conf"), "1", 0644))).commit("c");
    store.apply(bundle("v2", file(p("b.conf"), "2", 0644))).rollBack("c", "no");

    assertThat(read(root.resolve("unmanaged.conf"))).isEqualTo("mine");
    assertThat(read(root.resolve("a.conf"))).isEqualTo("1");
    assertThat(root.resolve("b.conf")).doesNotExist();
    assertThat(Files.exists(root.resolve("b.conf"), LinkOption.NOFOLLOW_LINKS)).isFalse();
  }

  @Test
  void aCommitLeavingItsTailIsActiveAtOnceAndWritesTheRestWhenFinished() throws Exception {
    store.apply(bundle("v1", file(p("a.conf"), "one\n", 0644))).commit("setup");
    ApplyHandle handle = store.apply(bundle("v2", file(p("a.conf"), "two\n", 0644)));

    handle.commitLeavingTail("controller");

    assertThat(store.current().getVersion()).isEqualTo("v2");
    assertThat(read(root.resolve("a.conf"))).isEqualTo("two\n");
    assertThat(store.history(1))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getVersion()).isEqualTo("v2");
              assertThat(e.getResult()).isEqualTo(ConfigResult.CONFIG_APPLIED);
              assertThat(e.getCaller()).isEqualTo("controller");
            });
    // Left for after the answer: current.json still names v1, the backup and v1's journal remain.
    assertThat(read(state.resolve("current.json"))).contains("\"v1\"").doesNotContain("\"v2\"");
    assertThat(snapshot(root).keySet()).anyMatch(name -> name.endsWith(".old"));
    assertThat(TestBundles.committedJournals(state)).hasSize(2);

    store.finishCommit();
    store.finishCommit(); // nothing left: no second history line

    assertThat(read(state.resolve("current.json"))).contains("\"v2\"");
    assertThat(TestBundles.committedJournals(state)).hasSize(1);
    assertNoTransactionLeftovers();
    assertThat(store.history(10))
        .extracting(ConfigHistoryEntry::getVersion)
        .containsExactly("v2", "v1");
    ConfigStore reopened = open();
    assertThat(reopened.recover().action()).isEqualTo(RecoveryOutcome.Action.NOTHING_TO_DO);
    assertThat(reopened.current().getVersion()).isEqualTo("v2");
  }

  @Test
  void theNextApplyWritesATailLeftBehindFirst() throws Exception {
    store.apply(bundle("v1", file(p("a.conf"), "one\n", 0644))).commitLeavingTail("c1");
    store.apply(bundle("v2", file(p("a.conf"), "two\n", 0644))).commitLeavingTail("c2");

    store.apply(bundle("v3", file(p("a.conf"), "three\n", 0644))).commit("c3");

    assertThat(store.history(10))
        .extracting(ConfigHistoryEntry::getVersion, ConfigHistoryEntry::getCaller)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("v3", "c3"),
            org.assertj.core.groups.Tuple.tuple("v2", "c2"),
            org.assertj.core.groups.Tuple.tuple("v1", "c1"));
    assertThat(read(state.resolve("current.json"))).contains("\"v3\"");
    assertThat(TestBundles.committedJournals(state)).hasSize(1);
    assertNoTransactionLeftovers();
    ConfigStore reopened = open();
    assertThat(reopened.recover().action()).isEqualTo(RecoveryOutcome.Action.NOTHING_TO_DO);
    assertThat(reopened.history(10)).hasSize(3);
  }

  @Test
  void aTailThatCannotBeWrittenRefusesUpdatesUntilRecovered() throws Exception {
    store.apply(bundle("v1", file(p("a.conf"), "one\n", 0644))).commit("setup");
    store.apply(bundle("v2", file(p("a.conf"), "two\n", 0644))).commitLeavingTail("controller");
    Path current = state.resolve("current.json");
    Files.delete(current);
    Files.createDirectory(current); // current.json can no longer be written

    assertThatThrownBy(() -> store.finishCommit()).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> store.apply(bundle("v3", file(p("a.conf"), "three\n", 0644))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("recover()");
    assertThat(read(root.resolve("a.conf"))).isEqualTo("two\n");

    Files.delete(current);
    ConfigStore restarted = open();
    assertThat(restarted.recover().action()).isEqualTo(RecoveryOutcome.Action.COMMITTED);
    assertThat(restarted.current().getVersion()).isEqualTo("v2");
    assertThat(read(current)).contains("\"v2\"");
    assertThat(restarted.history(10))
        .extracting(ConfigHistoryEntry::getVersion)
        .containsExactly("v2", "v1");
  }
}
