package org.debvisor.agent.config;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.util.Locale;
import java.util.Set;

/**
 * The libc calls that work relative to an open directory ({@code openat}, {@code mkdirat}), which
 * Java's file API does not offer for creating directories, with the open flags of this CPU.
 */
final class DirectoryCalls {

  /** The libc functions used. */
  interface LibC extends Library {
    int open(String path, int flags);

    int openat(int dirfd, String path, int flags);

    int mkdirat(int dirfd, String path, int mode);

    int close(int fd);

    String strerror(int errnum);
  }

  static final int ENOENT = 2;
  static final int EEXIST = 17;
  static final int ENOTDIR = 20;
  static final int ELOOP = 40;

  private static final int O_CLOEXEC = 02000000;
  // O_DIRECTORY and O_NOFOLLOW differ between architectures; these have the arm/powerpc values.
  private static final Set<String> ARM_LIKE = Set.of("aarch64", "arm", "ppc64", "ppc64le");

  private final LibC libc;
  private final int directoryNoFollow;

  DirectoryCalls() {
    this.libc = Native.load("c", LibC.class);
    boolean armLike = ARM_LIKE.contains(System.getProperty("os.arch").toLowerCase(Locale.ROOT));
    int directory = armLike ? 040000 : 0200000;
    int noFollow = armLike ? 0100000 : 0400000;
    this.directoryNoFollow = directory | noFollow | O_CLOEXEC;
  }

  /** Opens a directory by absolute path, refusing a symbolic link as its last component. */
  int openDirectory(String path) {
    return libc.open(path, directoryNoFollow);
  }

  /** Opens the entry {@code name} of {@code dirfd} if it is a directory and not a symlink. */
  int openChildDirectory(int dirfd, String name) {
    return libc.openat(dirfd, name, directoryNoFollow);
  }

  int makeDirectory(int dirfd, String name, int mode) {
    return libc.mkdirat(dirfd, name, mode);
  }

  void close(int fd) {
    libc.close(fd);
  }

  /** The errno of this thread's last call. */
  int lastError() {
    return Native.getLastError();
  }

  String describe(int errno) {
    return libc.strerror(errno);
  }
}
