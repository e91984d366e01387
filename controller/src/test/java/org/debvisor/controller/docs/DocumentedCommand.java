package org.debvisor.controller.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * One command as the docs write it ({@code sudo debvisor nodes list --selector X}), checked against
 * the real command tree: the subcommands exist and every option belongs to the command it is given
 * to. Placeholders in square brackets are checked like the rest; {@code …} ends the check.
 */
record DocumentedCommand(String program, List<String> words) {

  /** The command of {@code shellWords} when it runs one of the controller's programs. */
  static Optional<DocumentedCommand> of(List<String> shellWords) {
    int i = 0;
    while (i < shellWords.size() && isPrefix(shellWords.get(i))) {
      i++;
    }
    if (i == shellWords.size()) {
      return Optional.empty();
    }
    String first = shellWords.get(i);
    String program = first.substring(first.lastIndexOf('/') + 1);
    if (!CommandTrees.programs().contains(program)) {
      return Optional.empty();
    }
    return Optional.of(
        new DocumentedCommand(program, shellWords.subList(i + 1, shellWords.size())));
  }

  private static boolean isPrefix(String word) {
    return word.equals("sudo")
        || word.equals("exec")
        || word.equals("$")
        || word.matches("[A-Za-z_][A-Za-z0-9_]*=.*");
  }

  /** What is wrong with this command; empty when it matches {@code tree}, its program's tree. */
  List<String> problems(CommandLine tree) {
    List<String> problems = new ArrayList<>();
    CommandLine command = tree;
    String path = program;
    boolean positionalSeen = false;
    for (int i = 0; i < words.size(); i++) {
      String word = unbracket(words.get(i));
      if (word.equals("--") || word.contains("…") || word.equals("...") || isRedirection(word)) {
        break;
      }
      if (word.startsWith("$")) {
        continue; // a variable: may hold options or arguments, nothing to check
      }
      if (word.startsWith("-") && word.length() > 1 && !Character.isDigit(word.charAt(1))) {
        String name = word.contains("=") ? word.substring(0, word.indexOf('=')) : word;
        OptionSpec option = command.getCommandSpec().findOption(name);
        if (option == null) {
          problems.add("`" + name + "` is not an option of `" + path + "`" + known(command));
          if (!word.contains("=") && i + 1 < words.size() && !words.get(i + 1).startsWith("-")) {
            i++; // its arity is unknown: take the next word as its value, not as an argument
          }
        } else if (!word.contains("=") && option.arity().min() > 0) {
          i++; // its value
        }
        continue;
      }
      if (!positionalSeen && !command.getSubcommands().isEmpty()) {
        List<String> alternatives = List.of(word.split("\\|"));
        CommandLine next = null;
        for (String alternative : alternatives) {
          CommandLine sub = command.getSubcommands().get(alternative);
          if (sub == null) {
            problems.add(
                "`"
                    + path
                    + "` has no subcommand `"
                    + alternative
                    + "` (it has "
                    + command.getSubcommands().keySet()
                    + ")");
          } else if (next == null) {
            next = sub;
          }
        }
        if (next == null) {
          return problems;
        }
        command = next;
        path = path + " " + alternatives.get(0);
        continue;
      }
      if (command.getCommandSpec().positionalParameters().isEmpty()) {
        problems.add("`" + path + "` takes no argument, but the docs give it `" + word + "`");
      }
      positionalSeen = true;
    }
    return problems;
  }

  private static String unbracket(String word) {
    return word.replaceAll("^\\[+", "").replaceAll("\\]+$", "");
  }

  private static boolean isRedirection(String word) {
    return word.matches("\\d?[<>].*");
  }

  private static String known(CommandLine command) {
    return " (it has "
        + command.getCommandSpec().options().stream().map(OptionSpec::longestName).sorted().toList()
        + ")";
  }
}
