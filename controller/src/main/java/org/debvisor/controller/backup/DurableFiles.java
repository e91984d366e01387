package org.debvisor.controller.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * File writes that reach the disk before the next step: created with their final mode (a secret is
 * never readable by others, not even briefly), fsynced, and their directory fsynced.
 */
final class DurableFiles {

  private DurableFiles() {}

  /** Creates {@code dir} (and missing parents) with mode 0700. */
  static void createPrivateDirectory(Path dir) throws IOException {
    Files.createDirectories(
        dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
  }

  /** Writes {@code content} to a new file with permission bits {@code mode} (e.g. "600"). */
  static void write(Path file, byte[] content, String mode) throws IOException {
    createPrivateDirectory(file.getParent());
    Files.createFile(file, permissions(mode));
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(content);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
  }

  /** Copies {@code source} to a new file with permission bits {@code mode}. */
  static void copy(Path source, Path target, String mode) throws IOException {
    createPrivateDirectory(target.getParent());
    Files.createFile(target, permissions(mode));
    try (InputStream in = Files.newInputStream(source);
        FileChannel channel = FileChannel.open(target, StandardOpenOption.WRITE);
        OutputStream out = Channels.newOutputStream(channel)) {
      in.transferTo(out);
      out.flush();
      channel.force(true);
    }
  }

  /** Creates an empty file with {@code mode} (SQLite's VACUUM INTO accepts an empty target). */
  static void createEmpty(Path file, String mode) throws IOException {
    createPrivateDirectory(file.getParent());
    Files.createFile(file, permissions(mode));
  }

  /** Fsyncs a file that another writer (SQLite) filled. */
  static void sync(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }

  /** Fsyncs {@code dir} so the names created or renamed in it survive a crash. */
  static void syncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  /** Fsyncs every directory under and including {@code root}. */
  static void syncTree(Path root) throws IOException {
    try (var dirs = Files.walk(root)) {
      for (Path dir : dirs.filter(Files::isDirectory).toList()) {
        syncDirectory(dir);
      }
    }
  }

  /** The mode of an existing file as three octal digits. */
  static String modeOf(Path file) throws IOException {
    int bits = 0;
    for (var p : Files.getPosixFilePermissions(file)) {
      bits |= 1 << (8 - p.ordinal());
    }
    return String.format("%03o", bits);
  }

  /** Deletes {@code root} and everything under it, if it exists. */
  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            Files.delete(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  private static java.nio.file.attribute.FileAttribute<?> permissions(String mode) {
    int bits = Integer.parseInt(mode, 8);
    StringBuilder text = new StringBuilder();
    String letters = "rwxrwxrwx";
    for (int i = 0; i < 9; i++) {
      text.append((bits & (1 << (8 - i))) != 0 ? letters.charAt(i) : '-');
    }
    return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(text.toString()));
  }
}
