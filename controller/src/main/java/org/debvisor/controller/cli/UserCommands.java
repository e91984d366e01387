package org.debvisor.controller.cli;

import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;
import org.debvisor.controller.audit.AuditLog;
import org.debvisor.controller.identity.IdentityException;
import org.debvisor.controller.identity.PasswordHasher;
import org.debvisor.controller.identity.Role;
import org.debvisor.controller.identity.User;
import org.debvisor.controller.identity.Users;
import org.debvisor.controller.inventory.Database;
import org.debvisor.controller.inventory.InventoryException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code debvisor user add|passwd|role|del|list}. Passwords come from a terminal prompt or a file,
 * never the command line (argv is visible to every local user in /proc).
 */
final class UserCommands {

  private UserCommands() {}

  /** Options and plumbing every user command shares. */
  abstract static class Base implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--state-dir",
        paramLabel = "DIR",
        description =
            "State directory (default: $DEBVISOR_STATE_DIR or /var/lib/debvisor-controller).")
    Path stateDir;

    private final Map<String, String> env;

    Base(Map<String, String> env) {
      this.env = env;
    }

    @Override
    public final Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      Path state = StateDirectory.resolve(stateDir, env);
      if (!Files.isDirectory(state)) {
        err.println(
            "error: "
                + state
                + " is not a state directory; start the controller once or pass --state-dir");
        return DebvisorCli.EXIT_FAILURE;
      }
      try (Database db = Database.open(state.resolve("controller.db"))) {
        Users users =
            new Users(
                db,
                new AuditLog(Clock.systemUTC()),
                new PasswordHasher(PasswordHasher.DEFAULT_COST, new SecureRandom()),
                Clock.systemUTC());
        return run(users, spec.commandLine().getOut(), err);
      } catch (IdentityException e) {
        err.println("error: " + e.getMessage());
        return e.kind() == IdentityException.Kind.INVALID
            ? DebvisorCli.EXIT_INVALID
            : DebvisorCli.EXIT_FAILURE;
      } catch (InventoryException e) {
        err.println("error: " + e.getMessage());
        return DebvisorCli.EXIT_FAILURE;
      }
    }

    abstract int run(Users users, PrintWriter out, PrintWriter err);

    /** Who made the change, as the audit log records it. */
    static String actor() {
      return "local:" + System.getProperty("user.name", "unknown");
    }

    /** The new password from the file, else asked twice on the terminal; null after an error. */
    static char[] password(Path file, PrintWriter err) {
      if (file != null) {
        try {
          String text = Files.readString(file, StandardCharsets.UTF_8);
          // One line: a trailing newline from `echo` or an editor is not part of it.
          return text.lines().findFirst().orElse("").toCharArray();
        } catch (IOException e) {
          err.println("error: --password-file " + file + ": cannot read (" + e.getMessage() + ")");
          return null;
        }
      }
      Console console = System.console();
      if (console == null) {
        err.println("error: no terminal to ask for the password; pass --password-file FILE");
        return null;
      }
      char[] first = console.readPassword("New password: ");
      char[] second = console.readPassword("Again: ");
      if (first == null || second == null || !Arrays.equals(first, second)) {
        err.println("error: the passwords differ; nothing changed");
        return null;
      }
      Arrays.fill(second, '\0');
      return first;
    }
  }

  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description = "Add a user with a role (the first admin is made this way; no default exists).",
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {"0:added", "1:exists or failed", "2:invalid name, role or password"})
  static final class Add extends Base {

    @Parameters(index = "0", paramLabel = "NAME", description = "1-32 of a-z, 0-9, _ . -")
    String name;

    @Option(
        names = "--role",
        required = true,
        paramLabel = "ROLE",
        description = "admin, operator or viewer.")
    String role;

    @Option(
        names = "--password-file",
        paramLabel = "FILE",
        description = "Read the password (first line, 12+ characters) from FILE, not a prompt.")
    Path passwordFile;

    Add(Map<String, String> env) {
      super(env);
    }

    @Override
    int run(Users users, PrintWriter out, PrintWriter err) {
      Role r = Role.parse(role).orElse(null);
      if (r == null) {
        err.println("error: --role: must be admin, operator or viewer, got '" + role + "'");
        return DebvisorCli.EXIT_INVALID;
      }
      char[] password = password(passwordFile, err);
      if (password == null) {
        return DebvisorCli.EXIT_FAILURE;
      }
      User user = users.add(name, r, password, actor(), "cli");
      Arrays.fill(password, '\0');
      out.println("added user " + user.name() + " (" + user.role().label() + ")");
      return 0;
    }
  }

  @Command(
      name = "passwd",
      mixinStandardHelpOptions = true,
      description = "Set a user's password; ends every session of that user.",
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {"0:changed", "1:no such user or failed", "2:invalid password"})
  static final class Passwd extends Base {

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(
        names = "--password-file",
        paramLabel = "FILE",
        description = "Read the password (first line, 12+ characters) from FILE, not a prompt.")
    Path passwordFile;

    Passwd(Map<String, String> env) {
      super(env);
    }

    @Override
    int run(Users users, PrintWriter out, PrintWriter err) {
      char[] password = password(passwordFile, err);
      if (password == null) {
        return DebvisorCli.EXIT_FAILURE;
      }
      int ended = users.changePassword(name, password, actor(), "cli");
      Arrays.fill(password, '\0');
      out.println("password of " + name + " changed; " + ended + " session(s) ended");
      return 0;
    }
  }

  @Command(
      name = "role",
      mixinStandardHelpOptions = true,
      description =
          "Give a user another role, effective on their next request (not the last admin's).",
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {
        "0:changed or already so",
        "1:no such user, last admin, or failed",
        "2:invalid role"
      })
  static final class ChangeRole extends Base {

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(
        names = "--role",
        required = true,
        paramLabel = "ROLE",
        description = "admin, operator or viewer.")
    String role;

    ChangeRole(Map<String, String> env) {
      super(env);
    }

    @Override
    int run(Users users, PrintWriter out, PrintWriter err) {
      Role r = Role.parse(role).orElse(null);
      if (r == null) {
        err.println("error: --role: must be admin, operator or viewer, got '" + role + "'");
        return DebvisorCli.EXIT_INVALID;
      }
      User user = users.changeRole(name, r, actor(), "cli");
      out.println("user " + user.name() + " is " + user.role().label());
      return 0;
    }
  }

  @Command(
      name = "del",
      mixinStandardHelpOptions = true,
      description = "Remove a user and their sessions (not the last admin).",
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {"0:removed", "1:no such user, last admin, or failed"})
  static final class Del extends Base {

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    Del(Map<String, String> env) {
      super(env);
    }

    @Override
    int run(Users users, PrintWriter out, PrintWriter err) {
      users.delete(name, actor(), "cli");
      out.println("removed user " + name);
      return 0;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List users: name, role, when the password was last set.")
  static final class ListUsers extends Base {

    ListUsers(Map<String, String> env) {
      super(env);
    }

    @Override
    int run(Users users, PrintWriter out, PrintWriter err) {
      out.printf("%-32s %-8s %s%n", "NAME", "ROLE", "PASSWORD SET");
      for (User u : users.list()) {
        out.printf("%-32s %-8s %s%n", u.name(), u.role().label(), u.passwordChangedAt());
      }
      return 0;
    }
  }
}
