package org.debvisor.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.debvisor.agentapi.bundle.AllowedRoots;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Directories opened one component at a time through libc, checked by where the kernel says each
 * descriptor points ({@code /proc/self/fd}) and by the descriptors left open afterwards.
 */
class ConfinedDirectoriesTest {

  @TempDir Path base;

  private final DirectoryCalls calls = new DirectoryCalls();
  private Path root;
  private Path outside;

  @BeforeEach
  void tree() throws IOException {
    root = Files.createDirectories(base.resolve("root")).toRealPath();
    outside = Files.createDirectories(base.resolve("outside")).toRealPath();
    Files.createDirectories(root.resolve("a/b"));
    Files.createSymbolicLink(root.resolve("link"), outside);
    Files.writeString(root.resolve("file"), "x");
  }

  @Test
  void opensTheRootAndDirectoriesBelowIt() throws IOException {
    ConfinedDirectories dirs = new ConfinedDirectories(new AllowedRoots(List.of(root)), calls);

    try (DirectoryHandle top = dirs.open(root);
        DirectoryHandle deep = dirs.open(root.resolve("a/b"))) {
      assertThat(Files.readSymbolicLink(top.self())).isEqualTo(root);
      assertThat(Files.readSymbolicLink(deep.self())).isEqualTo(root.resolve("a/b"));
    }
    assertThat(openUnder(base)).isZero();
  }

  @Test
  void aRootThatCannotBeResolvedIsSkippedForTheNextOne() throws IOException {
    ConfinedDirectories dirs =
        new ConfinedDirectories(
            new AllowedRoots(List.of(base.resolve("missing"), outside, root)), calls);

    try (DirectoryHandle handle = dirs.open(root.resolve("a"))) {
      assertThat(Files.readSymbolicLink(handle.self())).isEqualTo(root.resolve("a"));
    }
  }

  @Test
  void symlinkOrFileOnTheWayIsRefusedAndNothingStaysOpen() {
    ConfinedDirectories dirs = new ConfinedDirectories(new AllowedRoots(List.of(root)), calls);

    for (String below : new String[] {"link", "link/x", "file", "file/x"}) {
      Path dir = root.resolve(below);
      assertThatThrownBy(() -> dirs.open(dir))
          .as(below)
          .isInstanceOf(DirectoryHandle.NotADirectoryException.class)
          .hasMessageContaining("is a symbolic link or not a directory; not followed");
    }
    assertThat(openUnder(base)).isZero();
  }

  @Test
  void missingComponentIsNamedAndNothingStaysOpen() {
    ConfinedDirectories dirs = new ConfinedDirectories(new AllowedRoots(List.of(root)), calls);

    assertThatThrownBy(() -> dirs.open(root.resolve("a/none/deeper")))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessage(root.resolve("a/none").toString());
    assertThat(openUnder(base)).isZero();
  }

  @Test
  void directoryUnderNoRootIsRefusedWithoutOpeningAnything() {
    ConfinedDirectories dirs = new ConfinedDirectories(new AllowedRoots(List.of(root)), calls);

    assertThatThrownBy(() -> dirs.open(outside))
        .isInstanceOf(FileSystemException.class)
        .hasMessage(outside + ": is under no allowed root");
    assertThat(openUnder(base)).isZero();
  }

  @Test
  void rootThatIsASymlinkIsOpenedByItsRealPath() throws IOException {
    Path alias = Files.createSymbolicLink(base.resolve("alias"), root);
    ConfinedDirectories dirs = new ConfinedDirectories(new AllowedRoots(List.of(alias)), calls);

    try (DirectoryHandle handle = dirs.open(root.resolve("a"))) {
      assertThat(Files.readSymbolicLink(handle.self())).isEqualTo(root.resolve("a"));
    }
    assertThatThrownBy(() -> dirs.open(alias.resolve("a")))
        .isInstanceOf(FileSystemException.class)
        .hasMessageEndingWith("is under no allowed root");
  }

