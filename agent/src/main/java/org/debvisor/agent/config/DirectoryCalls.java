package org.debvisor.agent.config;

import com.sun.jna.Native;
import java.util.Locale;
import java.util.Set;

/**
 * The libc calls that work relative to an open directory ({@code openat}, {@code mkdirat}) or on an
 * open file ({@code fchown}, {@code fchmod}), which Java's file API does not offer, with the open
 * flags of this CPU.
 */
final class DirectoryCalls {

  /**
   * The libc functions used, bound by JNA's direct mapping: a call costs about as much as a JNI
   * call, where an interface mapping goes through a proxy and reflection (several µs per call, and
   * an apply makes a few of them per directory it opens).
   */
  private static final class LibC {
    static {
      Native.register("c");
    }

    private LibC() {}

    static native int open(String path, int flags);

    static native int openat(int dirfd, String path, int flags);

    static native int mkdirat(int dirfd, String path, int mode);

    static native int unlinkat(int dirfd, String path, int flags);

    static native int fchown(int fd, int owner, int group);

    static native int fchmod(int fd, int mode);

    static native int close(int fd);

    static native String strerror(int errnum);
  }

  static final int ENOENT = 2;
  static final int EEXIST = 17;
  static final int ENOTDIR = 20;
  static final int ELOOP = 40;

  private static final int O_CLOEXEC = 02000000;
  // O_DIRECTORY and O_NOFOLLOW differ between architectures; these have the arm/powerpc values.
  private static final Set<String> ARM_LIKE = Set.of("aarch64", "arm", "ppc64", "ppc64le");

  private static final int O_NONBLOCK = 04000;

  private final int directoryNoFollow;
  private final int directoryFollow;
  private final int readNoFollow;

  DirectoryCalls() {
    boolean armLike = ARM_LIKE.contains(System.getProperty("os.arch").toLowerCase(Locale.ROOT));
    int directory = armLike ? 040000 : 0200000;
    int noFollow = armLike ? 0100000 : 0400000;
    this.directoryFollow = directory | O_CLOEXEC;
    this.directoryNoFollow = directoryFollow | noFollow;
    // Non-blocking so a FIFO put in the file's place cannot hold the open.
    this.readNoFollow = noFollow | O_CLOEXEC | O_NONBLOCK;
  }

  /** Opens a directory by absolute path, following symbolic links (an allowed root's alias). */
  int openDirectory(String path) {
    return LibC.open(path, directoryFollow);
  }

  /** Opens the entry {@code name} of {@code dirfd} if it is a directory and not a symlink. */
  int openChildDirectory(int dirfd, String name) {
    return LibC.openat(dirfd, name, directoryNoFollow);
  }

  int makeDirectory(int dirfd, String name, int mode) {
    return LibC.mkdirat(dirfd, name, mode);
  }

  /** Removes the entry {@code name} of {@code dirfd}, which must not be a directory. */
  int unlink(int dirfd, String name) {
    return LibC.unlinkat(dirfd, name, 0);
  }

  /**
   * Opens {@code path} to change its owner and mode through the descriptor, refusing a symbolic
   * link as its last component (errno {@link #ELOOP}) and never blocking on a FIFO. Returns the
   * descriptor, or -1 with the errno in {@link #lastError()}.
   */
  int openNoFollow(String path) {
    return LibC.open(path, readNoFollow);
  }

  /** Sets owner and group of the open file; -1 keeps one as it is. Returns 0 or the errno. */
  int changeOwner(int fd, int uid, int gid) {
    return LibC.fchown(fd, uid, gid) < 0 ? Native.getLastError() : 0;
  }

  /** Sets the permission bits of the open file. Returns 0 or the errno. */
  int changeMode(int fd, int mode) {
    return LibC.fchmod(fd, mode) < 0 ? Native.getLastError() : 0;
  }

  void close(int fd) {
    LibC.close(fd);
  }

  /** The errno of this thread's last call. */
  int lastError() {
    return Native.getLastError();
  }

  String describe(int errno) {
    return LibC.strerror(errno);
  }
}
