package org.debvisor.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.debvisor.agentapi.bundle.BundleValidator;
import org.debvisor.proto.ConfigBundle;
import org.debvisor.proto.ConfigFile;
import org.debvisor.proto.ConfigHistoryEntry;
import org.debvisor.proto.ConfigResult;
import org.debvisor.proto.ConfigState;

/**
 * Bundles whose every file says which version it belongs to, and the check that the disk, the
 * active version and the history agree after a crash and recovery.
 *
 * <p>Versions starting with "w" are wide: they change the modes and add {@code new/deep/c.conf} in
 * directories that may not exist yet; versions starting with "n" are narrow (two files).
 */
final class CrashScenario {

  private final Path root;

  CrashScenario(Path root) {
    this.root = root;
  }

  static boolean isWide(String version) {
    return version.startsWith("w");
  }

  ConfigBundle bundle(String version) {
    List<ConfigFile> files = new ArrayList<>();
    for (String name : names(version)) {
      files.add(
          TestBundles.file(
              root.resolve(name).toString(), expectedContent(version, name), mode(version, name)));
    }
    return ConfigBundle.newBuilder().setVersion(version).addAllFiles(files).build();
  }

  private static List<String> names(String version) {
    return isWide(version)
        ? List.of("a.conf", "sub/b.conf", "new/deep/c.conf")
        : List.of("a.conf", "sub/b.conf");
  }

  static byte[] expectedContent(String version, String name) {
    StringBuilder s = new StringBuilder("version=" + version + "\nfile=" + name + "\n");
    for (int i = 0; i < 200; i++) {
      s.append(version).append(':').append(name).append(':').append(i).append('\n');
    }
    return s.toString().getBytes(StandardCharsets.UTF_8);
  }

  static int mode(String version, String name) {
    if (name.startsWith("new/")) {
      return 0604;
    }
    return isWide(version) ? 0600 : (name.equals("a.conf") ? 0644 : 0640);
  }

  /** The version a file's content claims, or null when it has no version line. */
  static String claimedVersion(byte[] content) {
    String text = new String(content, StandardCharsets.UTF_8);
    if (!text.startsWith("version=") || text.indexOf('\n') < 0) {
      return null;
    }
    return text.substring("version=".length(), text.indexOf('\n'));
  }

  /**
   * Asserts every file is entirely one version's, all of the active version's files agree with it,
   * no transaction leftovers remain and the history ends with that version.
   */
  void assertConsistent(ConfigStore store, Path stateDir) throws IOException {
    ConfigState current = store.current();
    String version = current.getVersion();
    assertThat(version).as("a version is always active after the baseline").isNotEmpty();
    for (String name : names(version)) {
      Path file = root.resolve(name);
      assertThat(Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)).as(name).isTrue();
      assertThat(Files.readAllBytes(file))
          .as("%s belongs entirely to the active version %s", name, version)
          .isEqualTo(expectedContent(version, name));
      assertThat(TestBundles.mode(file)).as("mode of %s", name).isEqualTo(mode(version, name));
    }
    assertThat(current.getFilesList()).hasSize(names(version).size());
    for (var checksum : current.getFilesList()) {
      String name = root.relativize(Path.of(checksum.getPath())).toString();
      assertThat(checksum.getSha256())
          .isEqualTo(
              BundleValidator.sha256Hex(
                  com.google.protobuf.ByteString.copyFrom(expectedContent(version, name))));
    }
    if (!isWide(version)) {
      Path c = root.resolve("new/deep/c.conf");
      if (Files.exists(c, LinkOption.NOFOLLOW_LINKS)) {
        byte[] content = Files.readAllBytes(c);
        String older = claimedVersion(content);
        assertThat(older).as("a leftover c.conf comes from a committed wide version").isNotNull();
        assertThat(isWide(older)).isTrue();
        assertThat(content)
            .as("c.conf is entirely %s's", older)
            .isEqualTo(expectedContent(older, "new/deep/c.conf"));
      } else {
        assertThat(root.resolve("new")).as("no c.conf, so no directory made for it").doesNotExist();
      }
    }
    assertThat(TestBundles.snapshot(root).keySet())
        .as("no staged files or backups")
        .noneMatch(n -> n.contains(".debvisor-"));
    assertThat(TestBundles.unfinishedJournals(stateDir)).as("unfinished journals").isEmpty();
    assertHistoryEndsWith(store.history(1000), version);
  }

  private static void assertHistoryEndsWith(List<ConfigHistoryEntry> history, String version) {
    for (ConfigHistoryEntry entry : history) {
      if (entry.getResult() == ConfigResult.CONFIG_APPLIED) {
        assertThat(entry.getVersion())
            .as("newest APPLIED entry is the active version")
            .isEqualTo(version);
        return;
      }
      assertThat(entry.getResult()).isEqualTo(ConfigResult.CONFIG_ROLLED_BACK);
      assertThat(entry.getPreviousVersion())
          .as("a rollback newer than the last apply restored the active version")
          .isEqualTo(version);
    }
    throw new AssertionError("history has no APPLIED entry: " + history);
  }
}
