package org.debvisor.controller.preseed;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.debvisor.controller.node.FieldChecks;

/** POSIX shell quoting: single quotes, with {@code '} written as {@code '\''}. */
public final class ShellQuoting {

  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9@%+=:,./_-]+");

  private ShellQuoting() {}

  /** One word the shell reads back as exactly {@code arg}. */
  public static String quote(String arg) {
    if (FieldChecks.containsLineBreakOrControl(arg)) {
      // A quoted newline would still end the debconf line the command lives on.
      throw new IllegalArgumentException("shell argument contains a control character");
    }
    if (PLAIN.matcher(arg).matches()) {
      return arg;
    }
    return "'" + arg.replace("'", "'\\''") + "'";
  }

  /** An argv as one command line. */
  public static String command(List<String> argv) {
    return argv.stream().map(ShellQuoting::quote).collect(Collectors.joining(" "));
  }
}
