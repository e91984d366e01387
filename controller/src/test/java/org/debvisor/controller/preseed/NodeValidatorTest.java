package org.debvisor.controller.preseed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.debvisor.common.violation.Violation;
import org.debvisor.controller.node.InvalidInputException;
import org.debvisor.controller.node.NodeInstall;
import org.debvisor.controller.node.NodeLoader;
import org.debvisor.controller.node.NodeValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NodeValidatorTest {

  private final PreseedData data = TestData.data();
  private final NodeValidator validator = new NodeValidator(data.profiles().keySet());

  @Test
  void exampleAndMinimalNodesAreValid() {
    assertThat(validator.validate(TestData.exampleNode())).isEmpty();
    assertThat(validator.validate(TestData.parse(TestData.minimalYaml()))).isEmpty();
  }

  static Stream<Arguments> badValues() {
    return Stream.of(
        Arguments.of("hostname", "a;reboot", "hostname", "RFC 1123"),
        Arguments.of("hostname", "-node", "hostname", "RFC 1123"),
        Arguments.of("hostname", "node.example", "hostname", "RFC 1123"),
        Arguments.of("hostname", "x".repeat(64), "hostname", "RFC 1123"),
        Arguments.of("hostname", "12345", "hostname", "all digits"),
        Arguments.of("domain", "example..org", "domain", "RFC 1123"),
        Arguments.of("domain", "example.org;id", "domain", "RFC 1123"),
        Arguments.of("domain", "10.0.0.1", "domain", "last label"),
        Arguments.of("locale", "english", "locale", "en_US.UTF-8"),
        Arguments.of("keyboard", "us$(id)", "keyboard", "keyboard layout"),
        Arguments.of("timezone", "../../etc/passwd", "timezone", "tz database"),
        Arguments.of("network.interface", "eth0 eth1", "network.interface", "interface name"),
        Arguments.of("network.address", "192.0.2.300", "network.address", "IPv4 address"),
        Arguments.of("network.address", "192.0.2.0", "network.address", "network address"),
        Arguments.of("network.address", "192.0.2.255", "network.address", "broadcast"),
        Arguments.of("network.address", "localhost", "network.address", "IPv4 address"),
        Arguments.of("network.gateway", "198.51.100.1", "network.gateway", "inside the subnet"),
        Arguments.of("network.gateway", "2001:db8::1", "network.gateway", "same address family"),
        Arguments.of("network.gateway", "192.0.2.10", "network.gateway", "differ"),
        Arguments.of(
            "network.nameservers[0]", "dns.example.org", "network.nameservers[0]", "IPv4 or IPv6"),
        Arguments.of("network.mode", "bootp", "network.mode", "dhcp or static"),
        Arguments.of("mirror.host", "deb.debian.org/evil", "mirror.host", "host"),
        Arguments.of("mirror.host", "deb.debian.org:99999", "mirror.host", "port 99999"),
        Arguments.of("mirror.path", "/debian/../etc", "mirror.path", "absolute path"),
        Arguments.of("mirror.path", "debian", "mirror.path", "absolute path"),
        Arguments.of("mirror.suite", "Trixie!", "mirror.suite", "suite"),
        Arguments.of(
            "mirror.securityHost", "security.debian.org/evil", "mirror.securityHost", "host"),
        Arguments.of("mirror.proxy", "http://user:pw@proxy:3128/", "mirror.proxy", "no user name"),
        Arguments.of("mirror.proxy", "ftp://proxy/", "mirror.proxy", "http://"),
        Arguments.of(
            "accounts.root.passwordHash", "hunter2", "accounts.root.passwordHash", "plain-text"),
        Arguments.of(
            "accounts.user.passwordHash", "$1$abc$def", "accounts.user.passwordHash", "SHA-512"),
        Arguments.of(
            "accounts.root.sshKeys[0]",
            "ssh-ed25519",
            "accounts.root.sshKeys[0]",
            "OpenSSH public key"),
        Arguments.of(
            "accounts.root.sshKeys[0]",
            "ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIPknspr6MQuHwfnzMsTQMfZMEwQ2+2T310RUlSQL0aGI x",
            "accounts.root.sshKeys[0]",
            "type and data disagree"),
        Arguments.of(
            "accounts.root.sshKeys[0]",
            "command=\"reboot\" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPknspr6MQuHwfnzMsTQMfZMEwQ2+2T310RUlSQL0aGI",
            "accounts.root.sshKeys[0]",
            "no options"),
        Arguments.of("accounts.user.name", "Admin", "accounts.user.name", "login name"),
        Arguments.of("accounts.user.name", "daemon", "accounts.user.name", "system account"),
        Arguments.of(
            "accounts.user.fullName", "Ops $(reboot)", "accounts.user.fullName", "letters"),
        Arguments.of("disk.target", "/dev/sda1", "disk.target", "whole disk"),
        Arguments.of("disk.target", "/dev/disk/by-id/ata-X-part2", "disk.target", "partition"),
        Arguments.of("disk.target", "/dev/../dev/sda", "disk.target", "whole disk"),
        Arguments.of("disk.recipe", "raid", "disk.recipe", "atomic, lvm or expert"),
        Arguments.of("disk.size", "40GB", "disk.size", "size like"),
        Arguments.of("disk.size", "12G", "disk.partitions", "more than disk.size"),
        Arguments.of("disk.partitions[0].min", "ten", "disk.partitions[0].min", "size like"),
        Arguments.of("disk.partitions[0].max", "5G", "disk.partitions[0].max", "smaller than min"),
        Arguments.of(
            "disk.partitions[0].filesystem", "ntfs", "disk.partitions[0].filesystem", "ext4"),
        Arguments.of(
            "disk.partitions[1].mountpoint", "/", "disk.partitions[1].mountpoint", "earlier"),
        Arguments.of(
            "disk.partitions[1].mountpoint",
            "/boot/efi",
            "disk.partitions[1].mountpoint",
            "reserved"),
        Arguments.of(
            "disk.partitions[1].mountpoint",
            "var",
            "disk.partitions[1].mountpoint",
            "absolute path"),
        Arguments.of("packages[0]", "vim;reboot", "packages[0]", "package name"),
        Arguments.of("tasks[0]", "Standard Tools", "tasks[0]", "tasksel"),
        Arguments.of("agent.controller", "controller.example.org", "agent.controller", "host:port"),
        Arguments.of("agent.controller", "[::1]:0", "agent.controller", "port 0"),
        Arguments.of("agent.caFingerprint", "abc", "agent.caFingerprint", "SHA-256"),
        Arguments.of("agent.token", "short", "agent.token", "16 to 256"),
        Arguments.of("agent.token", "token-with-$(reboot)-inside", "agent.token", "letters"),
        Arguments.of(
            "lateCommands[0][0]", "systemctl enable", "lateCommands[0][0]", "command name"),
        Arguments.of("lateCommands[1][2]", "echo \\ hi", "lateCommands[1][2]", "backslashes"),
        Arguments.of("finish", "halt", "finish", "reboot or poweroff"),
        Arguments.of("profile", "webserver", "profile", "known profiles: ceph, hypervisor, k8s"));
  }

  @ParameterizedTest(name = "{0} = {1}")
  @MethodSource("badValues")
  void eachRuleNamesItsField(String path, String value, String field, String ruleText) {
    List<Violation> problems =
        validate(new NodeYamlFields(TestData.exampleYaml()).with(path, value));

    assertThat(problems).as("problems for %s = %s", path, value).isNotEmpty();
    assertThat(problems)
        .anySatisfy(
            p -> {
              assertThat(p.field()).isEqualTo(field);
              assertThat(p.rule()).contains(ruleText);
            });
  }

  @Test
  void hostnameWithShellSyntaxIsRefusedNamingHostname() {
    List<Violation> problems =
        validate(new NodeYamlFields(TestData.exampleYaml()).with("hostname", "a;reboot"));

    assertThat(problems).extracting(Violation::field).containsExactly("hostname");
  }

  @Test
  void plainTextPasswordIsRefusedWithAHint() {
    List<Violation> problems =
        validate(
            new NodeYamlFields(TestData.exampleYaml())
                .with("accounts.user.passwordHash", "correct horse battery staple"));

    assertThat(problems)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.field()).isEqualTo("accounts.user.passwordHash");
              assertThat(p.rule())
                  .contains("plain-text password", "refused", "mkpasswd -m sha-512");
            });
  }

  @Test
  void aNodeWithManyProblemsListsThemAll() {
    String yaml =
        """
        profile: nosuch
        locale: xx
        hostname: "a;reboot"
        domain: "-bad-"
        network:
          mode: static
          address: 10.0.0.5
          prefix: 40
          nameservers: []
        mirror:
          path: relative
        accounts:
          root:
            passwordHash: secret
        disk:
          target: /dev/sda1
          recipe: atomic
          partitions:
            - mountpoint: /
        agent:
          controller: nohostport
          caFingerprint: zz
          token: t
        finish: later
        """;

    List<Violation> problems = validate(yaml);

    assertThat(problems)
        .extracting(Violation::field)
        .containsExactlyInAnyOrder(
            "profile",
            "locale",
            "hostname",
            "domain",
            "network.prefix",
            "network.nameservers",
            "mirror.path",
            "accounts.root.passwordHash",
            "disk.target",
            "disk.partitions",
            "agent.controller",
            "agent.caFingerprint",
            "agent.token",
            "finish");
  }

  @Test
  void requiredSectionsAreNamed() {
    List<Violation> problems = validate("profile: ceph\n");

    assertThat(problems)
        .extracting(Violation::toString)
        .containsExactlyInAnyOrder(
            "hostname: is required",
            "domain: is required",
            "accounts: is required",
            "disk: is required");
  }

  @Test
  void staticAddressesAreOnlyAllowedWithModeStatic() {
    String yaml =
        TestData.minimalYaml() + "network:\n  address: 192.0.2.4\n  nameservers: [192.0.2.53]\n";

    assertThat(validate(yaml))
        .extracting(Violation::field)
        .containsExactlyInAnyOrder("network.address", "network.nameservers");
  }

  @Test
  void ipv6StaticAddressIsAccepted() {
    String yaml =
        TestData.minimalYaml()
            + "network:\n  mode: static\n  address: 2001:db8::10\n  prefix: 64\n"
            + "  gateway: 2001:db8::1\n  nameservers: [2001:db8::53]\n";

    assertThat(validate(yaml)).isEmpty();
  }

  @Test
  void accountsNeedRootOrUser() {
    String yaml = TestData.minimalYaml().replaceAll("(?s)accounts:.*?disk:", "accounts: {}\ndisk:");

    assertThat(validate(yaml)).extracting(Violation::field).containsExactly("accounts");
  }

  @Test
  void unknownKeyIsAnErrorNamingTheKey() {
    assertThatThrownBy(
            () -> new NodeLoader().parse("node.yaml", TestData.minimalYaml() + "hostnme: x\n"))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e ->
                assertThat(e.problems())
                    .singleElement()
                    .satisfies(p -> assertThat(p.rule()).contains("unknown key 'hostnme'")));
  }

  @Test
  void wrongTypeIsAnErrorNamingTheKey() {
    String yaml = TestData.minimalYaml() + "network:\n  prefix: [1]\n";

    assertThatThrownBy(() -> new NodeLoader().parse("node.yaml", yaml))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e ->
                assertThat(e.problems())
                    .extracting(Violation::field)
                    .containsExactly("network.prefix"));
  }

  @Test
  void hostnameDotDomainMayBe253CharactersButNot254() {
    String host = "h".repeat(63);
    String domain189 = "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(61);
    String atLimit = TestData.minimalYaml().replace("hostname: k1", "hostname: " + host);

    assertThat(validate(atLimit.replace("domain: lab.example.org", "domain: " + domain189)))
        .isEmpty();
    assertThat(validate(atLimit.replace("domain: lab.example.org", "domain: " + domain189 + "c")))
        .extracting(Violation::toString)
        .containsExactly("domain: hostname.domain must be at most 253 characters");
  }

  static Stream<Arguments> prefixes() {
    return Stream.of(
        Arguments.of("192.0.2.10", null, 0, "network.prefix: must be 1 to 32 for an IPv4 address"),
        Arguments.of("192.0.2.10", null, 1, null),
        Arguments.of("192.0.2.10", null, 30, null),
        Arguments.of("192.0.2.10", null, 33, "network.prefix: must be 1 to 32 for an IPv4 address"),
        Arguments.of(
            "2001:db8::10", null, 0, "network.prefix: must be 1 to 128 for an IPv6 address"),
        Arguments.of(
            "2001:db8::10",
            "2001:db8::1",
            128,
            "network.gateway: must lie inside the" + " subnet 2001:db8::10/128 of network.address"),
        Arguments.of("2001:db8::10", null, 128, null),
        Arguments.of(
            "2001:db8::10", null, 129, "network.prefix: must be 1 to 128 for an IPv6 address"),
        Arguments.of("192.0.2.0", null, 22, null),
        Arguments.of(
            "192.0.2.0",
            null,
            24,
            "network.address: is the network address of its /24" + " subnet"),
        Arguments.of(
            "192.0.2.255",
            null,
            25,
            "network.address: is the broadcast address of its" + " /25 subnet"),
        Arguments.of("192.0.2.255", null, 23, null));
  }

  @ParameterizedTest(name = "{0}/{2}")
  @MethodSource("prefixes")
  void prefixFitsTheAddressFamily(String address, String gateway, int prefix, String problem) {
    String yaml =
        TestData.minimalYaml()
            + "network:\n  mode: static\n  address: "
            + address
            + "\n  prefix: "
            + prefix
            + (gateway == null ? "" : "\n  gateway: " + gateway)
            + "\n  nameservers: [192.0.2.53]\n";

    List<Violation> problems = validate(yaml);

    if (problem == null) {
      assertThat(problems).isEmpty();
    } else {
      assertThat(problems).extracting(Violation::toString).containsExactly(problem);
    }
  }

  @Test
  void aPrefixIsNotJudgedAgainstAnAddressThatIsNotOne() {
    String yaml =
        TestData.minimalYaml()
            + "network:\n  mode: static\n  address: 192.0.2\n  prefix: 99\n"
            + "  gateway: 192.0.2.1\n  nameservers: [192.0.2.53]\n";

    assertThat(validate(yaml)).extracting(Violation::field).containsExactly("network.address");
  }

  @Test
  void aGatewayThatIsNoAddressIsRefusedWhateverThePrefix() {
    String yaml =
        TestData.minimalYaml()
            + "network:\n  mode: static\n  address: 192.0.2.10\n  prefix: 40\n"
            + "  gateway: gw.example.org\n  nameservers: [192.0.2.53]\n";

    assertThat(validate(yaml))
        .extracting(Violation::toString)
        .containsExactly(
            "network.prefix: must be 1 to 32 for an IPv4 address",
            "network.gateway: must be an IPv4 or IPv6 address");
  }

  @Test
  void dhcpRefusesEachStaticKeyByName() {
    String yaml =
        TestData.minimalYaml()
            + "network:\n  mode: dhcp\n  address: 192.0.2.10\n  prefix: 24\n"
            + "  gateway: 192.0.2.1\n  nameservers: [192.0.2.53]\n";

    assertThat(validate(yaml))
        .extracting(Violation::toString)
        .containsExactly(
            "network.address: must not be set with mode dhcp (set mode: static to give addresses)",
            "network.prefix: must not be set with mode dhcp (set mode: static to give addresses)",
            "network.gateway: must not be set with mode dhcp (set mode: static to give addresses)",
            "network.nameservers: must not be set with mode dhcp (set mode: static to give"
                + " addresses)");
  }

  @Test
  void anUnknownModeIsTheOnlyNetworkProblemReported() {
    String yaml =
        TestData.minimalYaml()
            + "network:\n  mode: bootp\n  address: 192.0.2.10\n  prefix: 99\n"
            + "  nameservers: []\n";

    assertThat(validate(yaml))
        .extracting(Violation::toString)
        .containsExactly("network.mode: must be dhcp or static");
  }

  @Test
  void oneToThreeNameserversAreAccepted() {
    String base =
        TestData.minimalYaml()
            + "network:\n  mode: static\n  address: 192.0.2.10\n"
            + "  prefix: 24\n  nameservers: ";
    String rule = "network.nameservers: must list 1 to 3 DNS server addresses for mode static";

    assertThat(validate(base + "[192.0.2.53]\n")).isEmpty();
    assertThat(validate(base + "[192.0.2.53, 192.0.2.54, 2001:db8::53]\n")).isEmpty();
    assertThat(validate(base + "[192.0.2.53, 192.0.2.54, 192.0.2.55, 192.0.2.56]\n"))
        .extracting(Violation::toString)
        .containsExactly(rule);
    assertThat(validate(base + "[]\n")).extracting(Violation::toString).containsExactly(rule);
    assertThat(validate(base + "[192.0.2.53, ns.example.org]\n"))
        .extracting(Violation::toString)
        .containsExactly("network.nameservers[1]: must be an IPv4 or IPv6 address");
  }

  @Test
  void lateCommandsAreLimitedTo64CommandsOf64Arguments() {
    String command64 = "  - [" + "true, " + "x, ".repeat(62) + "x]\n";
    String command65 = "  - [" + "true, " + "x, ".repeat(63) + "x]\n";

    assertThat(validate(lateCommands(64, command64))).isEmpty();
    assertThat(validate(lateCommands(65, "  - [true]\n")))
        .extracting(Violation::toString)
        .containsExactly("lateCommands: must list at most 64 commands");
    assertThat(validate(lateCommands(1, command65)))
        .extracting(Violation::toString)
        .containsExactly("lateCommands[0]: must be a list of 1 to 64 arguments, the command first");
    assertThat(validate(lateCommands(1, "  - []\n")))
        .extracting(Violation::toString)
        .containsExactly("lateCommands[0]: must be a list of 1 to 64 arguments, the command first");
  }

  @Test
  void aLateCommandsArgumentsAreCheckedEachByItsOwnRule() {
    String yaml =
        TestData.minimalYaml()
            + "lateCommands:\n"
            + "  - [\"sh -c\", \"a b\", \"x\\\\y\"]\n"
            + "  - [\"echo\\tx\", \"ok\", \"tab\\there\"]\n"
            + "  - [/usr/bin/env, \"A=1\"]\n";

    assertThat(validate(yaml))
        .extracting(Violation::field)
        .containsExactly(
            "lateCommands[0][0]", "lateCommands[0][2]", "lateCommands[1][0]", "lateCommands[1][2]");
  }

  private static String lateCommands(int count, String command) {
    return TestData.minimalYaml() + "lateCommands:\n" + command.repeat(count);
  }

  private List<Violation> validate(String yaml) {
    NodeInstall node;
    try {
      node = new NodeLoader().parse("test.yaml", yaml);
    } catch (InvalidInputException e) {
      return e.problems();
    }
    return validator.validate(node);
  }
}
