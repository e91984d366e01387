package org.debvisor.controller.preseed;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.debvisor.agentapi.AgentPaths;
import org.debvisor.agentapi.AgentSettings;
import org.debvisor.agentapi.AgentYamlWriter;
import org.debvisor.agentapi.ControllerSettings;
import org.debvisor.agentapi.GrpcSettings;
import org.debvisor.agentapi.NodeSettings;
import org.debvisor.controller.node.Accounts;
import org.debvisor.controller.node.AgentEnrolment;
import org.debvisor.controller.node.Network;
import org.debvisor.controller.node.NodeInstall;
import org.debvisor.controller.node.Profile;
import org.debvisor.controller.node.UserAccount;

/**
 * Builds {@code preseed/late_command} from validated values: SSH keys, the profile's sysctl and
 * modules, the agent with its enrolment (agent.yaml, the controller's CA from the media, the
 * bootstrap token), then the node's own commands. File contents travel base64-encoded and every
 * argument is shell-quoted, so no value can become shell syntax.
 */
public final class LateCommandBuilder {

  /** Where the ISO builder puts the agent package on the installer media, by default. */
  public static final String DEFAULT_AGENT_PACKAGE = "/cdrom/debvisor/debvisor-agent.deb";

  /**
   * Where the ISO builder puts the controller's CA certificate on the installer media; the late
   * command installs it after checking it against {@code agent.caFingerprint}.
   */
  public static final String CONTROLLER_CA_ON_MEDIA = "/cdrom/debvisor/controller-ca.pem";

  static final String SYSCTL_FILE = "/etc/sysctl.d/60-debvisor.conf";
  static final String MODULES_FILE = "/etc/modules-load.d/debvisor.conf";

  private static final Pattern PACKAGE_PATH = Pattern.compile("(/[A-Za-z0-9._+-]+)+\\.deb");
  private static final String TARGET_PACKAGE = "/tmp/debvisor-agent.deb";

  private final String agentPackage;

  /**
   * @param agentPackage absolute path of the agent {@code .deb} in the installer environment
   */
  public LateCommandBuilder(String agentPackage) {
    if (!PACKAGE_PATH.matcher(agentPackage).matches() || agentPackage.contains("/../")) {
      throw new IllegalArgumentException(
          "agent package path must be an absolute path of plain names ending in .deb: "
              + agentPackage);
    }
    this.agentPackage = agentPackage;
  }

  /** The commands in run order, each already a shell command line. */
  public List<String> commands(NodeInstall node, Profile profile) {
    List<String> out = new ArrayList<>();
    Accounts accounts = node.accounts();
    if (accounts.root() != null && !accounts.root().sshKeys().isEmpty()) {
      out.add(authorizedKeys("/root", "root", accounts.root().sshKeys()));
    }
    if (accounts.user() != null && !accounts.user().sshKeys().isEmpty()) {
      UserAccount user = accounts.user();
      out.add(authorizedKeys("/home/" + user.name(), user.name(), user.sshKeys()));
    }
    if (!profile.sysctl().isEmpty()) {
      StringBuilder conf = new StringBuilder("# DebVisor role profile " + profile.name() + "\n");
      for (Map.Entry<String, String> e : new java.util.TreeMap<>(profile.sysctl()).entrySet()) {
        conf.append(e.getKey()).append(" = ").append(e.getValue()).append('\n');
      }
      out.add(writeFile(SYSCTL_FILE, "0644", conf.toString()));
    }
    if (!profile.modules().isEmpty()) {
      StringBuilder conf = new StringBuilder("# DebVisor role profile " + profile.name() + "\n");
      profile.modules().stream().sorted().distinct().forEach(m -> conf.append(m).append('\n'));
      out.add(writeFile(MODULES_FILE, "0644", conf.toString()));
    }
    if (node.agent() != null) {
      out.addAll(agent(node, profile));
    }
    for (List<String> argv : node.lateCommands()) {
      List<String> inTarget = new ArrayList<>();
      inTarget.add("in-target");
      inTarget.addAll(argv);
      out.add(ShellQuoting.command(inTarget));
    }
    return List.copyOf(out);
  }

