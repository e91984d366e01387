package org.debvisor.common.file;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Replaces a small text file whole: the new content goes to a hidden temporary file beside it,
 * which is renamed over it, so a reader (or a run stopped midway) sees the old content or the new,
 * never half of it. No fsync: for outputs a user can write again, not for state that must survive a
 * power cut.
 */
public final class ReplacedFile {

  private ReplacedFile() {}

  /** Writes {@code text} as UTF-8 to {@code target}, replacing what was there. */
  public static void writeString(Path target, String text) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path temp = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".tmp");
    try {
      Files.writeString(temp, text, StandardCharsets.UTF_8);
      Files.move(
          temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
