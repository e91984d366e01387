package org.debvisor.controller.preseed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.debvisor.controller.node.Architecture;
import org.debvisor.controller.node.InvalidInputException;
import org.debvisor.controller.node.NodeInstall;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The example node rendered for every profile and architecture, compared byte for byte with {@code
 * src/test/resources/golden/PROFILE-ARCH.preseed}. After an intended change, regenerate them with
 * {@code ./mvnw -pl controller test -Dtest=PreseedGoldenTest -Ddebvisor.updateGolden=true} and
 * review the diff.
 */
class PreseedGoldenTest {

  private static final boolean UPDATE = Boolean.getBoolean("debvisor.updateGolden");

  static Stream<Arguments> profilesAndArchitectures() {
    List<Arguments> cases = new ArrayList<>();
    for (String profile : List.of("ceph", "hypervisor", "k8s")) {
      for (Architecture arch : Architecture.values()) {
        cases.add(Arguments.of(profile, arch));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("profilesAndArchitectures")
  void renderedPreseedMatchesItsGoldenFile(String profile, Architecture arch) throws Exception {
    String rendered = render(profile, arch);
    Path golden = goldenFile(profile, arch);
    if (UPDATE) {
      Files.writeString(golden, rendered, StandardCharsets.UTF_8);
    }
    assertThat(golden).as("golden file (regenerate with -Ddebvisor.updateGolden=true)").exists();
    assertThat(rendered).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("profilesAndArchitectures")
  void goldenFileHasExactlyTheExpectedQuestions(String profile, Architecture arch)
      throws IOException {
    PreseedParseResult parsed =
        new PreseedParser().parse(Files.readString(goldenFile(profile, arch)));

    assertThat(parsed.problems()).isEmpty();
    assertThat(parsed.keys()).containsExactlyElementsOf(expectedKeys(arch));
    assertThat(parsed.diValue("pkgsel/include").split(" ")).isSorted().doesNotHaveDuplicates();
    assertThat(parsed.diValue("partman-auto/expert_recipe"))
        .contains("mountpoint{ / }", "method{ efi }");
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("profilesAndArchitectures")
  void debconfSetSelectionsAcceptsTheGoldenFile(String profile, Architecture arch)
      throws Exception {
    DebconfCheck check = DebconfCheck.system();
    assumeTrue(check.available(), "debconf-set-selections is not installed (package debconf)");

    DebconfCheck.Result result = check.check(goldenFile(profile, arch));

    assertThat(result.output()).isEmpty();
    assertThat(result.exitCode()).isZero();
    assertThat(result.ok()).isTrue();
  }

  @org.junit.jupiter.api.Test
  void debconfCheckReportsABrokenFile(@TempDir Path dir) throws Exception {
    DebconfCheck check = DebconfCheck.system();
    assumeTrue(check.available(), "debconf-set-selections is not installed (package debconf)");
    Path bad = dir.resolve("bad.preseed");
    Files.writeString(bad, "d-i netcfg/hostname string x\nnot-a-debconf-line\n");

    DebconfCheck.Result result = check.check(bad);

    assertThat(result.ok()).isFalse();
    assertThat(result.output()).contains("parse error on line 2");
  }

  @org.junit.jupiter.api.Test
  void architecturesDifferOnlyInBootAndArchitecturePackages() throws Exception {
    PreseedParser parser = new PreseedParser();
    PreseedParseResult amd64 = parser.parse(render("hypervisor", Architecture.AMD64));
    PreseedParseResult arm64 = parser.parse(render("hypervisor", Architecture.ARM64));

    List<String> differing = new ArrayList<>();
    for (DebconfLine line : amd64.lines()) {
      if (!arm64.lines().contains(line)) {
        differing.add(line.question());
      }
    }

    assertThat(differing)
        .containsExactlyInAnyOrder(
            "partman-auto/expert_recipe",
            "pkgsel/include",
            "grub-installer/bootdev",
            // The install progress reports name the architecture.
            "preseed/early_command",
            "partman/early_command",
            "preseed/late_command");
    assertThat(amd64.diValue("pkgsel/include")).contains("qemu-system-x86", "ovmf");
    assertThat(arm64.diValue("pkgsel/include"))
        .contains("qemu-system-arm", "qemu-efi-aarch64")
        .doesNotContain("qemu-system-x86");
    assertThat(amd64.diValue("partman-auto/expert_recipe")).contains("method{ biosgrub }");
    assertThat(arm64.diValue("partman-auto/expert_recipe")).doesNotContain("biosgrub");
  }

  @org.junit.jupiter.api.Test
  void renderingIsDeterministic() throws Exception {
    assertThat(render("ceph", Architecture.ARM64)).isEqualTo(render("ceph", Architecture.ARM64));
  }

  @org.junit.jupiter.api.Test
  void builtInDataEqualsThePreseedFolder() throws Exception {
    PreseedData folder = TestData.data();
    PreseedData builtIn = new PreseedDataLoader().fromClasspath();

    assertThat(builtIn.profiles()).isEqualTo(folder.profiles());
    NodeInstall node = TestData.exampleNode();
    String fromFolder =
        new PreseedGenerator(folder, LateCommandBuilder.DEFAULT_AGENT_PACKAGE)
            .generate("node.yaml", node, Architecture.AMD64);
    String fromJar =
        new PreseedGenerator(builtIn, LateCommandBuilder.DEFAULT_AGENT_PACKAGE)
            .generate("node.yaml", node, Architecture.AMD64);
    assertThat(fromJar).isEqualTo(fromFolder);
  }

  static String render(String profile, Architecture arch) throws InvalidInputException {
    return new PreseedGenerator(TestData.data(), LateCommandBuilder.DEFAULT_AGENT_PACKAGE)
        .generate("examples/node.yaml", TestData.exampleNode().withProfile(profile), arch);
  }

  private static Path goldenFile(String profile, Architecture arch) {
    return Path.of(System.getProperty("debvisor.goldenDir", "src/test/resources/golden"))
        .resolve(profile + "-" + arch.debianName() + ".preseed");
  }

  /** Every question the example node's preseed answers, in file order. */
  static List<String> expectedKeys(Architecture arch) {
    List<String> keys =
        new ArrayList<>(
            List.of(
                "d-i debian-installer/locale",
                "d-i keyboard-configuration/xkb-keymap",
                "d-i keyboard-configuration/toggle",
                "d-i netcfg/choose_interface",
                "d-i netcfg/disable_autoconfig",
                "d-i netcfg/get_ipaddress",
                "d-i netcfg/get_netmask",
                "d-i netcfg/get_gateway",
                "d-i netcfg/get_nameservers",
                "d-i netcfg/confirm_static",
                "d-i netcfg/get_hostname",
                "d-i netcfg/get_domain",
                "d-i netcfg/hostname",
                "d-i netcfg/link_wait_timeout",
                "d-i netcfg/dhcp_timeout",
                "d-i netcfg/wireless_wep",
                "d-i hw-detect/load_firmware",
                "d-i mirror/http/hostname",
                "d-i mirror/http/directory",
                "d-i mirror/http/proxy",
                "d-i mirror/suite",
                "d-i mirror/country",
                "d-i mirror/protocol",
                "d-i passwd/root-login",
                "d-i passwd/root-password-crypted",
                "d-i passwd/make-user",
                "d-i passwd/user-fullname",
                "d-i passwd/username",
                "d-i passwd/user-password-crypted",
                "d-i time/zone",
                "d-i clock-setup/utc",
                "d-i clock-setup/ntp",
                "d-i partman-auto/disk",
                "d-i partman-auto/method",
                "d-i partman-auto/expert_recipe",
                "d-i partman-md/device_remove_md",
                "d-i partman-lvm/device_remove_lvm",
                "d-i partman-lvm/confirm",
                "d-i partman-lvm/confirm_nooverwrite",
                "d-i partman-partitioning/choose_label",
                "d-i partman-partitioning/default_label",
                "d-i partman-partitioning/confirm_write_new_label",
                "d-i partman-basicfilesystems/no_swap",
                "d-i partman/choose_partition",
                "d-i partman/confirm",
                "d-i partman/confirm_nooverwrite",
                "d-i partman/mount_style",
                "d-i apt-setup/security_host",
                "d-i apt-setup/non-free-firmware",
                "d-i apt-setup/contrib",
                "d-i apt-setup/non-free",
                "d-i apt-setup/cdrom/set-first",
                "d-i apt-setup/disable-cdrom-entries",
                "d-i apt-setup/services-select",
                "tasksel tasksel/first",
                "d-i pkgsel/include",
                "d-i pkgsel/upgrade",
                "popularity-contest popularity-contest/participate"));
    if (arch.hasBios()) {
      keys.add("d-i grub-installer/bootdev");
    }
    keys.addAll(
        List.of(
            "d-i grub-installer/only_debian",
            "d-i grub-installer/with_other_os",
            "d-i grub-installer/force-efi-extra-removable",
            "d-i preseed/early_command",
            "d-i partman/early_command",
            "d-i preseed/late_command",
            "d-i debian-installer/exit/poweroff",
            "d-i finish-install/reboot_in_progress",
            "d-i cdrom-detect/eject"));
    return keys;
  }
}
