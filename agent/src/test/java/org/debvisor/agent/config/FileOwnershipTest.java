package org.debvisor.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileOwnershipTest {

  @TempDir Path dir;

  @Test
  void numericOwnerAndGroupAreSetTogetherWithTheMode() throws Exception {
    assumeTrue(FileOwnership.forThisProcess().changesOwners(), "needs root to change owners");
    Path file = Files.writeString(dir.resolve("file"), "f");
    Path other = Files.writeString(dir.resolve("other"), "o");

    new FileOwnership(true).apply(file, "4321", "5432", 0640);
    new FileOwnership(true).apply(other, "", "", 0604);

    assertThat(Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(4321);
    assertThat(Files.getAttribute(file, "unix:gid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(5432);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-r-----");
    assertThat(Files.getAttribute(other, "unix:uid")).as("empty means root").isEqualTo(0);
    assertThat(Files.getAttribute(other, "unix:gid")).isEqualTo(0);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(other)))
        .isEqualTo("rw----r--");
  }

  @Test
  void aSymbolicLinkIsRefusedAndWhatItPointsToKeepsItsModeAndOwner() throws Exception {
    Path target = Files.writeString(dir.resolve("target"), "t");
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
    Path link = Files.createSymbolicLink(dir.resolve("link"), target);
    FileOwnership ownership = FileOwnership.forThisProcess();

    assertThatThrownBy(() -> ownership.apply(link, "4321", "5432", 0600))
        .isInstanceOf(FileSystemException.class)
        .hasMessageContaining(link.toString())
        .hasMessageContaining("symbolic link");
    // Account names take the JDK's lookup: the link is refused before that too.
    assertThatThrownBy(() -> ownership.apply(link, "daemon", "daemon", 0600))
        .isInstanceOf(FileSystemException.class)
        .hasMessageContaining("symbolic link");

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target)))
        .isEqualTo("rw-r--r--");
    assertThat(Files.getAttribute(target, "unix:uid"))
        .isEqualTo(Files.getAttribute(dir, "unix:uid"));
    // Nothing is changed on the link either (an lchown before the refusal used to give it away).
    assertThat(Files.getAttribute(link, "unix:uid", LinkOption.NOFOLLOW_LINKS))
        .isEqualTo(Files.getAttribute(dir, "unix:uid"));
    assertThat(Files.getAttribute(link, "unix:gid", LinkOption.NOFOLLOW_LINKS))
        .isEqualTo(Files.getAttribute(dir, "unix:gid"));
  }

  @Test
  void accountNamesAreLookedUpAndTheModeStillSet() throws Exception {
    assumeTrue(FileOwnership.forThisProcess().changesOwners(), "needs root to change owners");
    Path file = Files.writeString(dir.resolve("file"), "f");
    Files.setAttribute(file, "unix:uid", 4321);
    // The group's number as the system knows it, without assuming Debian's 1.
    Path probe = Files.writeString(dir.resolve("probe"), "");
    Files.setAttribute(
        probe,
        "posix:group",
        dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName("daemon"));
    Object daemonGid = Files.getAttribute(probe, "unix:gid");

    new FileOwnership(true).apply(file, "root", "daemon", 0640);

    assertThat(Files.getAttribute(file, "unix:uid")).isEqualTo(0);
    assertThat(Files.getAttribute(file, "unix:gid")).isEqualTo(daemonGid);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-r-----");
  }

  @Test
  void aMissingFileIsReportedByName() {
    assumeTrue(FileOwnership.forThisProcess().changesOwners(), "needs root to change owners");
    Path missing = dir.resolve("missing");

    assertThatThrownBy(() -> new FileOwnership(true).apply(missing, "", "7", 0600))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining(missing.toString());
  }

  @Test
  void emptyMeansRootAndDigitsAreAnIdWhileNamesNeedALookup() {
    assertThat(FileOwnership.numericId("")).isEqualTo(OptionalInt.of(0));
    assertThat(FileOwnership.numericId("0")).isEqualTo(OptionalInt.of(0));
    assertThat(FileOwnership.numericId("4321")).isEqualTo(OptionalInt.of(4321));
    assertThat(FileOwnership.numericId("2147483647")).isEqualTo(OptionalInt.of(Integer.MAX_VALUE));
    assertThat(FileOwnership.numericId("2147483648")).isEmpty();
    assertThat(FileOwnership.numericId("99999999999")).isEmpty();
    assertThat(FileOwnership.numericId("root")).isEmpty();
    assertThat(FileOwnership.numericId("12a")).isEmpty();
    assertThat(FileOwnership.numericId("-1")).isEmpty();
  }
}