  @Test
  void rootSymlinkRepointedElsewhereIsFollowedToItsNewTargetOnly() throws IOException {
    Path alias = Files.createSymbolicLink(base.resolve("alias"), root);
    ConfinedDirectories dirs = new ConfinedDirectories(new AllowedRoots(List.of(alias)), calls);
    try (DirectoryHandle handle = dirs.open(root.resolve("a"))) {
      assertThat(Files.readSymbolicLink(handle.self())).isEqualTo(root.resolve("a"));
    }

    // Each open looks at where the root points now: nothing resolved earlier is reused.
    Files.delete(alias);
    Files.createSymbolicLink(alias, outside);

    assertThatThrownBy(() -> dirs.open(root.resolve("a")))
        .isInstanceOf(FileSystemException.class)
        .hasMessageEndingWith("is under no allowed root");
    try (DirectoryHandle handle = dirs.open(outside)) {
      assertThat(Files.readSymbolicLink(handle.self())).isEqualTo(outside);
    }
    assertThat(openUnder(base)).isZero();
  }

  @Test
  void makeDirectoryCreatesInsideTheOpenDirectoryWithItsMode() throws IOException {
    ConfinedDirectories dirs = new ConfinedDirectories(new AllowedRoots(List.of(root)), calls);

    try (DirectoryHandle a = dirs.open(root.resolve("a"))) {
      a.makeDirectory("made", 0700);
      Files.writeString(a.entry("note"), "written through the descriptor");

      assertThat(Files.getPosixFilePermissions(root.resolve("a/made")))
          .isEqualTo(PosixFilePermissions.fromString("rwx------"));
      assertThat(root.resolve("a/note")).hasContent("written through the descriptor");
      assertThatThrownBy(() -> a.makeDirectory("made", 0700))
          .isInstanceOf(FileAlreadyExistsException.class)
          .hasMessage(root.resolve("a/made").toString());
      assertThatThrownBy(() -> a.makeDirectory("x".repeat(300), 0700))
          .isExactlyInstanceOf(FileSystemException.class)
          .hasMessageEndingWith(": File name too long");
    }
  }

  @Test
  void namesThatAreNotASingleEntryAreRefused() throws IOException {
    ConfinedDirectories dirs = new ConfinedDirectories(new AllowedRoots(List.of(root)), calls);

    try (DirectoryHandle a = dirs.open(root.resolve("a"))) {
      for (String name : new String[] {"", ".", "..", "b/c", "/etc"}) {
        assertThatThrownBy(() -> a.makeDirectory(name, 0700))
            .as("'%s'", name)
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("not a single file name: " + name);
        assertThatThrownBy(() -> a.entry(name))
            .as("'%s'", name)
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.openChild(name))
            .as("'%s'", name)
            .isInstanceOf(IllegalArgumentException.class);
      }
      assertThat(a.entry("..a")).isEqualTo(a.self().resolve("..a"));
    }
    try (Stream<Path> left = Files.list(root.resolve("a"))) {
      assertThat(left).containsExactly(root.resolve("a/b"));
    }
  }

  /** Descriptors of this process that point at {@code dir} or below. */
  @Test
  void removingAnEntryTakesFilesAndLinksButNeitherDirectoriesNorWhatALinkPointsTo()
      throws IOException {
    ConfinedDirectories dirs = new ConfinedDirectories(new AllowedRoots(List.of(root)), calls);
    Files.writeString(outside.resolve("kept"), "k");
    Files.createSymbolicLink(root.resolve("a/to-kept"), outside.resolve("kept"));
    Files.writeString(root.resolve("a/gone"), "g");

    try (DirectoryHandle a = dirs.open(root.resolve("a"))) {
      assertThat(a.removeFileIfPresent("gone")).isTrue();
      assertThat(a.removeFileIfPresent("gone")).as("already removed").isFalse();
      assertThat(a.removeFileIfPresent("to-kept")).isTrue();
      assertThatThrownBy(() -> a.removeFileIfPresent("b"))
          .isInstanceOf(FileSystemException.class)
          .hasMessageContaining(root.resolve("a/b").toString());
      assertThatThrownBy(() -> a.removeFileIfPresent("../file"))
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(root.resolve("a/gone")).doesNotExist();
    assertThat(Files.exists(root.resolve("a/to-kept"), java.nio.file.LinkOption.NOFOLLOW_LINKS))
        .isFalse();
    assertThat(outside.resolve("kept")).hasContent("k");
    assertThat(root.resolve("a/b")).isDirectory();
    assertThat(root.resolve("file")).exists();
  }

  private static long openUnder(Path dir) {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.map(ConfinedDirectoriesTest::target)
          .filter(target -> target != null && target.startsWith(dir))
          .count();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path target(Path fd) {
    try {
      return Files.readSymbolicLink(fd);
    } catch (IOException e) {
      return null; // closed while listing (e.g. the listing's own descriptor)
    }
  }
}
