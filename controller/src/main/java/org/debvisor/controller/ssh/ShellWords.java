package org.debvisor.controller.ssh;

import java.util.List;
import java.util.stream.Collectors;

/** Quotes words for the remote POSIX shell, so values never become syntax. */
public final class ShellWords {

  private ShellWords() {}

  /** {@code word} in single quotes, with embedded single quotes escaped. */
  public static String quote(String word) {
    if (!word.isEmpty() && word.matches("[A-Za-z0-9_./:=@%+-]+")) {
      return word;
    }
    return "'" + word.replace("'", "'\\''") + "'";
  }

  /** The words quoted and joined by spaces. */
  public static String join(List<String> words) {
    return words.stream().map(ShellWords::quote).collect(Collectors.joining(" "));
  }
}
