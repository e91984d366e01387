package org.debvisor.controller.pki;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Writes files atomically (temp file, fsync, rename, fsync directory), secrets with mode 0600. */
final class SecretFiles {

  private SecretFiles() {}

  /** Writes a secret (private key, token) readable by the owner only. */
  public static void writeSecret(Path file, String content) throws IOException {
    write(file, content, "rw-------");
  }

  /** Writes a public file (certificate) readable by everyone. */
  public static void writePublic(Path file, String content) throws IOException {
    write(file, content, "rw-r--r--");
  }

  private static void write(Path file, String content, String mode) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp = dir.resolve("." + file.getFileName() + ".tmp");
    Files.deleteIfExists(temp);
    // The mode is set at creation so the secret is never readable by others, not even briefly.
    Files.createFile(
        temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)));
    try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
      channel.write(java.nio.ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
      channel.force(true);
    }
    try {
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
    }
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException ignored) {
      // Some file systems cannot fsync a directory; the rename is still atomic there.
    }
  }

  /** True when the file is readable by group or others (a secret that leaked its mode). */
  public static boolean tooOpen(Path file) throws IOException {
    Set<java.nio.file.attribute.PosixFilePermission> perms = Files.getPosixFilePermissions(file);
    return perms.stream()
        .anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"));
  }
}
