package org.debvisor.agent.config;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
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
   * never following a symbolic link.
   */
  void apply(Path path, String owner, String group, int mode) throws IOException {
    int errno;
    OptionalInt uid = numericId(owner);
    OptionalInt gid = numericId(group);
    if (chown && uid.isPresent() && gid.isPresent()) {
      // The usual case (empty names mean root): one open, then fchown and fchmod on it.
      errno =
          calls.changeOwnerAndModeNoFollow(path.toString(), uid.getAsInt(), gid.getAsInt(), mode);
    } else {
      if (chown) {
        changeOwnerByName(path, owner, group, uid, gid);
      }
      errno = calls.changeModeNoFollow(path.toString(), mode);
    }
    if (errno != 0) {
      throw failure(path, errno);
    }
  }

  private IOException failure(Path path, int errno) {
    return switch (errno) {
      case DirectoryCalls.ENOENT -> new NoSuchFileException(path.toString());
      case DirectoryCalls.ELOOP ->
          new FileSystemException(
              path.toString(), null, "is a symbolic link; its mode is not changed");
      default -> new FileSystemException(path.toString(), null, calls.describe(errno));
    };
  }

  /** Owner and group where at least one is a name (the JDK looks names up). */
  private static void changeOwnerByName(
      Path path, String owner, String group, OptionalInt uid, OptionalInt gid) throws IOException {
    PosixFileAttributeView view =
        Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    UserPrincipalLookupService accounts = path.getFileSystem().getUserPrincipalLookupService();
    if (uid.isPresent()) {
      Files.setAttribute(path, "unix:uid", uid.getAsInt(), LinkOption.NOFOLLOW_LINKS);
    } else {
      view.setOwner(accounts.lookupPrincipalByName(owner));
    }
    if (gid.isPresent()) {
      Files.setAttribute(path, "unix:gid", gid.getAsInt(), LinkOption.NOFOLLOW_LINKS);
    } else {
      view.setGroup(accounts.lookupPrincipalByGroupName(group));
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
