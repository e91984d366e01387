package org.debvisor.controller.node;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.debvisor.common.violation.Violation;

/**
 * Checks a {@link NodeInstall} before anything is rendered, and lists every problem with its field
 * path and rule. A model this accepts renders into a preseed whose values cannot break out of their
 * debconf line or their late command.
 */
public final class NodeValidator {

  /** Size of the EFI system partition and BIOS boot partition the expert recipe adds, in MB. */
  public static final long ESP_MB = 538;

  public static final long BIOS_BOOT_MB = 1;

  private final SortedSet<String> profileNames;

  /**
   * @param profileNames the role profiles that exist (the names of the loaded profiles)
   */
  public NodeValidator(Set<String> profileNames) {
    this.profileNames = new TreeSet<>(profileNames);
  }

  /** Every problem of the model; empty when it may be rendered. */
  public List<Violation> validate(NodeInstall node) {
    FieldChecks checks = new FieldChecks();
    if (checks.present("profile", node.profile())
        && checks.safeCharacters("profile", node.profile())
        && !profileNames.contains(node.profile())) {
      checks.add(
          "profile",
          "no role profile named '"
              + node.profile()
              + "'; known profiles: "
              + String.join(", ", profileNames));
    }
    checks.text("locale", node.locale(), ValueRules.LOCALE, ValueRules.LOCALE_RULE);
    checks.text("keyboard", node.keyboard(), ValueRules.KEYBOARD, ValueRules.KEYBOARD_RULE);
    checks.text("timezone", node.timezone(), ValueRules.TIMEZONE, ValueRules.TIMEZONE_RULE);
    checkName(checks, node);
    checkNetwork(checks, node.network());
    checkMirror(checks, node.mirror());
    AccountChecks.check(checks, node.accounts());
    DiskChecks.check(checks, node.disk());
    checkList(checks, "packages", node.packages(), ValueRules.PACKAGE, ValueRules.PACKAGE_RULE);
    checkList(checks, "tasks", node.tasks(), ValueRules.TASK, ValueRules.TASK_RULE);
    checkAgent(checks, node.agent());
    checkLateCommands(checks, node.lateCommands());
    checks.text("finish", node.finish(), ValueRules.FINISH, "must be reboot or poweroff");
    return checks.problems();
  }

  private static void checkName(FieldChecks checks, NodeInstall node) {
    boolean host =
        checks.present("hostname", node.hostname())
            && checks.text(
                "hostname", node.hostname(), ValueRules.HOST_LABEL, ValueRules.HOST_LABEL_RULE);
    if (host && node.hostname().matches("[0-9]+")) {
      checks.add("hostname", "must not be all digits (it would look like an address)");
    }
    boolean domain =
        checks.present("domain", node.domain())
            && checks.text("domain", node.domain(), ValueRules.DOMAIN, ValueRules.DOMAIN_RULE);
    if (domain && !ValueRules.isDnsName(node.domain())) {
      checks.add("domain", ValueRules.DOMAIN_RULE + "; the last label must not be all digits");
    }
    if (host && domain && node.hostname().length() + 1 + node.domain().length() > 253) {
      checks.add("domain", "hostname.domain must be at most 253 characters");
    }
  }

  private static void checkNetwork(FieldChecks checks, Network net) {
    checks.text(
        "network.interface", net.interfaceName(), ValueRules.INTERFACE, ValueRules.INTERFACE_RULE);
    if (!checks.text(
        "network.mode",
        net.mode(),
        java.util.regex.Pattern.compile("dhcp|static"),
        "must be dhcp or static")) {
      return;
    }
    if (!net.isStatic()) {
      String because = "with mode dhcp (set mode: static to give addresses)";
      checks.absent("network.address", net.address(), because);
      checks.absent("network.prefix", net.prefix(), because);
      checks.absent("network.gateway", net.gateway(), because);
      checks.absent("network.nameservers", net.nameservers(), because);
      return;
    }
    Optional<IpAddress> address = Optional.empty();
    if (checks.present("network.address", net.address())
        && checks.safeCharacters("network.address", net.address())) {
      address = IpAddress.parse(net.address());
      if (address.isEmpty()) {
        checks.add(
            "network.address",
            "must be an IPv4 address (e.g. 192.0.2.10) or an IPv6 address (e.g. 2001:db8::10),"
                + " without prefix");
      }
    }
    Integer prefix = net.prefix();
    boolean prefixOk = false;
    if (checks.present("network.prefix", prefix) && address.isPresent()) {
      int max = address.get().bits();
      if (prefix < 1 || prefix > max) {
        checks.add(
            "network.prefix",
            "must be 1 to "
                + max
                + " for an IPv"
                + (address.get().isV4() ? "4" : "6")
                + " address");
      } else {
        prefixOk = true;
      }
    }
    if (prefixOk && address.get().isV4NetworkAddress(prefix)) {
      checks.add("network.address", "is the network address of its /" + prefix + " subnet");
    }
    if (prefixOk && address.get().isV4Broadcast(prefix)) {
      checks.add("network.address", "is the broadcast address of its /" + prefix + " subnet");
    }
    if (net.gateway() != null && checks.safeCharacters("network.gateway", net.gateway())) {
      Optional<IpAddress> gateway = IpAddress.parse(net.gateway());
      if (gateway.isEmpty()) {
        checks.add("network.gateway", "must be an IPv4 or IPv6 address");
      } else if (prefixOk) {
        if (gateway.get().bits() != address.get().bits()) {
          checks.add("network.gateway", "must be of the same address family as network.address");
        } else if (!address.get().sameSubnet(gateway.get(), prefix)) {
          checks.add(
              "network.gateway",
              "must lie inside the subnet " + net.address() + "/" + prefix + " of network.address");
        } else if (gateway.get().equals(address.get())) {
          checks.add("network.gateway", "must differ from network.address");
        }
      }
    }
    List<String> dns = net.nameservers();
    if (dns.isEmpty() || dns.size() > 3) {
      checks.add("network.nameservers", "must list 1 to 3 DNS server addresses for mode static");
    }
    for (int i = 0; i < dns.size(); i++) {
      String field = "network.nameservers[" + i + "]";
      if (checks.present(field, dns.get(i))
          && checks.safeCharacters(field, dns.get(i))
          && IpAddress.parse(dns.get(i)).isEmpty()) {
        checks.add(field, "must be an IPv4 or IPv6 address");
      }
    }
  }

