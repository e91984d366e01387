package org.debvisor.controller.preseed;

import static org.assertj.core.api.Assertions.assertThat;

import org.debvisor.controller.node.Architecture;
import org.junit.jupiter.api.Test;

/** Renderings other than the golden example: DHCP, atomic, LVM, IPv6, user-only, poweroff. */
class RendererVariantsTest {

  private final PreseedGenerator generator =
      new PreseedGenerator(TestData.data(), LateCommandBuilder.DEFAULT_AGENT_PACKAGE);
  private final PreseedParser parser = new PreseedParser();

  @Test
  void dhcpAtomicRootOnly() throws Exception {
    PreseedParseResult p = render(TestData.minimalYaml(), Architecture.ARM64);

    assertThat(p.problems()).isEmpty();
    assertThat(p.diValue("netcfg/choose_interface")).isEqualTo("auto");
    assertThat(p.find("d-i", "netcfg/get_ipaddress")).isEmpty();
    assertThat(p.diValue("partman-auto/method")).isEqualTo("regular");
    assertThat(p.diValue("partman-auto/choose_recipe")).isEqualTo("atomic");
    assertThat(p.diValue("passwd/make-user")).isEqualTo("false");
    assertThat(p.find("d-i", "passwd/username")).isEmpty();
    assertThat(p.diValue("mirror/http/hostname")).isEqualTo("deb.debian.org");
    assertThat(p.diValue("mirror/suite")).isEqualTo("trixie");
    assertThat(p.diValue("time/zone")).isEqualTo("Etc/UTC");
    assertThat(p.find("d-i", "grub-installer/bootdev")).isEmpty();
  }

  @Test
  void lvmUserOnlyIpv6Poweroff() throws Exception {
    String yaml =
        """
        profile: hypervisor
        hostname: hv7
        domain: example.net
        timezone: Europe/Berlin
        network:
          interface: enp1s0
          mode: static
          address: 2001:db8:1::7
          prefix: 64
          gateway: 2001:db8:1::1
          nameservers: [2001:db8::53]
        accounts:
          user:
            name: ops
            passwordHash: "$6$rounds=5000$abc$rR6kmZB8E.h//2ih6FfpD9YQfaMRN20lQtyYwmwkPTVSVZibjHqFQZbUTOmSaJt11gf.TmnM7i8HkNgyiEk7Q."
        disk:
          target: /dev/disk/by-id/nvme-Samsung_SSD_980_1TB_S64ANS0T123456
          recipe: lvm
        finish: poweroff
        """;

    PreseedParseResult p = render(yaml, Architecture.AMD64);

    assertThat(p.problems()).isEmpty();
    assertThat(p.diValue("netcfg/choose_interface")).isEqualTo("enp1s0");
    assertThat(p.diValue("netcfg/get_ipaddress")).isEqualTo("2001:db8:1::7/64");
    assertThat(p.find("d-i", "netcfg/get_netmask")).isEmpty();
    assertThat(p.diValue("partman-auto/method")).isEqualTo("lvm");
    assertThat(p.diValue("partman-auto-lvm/guided_size")).isEqualTo("max");
    assertThat(p.diValue("passwd/root-login")).isEqualTo("false");
    assertThat(p.diValue("passwd/user-fullname")).isEqualTo("ops");
    assertThat(p.diValue("grub-installer/bootdev"))
        .isEqualTo("/dev/disk/by-id/nvme-Samsung_SSD_980_1TB_S64ANS0T123456");
    assertThat(p.diValue("debian-installer/exit/poweroff")).isEqualTo("true");
  }

  private PreseedParseResult render(String yaml, Architecture arch) throws Exception {
    String text = generator.generate("test.yaml", TestData.parse(yaml), arch);
    // Whatever the renderer writes, preseed validate must accept without a finding.
    assertThat(new PreseedValidator(false).validate(text).findings()).isEmpty();
    return parser.parse(text);
  }
}