  /**
   * The commands as one {@code late_command} value: a single line, stopping at the first failure.
   */
  public String lateCommand(NodeInstall node, Profile profile) {
    return String.join(" && ", commands(node, profile));
  }

  /** The agent.yaml the late command writes: this node's name and its enrolment. */
  static AgentSettings agentSettings(NodeInstall node, Profile profile) {
    // As in image mode: a static address is served with mutual TLS; a DHCP node has none to name
    // up front, so its agent stays on loopback and reports through its heartbeats.
    Network net = node.network();
    return new AgentSettings(
        new NodeSettings(null, node.hostname()),
        GrpcSettings.servingOn(net.isStatic() ? net.address() : ""),
        null,
        null,
        null,
        null,
        null,
        null,
        ControllerSettings.enrolling(node.agent().controller(), profile.name()));
  }

  private List<String> agent(NodeInstall node, Profile profile) {
    AgentEnrolment agent = node.agent();
    String agentYaml =
        new AgentYamlWriter()
            .write(
                agentSettings(node, profile),
                "Written by the DebVisor installer. See /usr/share/debvisor-agent for every"
                    + " setting.");
    String fingerprint = agent.caFingerprint().replace(":", "").toLowerCase(Locale.ROOT);
    String caCheck =
        "sed -e '/-----BEGIN/,/-----END/!d' -e '/-----/d' "
            + AgentPaths.CA_FILE
            + " | base64 -d | sha256sum | grep -q '^"
            + fingerprint
            + " ' || { echo 'debvisor: "
            + CONTROLLER_CA_ON_MEDIA
            + " does not match agent.caFingerprint' >&2; exit 1; }";
    return List.of(
        ShellQuoting.command(List.of("cp", agentPackage, "/target" + TARGET_PACKAGE)),
        ShellQuoting.command(
            List.of(
                "in-target",
                "apt-get",
                "install",
                "-y",
                "--no-install-recommends",
                TARGET_PACKAGE)),
        ShellQuoting.command(List.of("rm", "-f", "/target" + TARGET_PACKAGE)),
        ShellQuoting.command(List.of("mkdir", "-p", "/target" + AgentPaths.CONFIG_DIR)),
        ShellQuoting.command(List.of("cp", CONTROLLER_CA_ON_MEDIA, "/target" + AgentPaths.CA_FILE)),
        ShellQuoting.command(List.of("in-target", "chmod", "0644", AgentPaths.CA_FILE)),
        ShellQuoting.command(List.of("in-target", "sh", "-c", caCheck)),
        writeFile(AgentPaths.TOKEN_FILE, "0600", agent.token() + "\n"),
        writeFile(AgentPaths.CONFIG_FILE, "0644", agentYaml),
        ShellQuoting.command(
            List.of("in-target", "systemctl", "enable", "debvisor-agent.service")));
  }

  private static String authorizedKeys(String home, String owner, List<String> keys) {
    String file = home + "/.ssh/authorized_keys";
    String content = String.join("\n", keys) + "\n";
    String script =
        "umask 077 && install -d -m 0700 "
            + home
            + "/.ssh && "
            + decodeTo(content, file)
            + " && chmod 0600 "
            + file
            + " && chown -R "
            + owner
            + ": "
            + home
            + "/.ssh";
    return ShellQuoting.command(List.of("in-target", "sh", "-c", script));
  }

  private static String writeFile(String path, String mode, String content) {
    String dir = path.substring(0, path.lastIndexOf('/'));
    // umask first: a secret file is never readable by others, not even between write and chmod.
    String script =
        "umask 077 && install -d -m 0755 "
            + dir
            + " && "
            + decodeTo(content, path)
            + " && chmod "
            + mode
            + " "
            + path;
    return ShellQuoting.command(List.of("in-target", "sh", "-c", script));
  }

  // Base64 has no shell metacharacters, so file contents never need quoting.
  private static String decodeTo(String content, String path) {
    String encoded = Base64.getEncoder().encodeToString(content.getBytes(StandardCharsets.UTF_8));
    return "echo " + encoded + " | base64 -d > " + path;
  }
}
