package org.debvisor.controller.provision;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.debvisor.controller.ssh.ExecResult;
import org.debvisor.controller.ssh.SshException;

/**
 * Installs the agent: its missing dependencies with apt-get (none when they are there), then the
 * uploaded .deb with dpkg when its version or file differs from the one installed.
 */
final class InstallStep implements ProvisionStep {

  private static final String RECORD = NodeSession.STATE_DIR + "/agent-deb.sha256";

  @Override
  public String name() {
    return "install";
  }

  @Override
  public StepOutcome run(NodeSession node) throws SshException, StepFailedException {
    String deb = NodeSession.REMOTE_DEB;
    ExecResult info =
        node.shell()
            .run(
                "set -e; deb="
                    + deb
                    + "; echo \"package=$(dpkg-deb -f $deb Package)\";"
                    + " echo \"version=$(dpkg-deb -f $deb Version)\";"
                    + " echo \"depends=$(dpkg-deb -f $deb Depends)\";"
                    + " echo \"sha=$(sha256sum $deb | cut -c1-64)\";"
                    + " echo \"recorded=$(cat "
                    + RECORD
                    + " 2>/dev/null || true)\";"
                    + " echo \"installed=$(dpkg-query -W -f='${Version} ${db:Status-Abbrev}'"
                    + " \"$(dpkg-deb -f $deb Package)\" 2>/dev/null || true)\"");
    if (!info.ok()) {
      throw new StepFailedException("cannot read " + deb + " on the host", info.stderr());
    }
    Map<String, String> v = PreflightStep.parse(info.stdout());
    String pkg = v.getOrDefault("package", "");
    String version = v.getOrDefault("version", "");
    List<List<String>> groups = DebDependencies.groups(v.get("depends"));
    Set<String> present = Packages.installed(node, DebDependencies.names(groups));
    List<String> missing = DebDependencies.missing(groups, present);
    StringBuilder did = new StringBuilder();
    if (!missing.isEmpty()) {
      Packages.install(node, missing, "dependencies of " + pkg);
      did.append("installed dependencies ").append(String.join(" ", missing)).append("; ");
    }
    String installed = v.getOrDefault("installed", "");
    boolean sameVersion = installed.equals(version + " ii");
    boolean sameFile = v.getOrDefault("sha", "x").equals(v.getOrDefault("recorded", ""));
    if (sameVersion && sameFile) {
      return missing.isEmpty()
          ? StepOutcome.unchanged(pkg + " " + version + " already installed")
          : StepOutcome.changed(did + pkg + " " + version + " already installed");
    }
    ExecResult dpkg =
        node.shell()
            .run(
                "set -e; export DEBIAN_FRONTEND=noninteractive;"
                    + " dpkg -i --force-confold --force-confdef "
                    + deb
                    + "; mkdir -p "
                    + NodeSession.STATE_DIR
                    + "; sha256sum "
                    + deb
                    + " | cut -c1-64 > "
                    + RECORD
                    + ".new; mv -f "
                    + RECORD
                    + ".new "
                    + RECORD,
                node.plan().installTimeout());
    if (!dpkg.ok()) {
      throw new StepFailedException(
          "dpkg could not install " + pkg + " " + version,
          Packages.tail(dpkg.stderr() + "\n" + dpkg.stdout()));
    }
    node.markAgentChanged();
    String from = installed.isEmpty() ? "" : " (was " + installed.replace(" ii", "") + ")";
    return StepOutcome.changed(did + "installed " + pkg + " " + version + from);
  }
}