  private static void checkMirror(FieldChecks checks, Mirror mirror) {
    hostPort(checks, "mirror.host", mirror.host(), false);
    checks.text("mirror.path", mirror.path(), ValueRules.MIRROR_PATH, ValueRules.MIRROR_PATH_RULE);
    checks.text("mirror.suite", mirror.suite(), ValueRules.SUITE, ValueRules.SUITE_RULE);
    hostPort(checks, "mirror.securityHost", mirror.securityHost(), false);
    String proxy = mirror.proxy();
    if (proxy != null && checks.safeCharacters("mirror.proxy", proxy)) {
      ValueRules.proxyProblem(proxy).ifPresent(rule -> checks.add("mirror.proxy", rule));
    }
  }

  private static void hostPort(FieldChecks checks, String field, String value, boolean port) {
    if (value != null && checks.safeCharacters(field, value)) {
      ValueRules.hostPortProblem(value, port).ifPresent(rule -> checks.add(field, rule));
    }
  }

  private static void checkList(
      FieldChecks checks,
      String field,
      List<String> values,
      java.util.regex.Pattern pattern,
      String rule) {
    for (int i = 0; i < values.size(); i++) {
      String itemField = field + "[" + i + "]";
      if (checks.present(itemField, values.get(i))) {
        checks.text(itemField, values.get(i), pattern, rule);
      }
    }
  }

  private static void checkAgent(FieldChecks checks, AgentEnrolment agent) {
    if (agent == null) {
      return;
    }
    if (checks.present("agent.controller", agent.controller())) {
      hostPort(checks, "agent.controller", agent.controller(), true);
    }
    if (checks.present("agent.caFingerprint", agent.caFingerprint())) {
      checks.text(
          "agent.caFingerprint",
          agent.caFingerprint(),
          ValueRules.FINGERPRINT,
          ValueRules.FINGERPRINT_RULE);
    }
    if (checks.present("agent.token", agent.token())) {
      checks.text("agent.token", agent.token(), ValueRules.TOKEN, ValueRules.TOKEN_RULE);
    }
  }

  private static void checkLateCommands(FieldChecks checks, List<List<String>> commands) {
    if (commands.size() > 64) {
      checks.add("lateCommands", "must list at most 64 commands");
    }
    for (int i = 0; i < commands.size(); i++) {
      String field = "lateCommands[" + i + "]";
      List<String> argv = commands.get(i);
      if (!checks.present(field, argv)) {
        continue;
      }
      if (argv.isEmpty() || argv.size() > 64) {
        checks.add(field, "must be a list of 1 to 64 arguments, the command first");
        continue;
      }
      for (int j = 0; j < argv.size(); j++) {
        String argField = field + "[" + j + "]";
        String arg = argv.get(j);
        if (!checks.present(argField, arg)) {
          continue;
        }
        if (FieldChecks.containsLineBreakOrControl(arg)) {
          checks.add(
              argField,
              "must not contain control characters (newline, carriage return, NUL, tab, ...)");
        } else if (j == 0) {
          if (!ValueRules.COMMAND_NAME.matcher(arg).matches()) {
            checks.add(
                argField, "must be a command name or path (letters, digits, _ . / + -), no spaces");
          }
        } else if (!ValueRules.COMMAND_ARG.matcher(arg).matches()) {
          checks.add(
              argField,
              "must be printable ASCII without backslashes, at most 1024 characters (it is"
                  + " single-quoted for the shell)");
        }
      }
    }
  }
}
