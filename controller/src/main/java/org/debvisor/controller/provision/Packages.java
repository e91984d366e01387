package org.debvisor.controller.provision;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.debvisor.controller.ssh.ExecResult;
import org.debvisor.controller.ssh.ShellWords;
import org.debvisor.controller.ssh.SshException;

/** Asks dpkg what is installed and apt-get to install what is missing, on one host. */
final class Packages {

  private Packages() {}

  /** The subset of {@code names} dpkg has fully installed ("ii"). */
  static Set<String> installed(NodeSession node, Collection<String> names) throws SshException {
    Set<String> installed = new HashSet<>();
    if (names.isEmpty()) {
      return installed;
    }
    // Unknown names make dpkg-query complain and exit 1; the known ones are still listed.
    ExecResult r =
        node.shell()
            .run(
                "dpkg-query -W -f='${Package} ${db:Status-Abbrev}\\n' "
                    + ShellWords.join(List.copyOf(names))
                    + " 2>/dev/null || true");
    for (String line : r.stdout().split("\n")) {
      String[] parts = line.strip().split("\\s+");
      if (parts.length >= 2 && parts[1].startsWith("ii")) {
        installed.add(parts[0].replaceFirst(":.*$", ""));
      }
    }
    return installed;
  }

  /** {@code apt-get install} of {@code names}, non-interactive, without recommends. */
  static void install(NodeSession node, List<String> names, String why)
      throws SshException, StepFailedException {
    String script =
        "export DEBIAN_FRONTEND=noninteractive\n"
            + "apt-get install -y -q --no-install-recommends -o Dpkg::Options::=--force-confold "
            + ShellWords.join(names)
            + " || { apt-get update -q && apt-get install -y -q --no-install-recommends"
            + " -o Dpkg::Options::=--force-confold "
            + ShellWords.join(names)
            + "; }";
    ExecResult r = node.shell().run(script, node.plan().installTimeout());
    if (!r.ok()) {
      throw new StepFailedException(
          "apt-get could not install "
              + String.join(" ", names)
              + " ("
              + why
              + "); check the host's apt sources and that it reaches its mirror",
          tail(r.stderr()));
    }
  }

  /** The last lines of a long output. */
  static String tail(String text) {
    String[] lines = text.strip().split("\n");
    int from = Math.max(0, lines.length - 15);
    return String.join("\n", java.util.Arrays.asList(lines).subList(from, lines.length));
  }
}
