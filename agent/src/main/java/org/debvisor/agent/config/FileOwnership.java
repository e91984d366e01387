package org.debvisor.agent.config;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.EnumSet;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.debvisor.agentapi.bundle.NumericAccountId;

/** Sets permission bits and, when the agent runs as root, owner and group of a file it wrote. */
final class FileOwnership {

  private static final PosixFilePermission[] BITS = {
    PosixFilePermission.OTHERS_EXECUTE,
    PosixFilePermission.OTHERS_WRITE,
    PosixFilePermission.OTHERS_READ,
    PosixFilePermission.GROUP_EXECUTE,
    PosixFilePermission.GROUP_WRITE,
    PosixFilePermission.GROUP_READ,
    PosixFilePermission.OWNER_EXECUTE,
    PosixFilePermission.OWNER_WRITE,
    PosixFilePermission.OWNER_READ
  };

  private final boolean chown;
  private final DirectoryCalls calls;

  FileOwnership(boolean chown) {
    this(chown, new DirectoryCalls());
  }

  FileOwnership(boolean chown, DirectoryCalls calls) {
    this.chown = chown;
    this.calls = calls;
  }

  /** Changes owners only when this process runs as uid 0; elsewhere only modes. */
  static FileOwnership forThisProcess() {
    try {
      Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
      return new FileOwnership(Integer.valueOf(0).equals(uid));
    } catch (IOException | UnsupportedOperationException e) {
      return new FileOwnership(false);
    }
  }

  boolean changesOwners() {
    return chown;
  }

  /**
   * Applies {@code mode} and, when allowed, owner and group (empty means root) to {@code path},
   * never following a symbolic link: all of them go through one descriptor, so a link is refused
   * before anything changes and everything applies to the same file.
   */
  void apply(Path path, String owner, String group, int mode) throws IOException {
    int fd = calls.openNoFollow(path.toString());
    if (fd < 0) {
      throw failure(path, calls.lastError());
    }
    try {
      if (chown) {
        changeOwner(fd, path, owner, group);
      }
      // After the owner: changing it clears the set-user-ID and set-group-ID bits.
      int errno = calls.changeMode(fd, mode);
      if (errno != 0) {
        throw failure(path, errno);
      }
    } finally {
      calls.close(fd);
    }
  }

  private IOException failure(Path path, int errno) {
    return switch (errno) {
      case DirectoryCalls.ENOENT -> new NoSuchFileException(path.toString());
      case DirectoryCalls.ELOOP ->
          new FileSystemException(
              path.toString(),
              null,
              "is a symbolic link; neither it nor what it points to is changed");
      default -> new FileSystemException(path.toString(), null, calls.describe(errno));
    };
  }

  private void changeOwner(int fd, Path path, String owner, String group) throws IOException {
    OptionalInt uid = numericId(owner);
    OptionalInt gid = numericId(group);
    // The usual case (empty names mean root) is one fchown; -1 leaves a named one for below.
    if (uid.isPresent() || gid.isPresent()) {
      int errno = calls.changeOwner(fd, uid.orElse(-1), gid.orElse(-1));
      if (errno != 0) {
        throw failure(path, errno);
      }
    }
    if (uid.isPresent() && gid.isPresent()) {
      return;
    }
    // Names need the JDK's lookup; its change goes through the descriptor's /proc link, which
    // (followed) is the open file itself, not whatever the path names by now.
    PosixFileAttributeView view =
        Files.getFileAttributeView(Path.of("/proc/self/fd/" + fd), PosixFileAttributeView.class);
    UserPrincipalLookupService accounts = path.getFileSystem().getUserPrincipalLookupService();
    try {
      if (uid.isEmpty()) {
        view.setOwner(accounts.lookupPrincipalByName(owner));
      }
      if (gid.isEmpty()) {
        view.setGroup(accounts.lookupPrincipalByGroupName(group));
      }
    } catch (FileSystemException e) {
      // Named by the file's path, not by the /proc link.
      throw new FileSystemException(
          path.toString(), null, e.getReason() != null ? e.getReason() : e.getMessage());
    }
  }

  /**
   * Root's id for an empty name, the id itself for a numeric one (as {@code BundleValidator} reads
   * it: {@link NumericAccountId}), else none: only names need a lookup, which reads the whole
   * account database. The lookup service would read it for "0" too, in vain, before falling back to
   * the number.
   */
  static OptionalInt numericId(String name) {
    if (name.isEmpty()) {
      return OptionalInt.of(0);
    }
    OptionalLong id = NumericAccountId.of(name);
    return id.isPresent() && id.getAsLong() <= Integer.MAX_VALUE
        ? OptionalInt.of((int) id.getAsLong())
        : OptionalInt.empty();
  }

  static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
    for (int bit = 0; bit < BITS.length; bit++) {
      if ((mode & (1 << bit)) != 0) {
        set.add(BITS[bit]);
      }
    }
    return set;
  }
}
