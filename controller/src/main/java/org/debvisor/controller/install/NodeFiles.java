package org.debvisor.controller.install;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.debvisor.agentapi.AgentPaths;
import org.debvisor.controller.node.Accounts;
import org.debvisor.controller.node.AgentEnrolment;
import org.debvisor.controller.node.Architecture;
import org.debvisor.controller.node.Network;
import org.debvisor.controller.node.NodeInstall;
import org.debvisor.controller.node.Profile;
import org.debvisor.controller.preseed.ShellQuoting;
import org.debvisor.controller.provision.AgentConfig;

/**
 * The files that make an installed image one particular node: host name, network, SSH keys, GRUB
 * console, the profile's kernel settings, the agent's enrolment and the late commands.
 */
final class NodeFiles {

  /** The late commands' script in the new system; the installer runs it last. */
  static final String LATE_COMMANDS = "usr/lib/debvisor/late-commands";

  private NodeFiles() {}

  /**
   * @param controllerCa the controller CA certificate (PEM) when the node enrols, else null
   */
  public static List<OverlayFile> of(
      NodeInstall node, Profile profile, Architecture arch, String controllerCa) {
    List<OverlayFile> files = new ArrayList<>();
    String fqdn = node.hostname() + "." + node.domain();
    files.add(OverlayFile.text("etc/hostname", 0644, "root", node.hostname() + "\n"));
    Network net = node.network();
    String ownAddress = net.isStatic() ? net.address() : "127.0.1.1";
    files.add(
        OverlayFile.text(
            "etc/hosts",
            0644,
            "root",
            "127.0.0.1\tlocalhost\n"
                + ownAddress
                + "\t"
                + fqdn
                + " "
                + node.hostname()
                + "\n::1\tlocalhost ip6-localhost ip6-loopback\n"));
    files.add(
        OverlayFile.text("etc/systemd/network/10-debvisor.network", 0644, "root", network(net)));
    files.add(OverlayFile.text("etc/default/grub", 0644, "root", grubDefaults(arch)));
    Accounts accounts = node.accounts();
    if (accounts.root() != null && !accounts.root().sshKeys().isEmpty()) {
      files.add(OverlayFile.directory("root/.ssh", 0700, "root"));
      files.add(keys("root/.ssh/authorized_keys", "root", accounts.root().sshKeys()));
    }
    if (accounts.user() != null && !accounts.user().sshKeys().isEmpty()) {
      String name = accounts.user().name();
      files.add(OverlayFile.directory("home/" + name + "/.ssh", 0700, name));
      files.add(keys("home/" + name + "/.ssh/authorized_keys", name, accounts.user().sshKeys()));
    }
    if (!profile.sysctl().isEmpty()) {
      StringBuilder conf = new StringBuilder("# DebVisor role profile " + profile.name() + "\n");
      for (Map.Entry<String, String> e : new TreeMap<>(profile.sysctl()).entrySet()) {
        conf.append(e.getKey()).append(" = ").append(e.getValue()).append('\n');
      }
      files.add(OverlayFile.text("etc/sysctl.d/60-debvisor.conf", 0644, "root", conf.toString()));
    }
    if (!profile.modules().isEmpty()) {
      StringBuilder conf = new StringBuilder("# DebVisor role profile " + profile.name() + "\n");
      profile.modules().stream().sorted().distinct().forEach(m -> conf.append(m).append('\n'));
      files.add(
          OverlayFile.text("etc/modules-load.d/debvisor.conf", 0644, "root", conf.toString()));
    }
    files.add(
        OverlayFile.text(
            AgentPaths.PROFILE_FILE.substring(1), 0644, "root", profile.name() + "\n"));
    AgentEnrolment agent = node.agent();
    if (agent != null) {
      // A static address is served with mutual TLS; a DHCP node has none to name up front, so its
      // agent stays on loopback and reports through its heartbeats.
      String listen = net.isStatic() ? net.address() : "";
      files.add(
          OverlayFile.text(
              AgentPaths.CONFIG_FILE.substring(1),
              0644,
              "root",
              AgentConfig.render(profile.name(), agent.controller(), listen)));
      files.add(OverlayFile.text(AgentPaths.CA_FILE.substring(1), 0644, "root", controllerCa));
      files.add(OverlayFile.text(AgentPaths.TOKEN_FILE.substring(1), 0600, "root", agent.token()));
    }
    if (!node.lateCommands().isEmpty()) {
      StringBuilder script =
          new StringBuilder("#!/bin/sh\n# node.yaml's lateCommands, run once by the installer.\n")
              .append("set -e\n");
      for (List<String> argv : node.lateCommands()) {
        script.append(ShellQuoting.command(argv)).append('\n');
      }
      files.add(OverlayFile.text(LATE_COMMANDS, 0755, "root", script.toString()));
    }
    return List.copyOf(files);
  }

  private static OverlayFile keys(String path, String owner, List<String> keys) {
    return OverlayFile.text(path, 0600, owner, String.join("\n", keys) + "\n");
  }

  /** systemd-networkd: DHCP or the static address on the named or first Ethernet interface. */
  static String network(Network net) {
    StringBuilder b = new StringBuilder("# Written by the DebVisor image installer.\n[Match]\n");
    if ("auto".equals(net.interfaceName())) {
      b.append("Type=ether\nKind=!*\n");
    } else {
      b.append("Name=").append(net.interfaceName()).append('\n');
    }
    b.append("\n[Network]\n");
    if (!net.isStatic()) {
      return b.append("DHCP=yes\n").toString();
    }
    b.append("Address=").append(net.address()).append('/').append(net.prefix()).append('\n');
    if (net.gateway() != null) {
      b.append("Gateway=").append(net.gateway()).append('\n');
    }
    for (String dns : net.nameservers()) {
      b.append("DNS=").append(dns).append('\n');
    }
    return b.toString();
  }

  /** GRUB on the serial console as well as the screen, one second of menu. */
  static String grubDefaults(Architecture arch) {
    String serial = arch == Architecture.AMD64 ? "ttyS0,115200n8" : "ttyAMA0,115200n8";
    StringBuilder b =
        new StringBuilder("# Written by the DebVisor image installer.\n")
            .append("GRUB_DEFAULT=0\nGRUB_TIMEOUT=1\nGRUB_DISTRIBUTOR=DebVisor\n")
            .append("GRUB_CMDLINE_LINUX_DEFAULT=\"\"\n")
            .append("GRUB_CMDLINE_LINUX=\"console=tty0 console=")
            .append(serial)
            .append("\"\n");
    if (arch == Architecture.AMD64) {
      b.append("GRUB_TERMINAL=\"console serial\"\n")
          .append("GRUB_SERIAL_COMMAND=\"serial --unit=0 --speed=115200\"\n");
    }
    return b.toString();
  }
}
