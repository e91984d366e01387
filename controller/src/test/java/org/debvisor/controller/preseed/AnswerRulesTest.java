package org.debvisor.controller.preseed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each known question's value rule, on values the installer accepts and on values it must not. */
class AnswerRulesTest {

  private final AnswerRules rules = new AnswerRules(Set.of("boot-root"));

  @ParameterizedTest(name = "{0} accepts ''{1}''")
  @CsvSource(
      delimiter = '|',
      value = {
        "netcfg/get_hostname|node01",
        "netcfg/get_hostname|db01.dc1.example.org",
        "netcfg/hostname|unassigned-hostname",
        "netcfg/get_domain|example.org",
        "netcfg/get_domain|''",
        "netcfg/get_ipaddress|192.0.2.10",
        "netcfg/get_ipaddress|192.0.2.10/24",
        "netcfg/get_ipaddress|2001:db8::10/64",
        "netcfg/get_netmask|255.255.255.0",
        "netcfg/get_netmask|255.255.255.255",
        "netcfg/get_gateway|''",
        "netcfg/get_gateway|2001:db8::1",
        "netcfg/get_nameservers|192.0.2.53 2001:db8::53",
        "netcfg/get_nameservers|''",
        "netcfg/choose_interface|auto",
        "partman-auto/disk|/dev/nvme0n1",
        "partman-auto/disk|/dev/sda /dev/sdb",
        "partman-auto/disk|/dev/disk/by-id/ata-SAMSUNG_SSD_870_S5Y",
        "partman-auto/choose_recipe|atomic",
        "partman-auto/choose_recipe|boot-root",
        "partman-auto/choose_recipe|/lib/partman/recipes/30atomic",
        "partman-auto/method|crypto",
        "partman-auto-lvm/guided_size|max",
        "partman-auto-lvm/guided_size|50%",
        "partman-auto-lvm/guided_size|30GB",
        "partman-auto/expert_recipe|root :: 500 10000 1000000000 ext4 method{ format } .",
        "grub-installer/bootdev|default",
        "grub-installer/bootdev|(hd0,1)",
        "grub-installer/bootdev|/dev/sda /dev/sdb",
        "mirror/http/hostname|deb.debian.org",
        "mirror/http/hostname|192.0.2.80:8080",
        "mirror/http/directory|/debian",
        "mirror/http/proxy|''",
        "mirror/http/proxy|http://proxy.example.org:3128/",
        "mirror/suite|trixie",
        "passwd/username|debian",
        "passwd/user-fullname|Debian User",
        "time/zone|Europe/Berlin",
        "debian-installer/locale|en_US.UTF-8",
        "localechooser/supported-locales|en_US.UTF-8, de_DE.UTF-8",
        "keyboard-configuration/xkb-keymap|de",
        "pkgsel/include|openssh-server build-essential",
        "tasksel/first|standard, ssh-server",
        "unknown/question|'anything goes  '",
      })
  void accepts(String question, String value) {
    assertThat(rules.problem(DebconfLine.di(question, "string", value))).isEmpty();
  }

  @ParameterizedTest(name = "{0} refuses ''{1}''")
  @CsvSource(
      delimiter = '|',
      value = {
        "netcfg/get_hostname|bad_host..name|RFC 1123",
        "netcfg/get_hostname|12345|not all digits",
        "netcfg/get_hostname|'node01 '|start or end with spaces",
        "netcfg/get_hostname|''|RFC 1123",
        "netcfg/get_domain|example..org|DNS domain",
        "netcfg/get_ipaddress|192.0.2.300|IPv4 address",
        "netcfg/get_ipaddress|192.0.2.10/33|prefix must be 1 to 32",
        "netcfg/get_netmask|255.0.255.0|contiguous",
        "netcfg/get_netmask|0.0.0.0|contiguous",
        "netcfg/get_gateway|gateway.example.org|IPv4 address",
        "netcfg/get_nameservers|192.0.2.1 192.0.2.2 192.0.2.3 192.0.2.4|0 to 3",
        "netcfg/get_nameservers|192.0.2.1 ns.example.org|item 'ns.example.org'",
        "netcfg/choose_interface|eth0;reboot|interface name",
        "partman-auto/disk|/dev/sda1|whole disk",
        "partman-auto/disk|/dev/disk/by-id/ata-X-part2|partition",
        "partman-auto/disk|''|1 to 16",
        "partman-auto/choose_recipe|home-root|atomic, home, multi, boot-root",
        "partman-auto/method|zfs|regular, lvm, crypto or raid",
        "partman-auto-lvm/guided_size|lots|max",
        "partman-auto/expert_recipe|500 10000 -1 ext4 .|NAME ::",
        "partman-auto/expert_recipe|root :: 500 10000 -1 ext4|NAME ::",
        "grub-installer/bootdev|/dev/sda2|whole disk",
        "mirror/http/hostname|deb.debian.org/debian|host",
        "mirror/http/directory|debian|absolute path",
        "mirror/http/proxy|https://user:secret@proxy:3128/|http://HOST",
        "mirror/suite|Trixie!|suite",
        "passwd/username|root|system account",
        "passwd/username|Admin|login name",
        "passwd/user-fullname|Eve\"; rm -rf|letters, digits",
        "time/zone|Europe/Berlin;x|tz database",
        "debian-installer/locale|english|locale",
        "keyboard-configuration/xkb-keymap|US Layout|keyboard layout",
        "pkgsel/include|openssh-server vim;reboot|item 'vim;reboot'",
        "tasksel/first|standard, SSH Server|item 'SSH'",
      })
  void refuses(String question, String value, String ruleMentions) {
    assertThat(rules.problem(DebconfLine.di(question, "string", value)))
        .get()
        .asString()
        .contains(ruleMentions);
  }

  @ParameterizedTest(name = "late_command with ''{0}''")
  @CsvSource(
      delimiter = '|',
      value = {
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAWsjr1I8UlM2Kod91gRffHqtwc0EPHqBlze9rCeYKZN a@b|",
        "ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIAWsjr1I8UlM2Kod91gRffHqtwc0EPHqBlze9rCeYKZN a@b"
            + "|type and data disagree",
        "ssh-ed25519 AAAA|broken ssh-ed25519 key",
      })
  void sshKeysInCommandsMustBeWellFormed(String key, String ruleMentions) {
    var problem =
        rules.problem(
            DebconfLine.di(
                "preseed/late_command", "string", "in-target sh -c 'echo \"" + key + "\" > k'"));
    if (ruleMentions == null) {
      assertThat(problem).isEmpty();
    } else {
      assertThat(problem).get().asString().contains(ruleMentions);
    }
  }
}
