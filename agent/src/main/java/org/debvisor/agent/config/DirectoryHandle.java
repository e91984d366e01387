package org.debvisor.agent.config;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * An open directory. Its entries are reached through {@code /proc/self/fd/N/name}, which the kernel
 * resolves through the open descriptor, not through the directory's path, so renaming the directory
 * or replacing it (or an ancestor) with a symbolic link cannot redirect what is created.
 */
final class DirectoryHandle implements AutoCloseable {

  private final DirectoryCalls calls;
  private final int fd;
  private final Path shown;

  private DirectoryHandle(DirectoryCalls calls, int fd, Path shown) {
    this.calls = calls;
    this.fd = fd;
    this.shown = shown;
  }

  /**
   * Opens an allowed root by its configured path, following symbolic links; {@link #realPath()} is
   * then where the kernel says the descriptor points, so nothing can move between resolving the
   * root and opening it (and it costs one readlink instead of one per path component).
   */
  static DirectoryHandle openRoot(DirectoryCalls calls, Path root) throws IOException {
    int fd = calls.openDirectory(root.toString());
    if (fd < 0) {
      throw failure(calls, calls.lastError(), root);
    }
    try {
      return new DirectoryHandle(calls, fd, Files.readSymbolicLink(selfOf(fd)));
    } catch (IOException | RuntimeException e) {
      calls.close(fd);
      throw e;
    }
  }

  /**
   * The path this directory had when it was opened: for a root, its real path then (with a "
   * (deleted)" suffix if it had already been removed).
   */
  Path realPath() {
    return shown;
  }

  /** Opens the sub-directory {@code name}, refusing it if it is a symbolic link. */
  DirectoryHandle openChild(String name) throws IOException {
    int child = calls.openChildDirectory(fd, checked(name));
    if (child < 0) {
      throw failure(calls, calls.lastError(), shown.resolve(name));
    }
    return new DirectoryHandle(calls, child, shown.resolve(name));
  }

  /** Creates the sub-directory {@code name} with {@code mode} (before the umask). */
  void makeDirectory(String name, int mode) throws IOException {
    if (calls.makeDirectory(fd, checked(name), mode) < 0) {
      throw failure(calls, calls.lastError(), shown.resolve(name));
    }
  }

  /**
   * Removes the file (or symbolic link) {@code name} of this directory, if there is one: one {@code
   * unlinkat}, where {@link java.nio.file.Files#deleteIfExists} on {@link #entry} first looks the
   * entry up through {@code /proc}. Returns whether it was there.
   */
  boolean removeFileIfPresent(String name) throws IOException {
    if (calls.unlink(fd, checked(name)) == 0) {
      return true;
    }
    int errno = calls.lastError();
    if (errno == DirectoryCalls.ENOENT) {
      return false;
    }
    throw failure(calls, errno, shown.resolve(name));
  }

  /** A path to the entry {@code name} of this very directory. */
  Path entry(String name) {
    return self().resolve(checked(name));
  }

  /** A path to this very directory (e.g. to fsync it). */
  Path self() {
    return selfOf(fd);
  }

  private static Path selfOf(int fd) {
    return Path.of("/proc/self/fd/" + fd);
  }

  @Override
  public void close() {
    calls.close(fd);
  }

  private static String checked(String name) {
    if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
      throw new IllegalArgumentException("not a single file name: " + name);
    }
    return name;
  }

  private static IOException failure(DirectoryCalls calls, int errno, Path path) {
    return switch (errno) {
      case DirectoryCalls.ENOENT -> new NoSuchFileException(path.toString());
      case DirectoryCalls.EEXIST -> new FileAlreadyExistsException(path.toString());
      case DirectoryCalls.ELOOP, DirectoryCalls.ENOTDIR -> new NotADirectoryException(path);
      default -> new FileSystemException(path.toString(), null, calls.describe(errno));
    };
  }

  /** A path component is a symbolic link or not a directory; it is never followed. */
  static final class NotADirectoryException extends FileSystemException {
    NotADirectoryException(Path path) {
      super(path.toString(), null, "is a symbolic link or not a directory; not followed");
    }
  }
}
