package org.debvisor.controller.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The passphrase that encrypts the CA key in a backup, read from the first line of a file (never
 * from the command line, where {@code ps} and shell history would show it).
 */
public final class Passphrase {

  /** Shorter passphrases are refused: the key is only as safe as this. */
  public static final int MIN_LENGTH = 12;

  private final char[] chars;

  private Passphrase(char[] chars) {
    this.chars = chars;
  }

  /** Reads the first line of {@code file} (trailing newline and CR dropped). */
  public static Passphrase read(Path file) throws BackupException {
    return read(file, "--passphrase-file");
  }

  /**
   * Like {@link #read(Path)}; messages name the file as {@code option} (the command-line option or
   * setting it came from).
   */
  public static Passphrase read(Path file, String option) throws BackupException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw BackupException.refused(
          option + " " + file + " does not exist; write the passphrase into it (0600)");
    } catch (IOException e) {
      throw BackupException.refused(option + " " + file + ": cannot read: " + e);
    }
    int end = text.indexOf('\n');
    String line = end < 0 ? text : text.substring(0, end);
    if (line.endsWith("\r")) {
      line = line.substring(0, line.length() - 1);
    }
    if (line.length() < MIN_LENGTH) {
      throw BackupException.refused(
          option
              + " "
              + file
              + ": the passphrase (its first line) has "
              + line.length()
              + " characters; use at least "
              + MIN_LENGTH);
    }
    return new Passphrase(line.toCharArray());
  }

  /** The characters; callers must not keep or change them. */
  char[] chars() {
    return chars;
  }
}
