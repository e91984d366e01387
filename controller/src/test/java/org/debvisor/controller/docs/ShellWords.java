package org.debvisor.controller.docs;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a documented shell line into its simple commands and their words: quotes are removed,
 * comments dropped, and {@code ; | & && || ( ) $( ` } separate commands. A {@code |} inside a word
 * ({@code render|validate}, {@code amd64|arm64}) is the docs' "one of" and stays in the word.
 * Enough for the docs, not a shell.
 */
final class ShellWords {

  private ShellWords() {}

  static List<List<String>> commands(String line) {
    List<List<String>> commands = new ArrayList<>();
    List<String> words = new ArrayList<>();
    StringBuilder word = null;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          word.append(c);
        }
        continue;
      }
      if (c == '\'' || c == '"') {
        quote = c;
        word = word == null ? new StringBuilder() : word;
      } else if (c == '\\' && i + 1 < line.length()) {
        word = word == null ? new StringBuilder() : word;
        word.append(line.charAt(++i));
      } else if (c == '#' && word == null) {
        break;
      } else if (Character.isWhitespace(c)) {
        word = flush(words, word);
      } else if (";&()`".indexOf(c) >= 0
          || (c == '|' && word == null)
          || (c == '$' && next(line, i) == '(')) {
        word = flush(words, word);
        if (!words.isEmpty()) {
          commands.add(words);
          words = new ArrayList<>();
        }
      } else {
        word = word == null ? new StringBuilder() : word;
        word.append(c);
      }
    }
    flush(words, word);
    if (!words.isEmpty()) {
      commands.add(words);
    }
    return commands;
  }

  private static char next(String line, int i) {
    return i + 1 < line.length() ? line.charAt(i + 1) : 0;
  }

  private static StringBuilder flush(List<String> words, StringBuilder word) {
    if (word != null) {
      words.add(word.toString());
    }
    return null;
  }
}
