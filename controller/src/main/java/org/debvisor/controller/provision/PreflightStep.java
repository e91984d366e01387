package org.debvisor.controller.provision;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.debvisor.controller.ssh.ExecResult;
import org.debvisor.controller.ssh.RemoteShell;
import org.debvisor.controller.ssh.SshException;

/**
 * Checks the host can take the agent: Debian 13 (trixie), amd64 or arm64, enough free space under
 * /var, and root or passwordless sudo. Changes nothing.
 */
final class PreflightStep implements ProvisionStep {

  /** Free space the agent, its Java runtime and the profile packages need at least. */
  public static final long MIN_FREE_BYTES = 1024L * 1024 * 1024;

  static final Set<String> ARCHES = Set.of("amd64", "arm64");

  // Runs as the login user; only "sudo -n true" needs privileges.
  private static final String PROBE =
      "if [ -r /etc/os-release ]; then . /etc/os-release; fi;"
          + " echo \"id=${ID:-}\"; echo \"version=${VERSION_ID:-}\"; echo \"codename=${VERSION_CODENAME:-}\";"
          + " echo \"arch=$(dpkg --print-architecture 2>/dev/null)\";"
          + " echo \"free=$(df -Pk /var 2>/dev/null | awk 'NR==2 {print $4}')\";"
          + " echo \"uid=$(id -u)\"; echo \"sshaddr=$(echo ${SSH_CONNECTION:-} | cut -d' ' -f3)\";"
          + " if [ \"$(id -u)\" != 0 ]; then if sudo -n true 2>/dev/null; then echo sudo=yes; else echo sudo=no; fi; fi;"
          + " if [ -d /run/systemd/system ]; then echo systemd=yes; else echo systemd=no; fi";

  @Override
  public String name() {
    return "preflight";
  }

  @Override
  public StepOutcome run(NodeSession node) throws SshException, StepFailedException {
    Duration timeout = node.plan().commandTimeout();
    ExecResult r = node.connection().exec("sh -c '" + PROBE.replace("'", "'\\''") + "'", timeout);
    if (!r.ok()) {
      throw new StepFailedException(
          "cannot inspect the host (exit " + r.exitCode() + ")", r.stderr());
    }
    NodeFacts facts = check(parse(r.stdout()));
    node.learnt(facts, new RemoteShell(node.connection(), !facts.root(), timeout));
    return StepOutcome.unchanged(describe(facts));
  }

  /** Reads the probe's {@code key=value} lines. */
  static Map<String, String> parse(String stdout) {
    Map<String, String> values = new HashMap<>();
    for (String line : stdout.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        values.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
      }
    }
    return values;
  }

  /** Turns the probe's answers into facts, or says which requirement the host misses. */
  static NodeFacts check(Map<String, String> v) throws StepFailedException {
    String id = v.getOrDefault("id", "");
    String version = v.getOrDefault("version", "");
    String codename = v.getOrDefault("codename", "");
    if (!id.equals("debian") || !(version.equals("13") || codename.equals("trixie"))) {
      throw new StepFailedException(
          "the host runs "
              + (id.isEmpty() ? "an unknown system" : id + " " + version + " (" + codename + ")")
              + ", but DebVisor nodes need Debian 13 (trixie) (/etc/os-release ID=debian,"
              + " VERSION_ID=13)",
          "");
    }
    String arch = v.getOrDefault("arch", "");
    if (!ARCHES.contains(arch)) {
      throw new StepFailedException(
          "architecture '"
              + arch
              + "' is not supported (dpkg --print-architecture must be amd64 or arm64)",
          "");
    }
    long free;
    try {
      free = Long.parseLong(v.getOrDefault("free", "")) * 1024;
    } catch (NumberFormatException e) {
      throw new StepFailedException("cannot read the free space under /var (df -Pk /var)", "");
    }
    if (free < MIN_FREE_BYTES) {
      throw new StepFailedException(
          "only "
              + gib(free)
              + " free under /var; the agent and profile packages need at least "
              + gib(MIN_FREE_BYTES)
              + " (free some space and run again)",
          "");
    }
    boolean root = "0".equals(v.get("uid"));
    if (!root && !"yes".equals(v.get("sudo"))) {
      throw new StepFailedException(
          "the login is not root and cannot use sudo without a password (sudo -n true failed);"
              + " log in as root or allow passwordless sudo for this user",
          "");
    }
    return new NodeFacts(
        id,
        version,
        codename,
        arch,
        free,
        root,
        "yes".equals(v.get("systemd")),
        v.getOrDefault("sshaddr", ""));
  }

  static String describe(NodeFacts f) {
    return String.format(
        Locale.ROOT,
        "Debian %s (%s) %s, %s free, %s, init: %s",
        f.versionId(),
        f.codename(),
        f.arch(),
        gib(f.freeBytes()),
        f.root() ? "root" : "sudo",
        f.systemd() ? "systemd" : "no systemd (agent runs under start-stop-daemon)");
  }

  static String gib(long bytes) {
    return String.format(Locale.ROOT, "%.1f GiB", bytes / (1024.0 * 1024 * 1024));
  }
}
