package org.debvisor.controller.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.debvisor.agent.settings.SettingsLoader;
import org.debvisor.agentapi.AgentPaths;
import org.debvisor.agentapi.AgentSettings;
import org.debvisor.common.digest.Sha256;
import org.debvisor.common.violation.Violation;
import org.debvisor.controller.node.Architecture;
import org.debvisor.controller.node.InvalidInputException;
import org.debvisor.controller.node.NodeInstall;
import org.debvisor.controller.node.NodeLoader;
import org.debvisor.controller.node.Profile;
import org.debvisor.controller.preseed.PreseedDataLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageInstallTest {

  private static final long EPOCH = 1767225600L;
  private static final String HASH =
      "$6$debvisorexample$rR6kmZB8E.h//2ih6FfpD9YQfaMRN20lQtyYwmwkPTVSVZibjHqFQZbUTOmSaJt11gf.TmnM7i8HkNgyiEk7Q.";
  private static final String KEY =
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPknspr6MQuHwfnzMsTQMfZMEwQ2+2T310RUlSQL0aGI op@example.org";

  private static Profile ceph;
  private static String caPem;
  private static String caFingerprint;

  @TempDir Path dir;

  @BeforeAll
  static void setUp() throws Exception {
    ceph = new PreseedDataLoader().fromClasspath().profiles().get("ceph");
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    KeyPair pair = generator.generateKeyPair();
    X500Name name = new X500Name("CN=test CA");
    X509Certificate ca =
        new JcaX509CertificateConverter()
            .getCertificate(
                new JcaX509v3CertificateBuilder(
                        name,
                        BigInteger.ONE,
                        Date.from(Instant.now()),
                        Date.from(Instant.now().plusSeconds(3600)),
                        name,
                        pair.getPublic())
                    .build(
                        new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
    caPem =
        "-----BEGIN CERTIFICATE-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(ca.getEncoded())
            + "\n-----END CERTIFICATE-----\n";
    caFingerprint = Sha256.hex(ca.getEncoded());
  }

  private static NodeInstall node(String extra) throws InvalidInputException {
    String yaml =
        "profile: ceph\nhostname: node07\ndomain: lab.example.org\n"
            + "accounts:\n  root:\n    passwordHash: \""
            + HASH
            + "\"\n    sshKeys:\n      - "
            + KEY
            + "\n  user:\n    name: ops\n    fullName: Ops Team\n    passwordHash: \""
            + HASH
            + "\"\n    sshKeys:\n      - "
            + KEY
            + "\ndisk:\n  target: /dev/vda\n"
            + extra;
    return new NodeLoader().parse("node.yaml", yaml);
  }

  private InstallImage image(String arch, String profile, List<String> packages) throws Exception {
    return InstallImage.open(ImageDirFixture.write(dir.resolve("image"), arch, profile, packages));
  }

  @Test
  void answerAndFilesDescribeTheNode() throws Exception {
    NodeInstall node =
        node(
            "agent:\n  controller: 10.0.2.2:5443\n  caFingerprint: "
                + caFingerprint
                + "\n  token: dvb_abc_0123456789abcdef\n"
                + "lateCommands:\n  - [touch, /etc/late ran]\n");
    InstallImage image = image("amd64", "ceph", List.of("ceph-common", "chrony"));

    ImageInstall install =
        ImageInstall.prepare("node.yaml", node, ceph, Architecture.AMD64, image, caPem, EPOCH);

    assertThat(install.installConf())
        .contains("format 1\n", "hostname node07\n", "domain lab.example.org\n", "arch amd64\n")
        .contains("disk /dev/vda\n", "image_sha256 " + image.rootfsSha256() + "\n")
        .contains("part bios 1MiB none -\n", "part root rest ext4 /\n")
        .contains("user ops 1000 Ops Team\n", "password root " + HASH + "\n")
        .contains("password ops " + HASH + "\n", "finish reboot\n");
    Map<String, TarArchiveEntry> entries = new LinkedHashMap<>();
    Map<String, String> contents = new LinkedHashMap<>();
    readTar(install.overlayTar(), entries, contents);
    assertThat(contents.get("etc/hostname")).isEqualTo("node07\n");
    assertThat(contents.get("etc/hosts")).contains("127.0.1.1\tnode07.lab.example.org node07");
    assertThat(contents.get("root/.ssh/authorized_keys")).isEqualTo(KEY + "\n");
    assertThat(entries.get("root/.ssh/authorized_keys").getMode() & 0777).isEqualTo(0600);
    assertThat(entries.get("home/ops/.ssh/authorized_keys").getUserName()).isEqualTo("ops");
    assertThat(entries.get("home/ops/.ssh/").getMode() & 0777).isEqualTo(0700);
    assertThat(contents.get("etc/debvisor/bootstrap-token")).isEqualTo("dvb_abc_0123456789abcdef");
    assertThat(entries.get("etc/debvisor/bootstrap-token").getMode() & 0777).isEqualTo(0600);
    assertThat(contents.get("etc/debvisor/controller-ca.pem")).isEqualTo(caPem);
    assertThat(contents.get("etc/debvisor/agent.yaml"))
        .contains("address: \"10.0.2.2:5443\"")
        .doesNotContain("0.0.0.0")
        .doesNotContain("dvb_abc");
    assertThat(contents.get("etc/sysctl.d/60-debvisor.conf")).contains("vm.swappiness = 10");
    assertThat(contents.get("etc/systemd/network/10-debvisor.network")).contains("DHCP=yes");
    assertThat(contents.get("etc/default/grub")).contains("console=ttyS0,115200n8");
    assertThat(contents.get("usr/lib/debvisor/late-commands")).contains("touch '/etc/late ran'\n");
    assertThat(entries.keySet()).noneMatch(n -> n.equals("root/") || n.equals("etc/"));

    ImageInstall again =
        ImageInstall.prepare("node.yaml", node, ceph, Architecture.AMD64, image, caPem, EPOCH);
    assertThat(again.overlayTar()).isEqualTo(install.overlayTar());
    assertThat(again.fingerprint()).isEqualTo(install.fingerprint());
  }

  @Test
  void theOverlaysAgentYamlLoadsInTheAgentWithEnrolment() throws Exception {
    NodeInstall node =
        node(
            "network:\n  interface: ens3\n  mode: static\n  address: 192.0.2.10\n  prefix: 24\n"
                + "agent:\n  controller: 10.0.2.2:5443\n  caFingerprint: "
                + caFingerprint
                + "\n  token: dvb_abc_0123456789abcdef\n");
    ImageInstall install =
        ImageInstall.prepare(
            "node.yaml",
            node,
            ceph,
            Architecture.AMD64,
            image("amd64", "ceph", List.of()),
            caPem,
            EPOCH);
    Path root = dir.resolve("installed");
    Map<String, TarArchiveEntry> entries = new LinkedHashMap<>();
    Map<String, String> contents = new LinkedHashMap<>();
    readTar(install.overlayTar(), entries, contents);
    for (Map.Entry<String, String> file : contents.entrySet()) {
      Path target = root.resolve(file.getKey());
      Files.createDirectories(target.getParent());
      Files.writeString(target, file.getValue());
    }

    AgentSettings settings =
        new SettingsLoader(root).load(root.resolve(AgentPaths.CONFIG_FILE.substring(1)));

    assertThat(settings.controller().address()).isEqualTo("10.0.2.2:5443");
    assertThat(settings.controller().profile()).isEqualTo("ceph");
    assertThat(settings.grpc().listen()).containsExactly("127.0.0.1:5000", "192.0.2.10:5000");
    String ca = settings.controller().caFile().toString().substring(1);
    String token = settings.controller().tokenFile().toString().substring(1);
    assertThat(contents.get(ca)).isEqualTo(caPem);
    assertThat(contents.get(token)).isEqualTo("dvb_abc_0123456789abcdef");
    assertThat(entries.get(token).getMode() & 0777).isEqualTo(0600);
  }

  @Test
  void staticNetworkIsWrittenForSystemdNetworkd() throws Exception {
    NodeInstall node =
        node(
            "network:\n  interface: ens3\n  mode: static\n  address: 192.0.2.10\n  prefix: 24\n"
                + "  gateway: 192.0.2.1\n  nameservers: [192.0.2.53]\n");
    ImageInstall install =
        ImageInstall.prepare(
            "node.yaml",
            node,
            ceph,
            Architecture.ARM64,
            image("arm64", "ceph", List.of()),
            null,
            EPOCH);

    Map<String, String> contents = new LinkedHashMap<>();
    readTar(install.overlayTar(), new LinkedHashMap<>(), contents);
    assertThat(contents.get("etc/systemd/network/10-debvisor.network"))
        .contains(
            "Name=ens3\n", "Address=192.0.2.10/24\n", "Gateway=192.0.2.1\n", "DNS=192.0.2.53\n");
    assertThat(contents.get("etc/hosts")).contains("192.0.2.10\tnode07.lab.example.org");
    assertThat(contents.get("etc/default/grub")).contains("ttyAMA0").doesNotContain("GRUB_SERIAL");
    assertThat(install.installConf()).contains("arch arm64\n").doesNotContain("part bios");
  }

  @Test
  void everyMismatchWithTheImageIsNamed() throws Exception {
    NodeInstall node =
        node(
            "packages: [htop, chrony]\nagent:\n  controller: c.example.org:5443\n"
                + "  caFingerprint: "
                + "00".repeat(32)
                + "\n  token: dvb_abc_0123456789abcdef\n");
    InstallImage image = image("arm64", "hypervisor", List.of("chrony"));

    assertThatThrownBy(
            () ->
                ImageInstall.prepare(
                    "node.yaml", node, ceph, Architecture.AMD64, image, caPem, EPOCH))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e ->
                assertThat(e.problems())
                    .extracting(Violation::field)
                    .containsExactly("--arch", "profile", "packages[0]", "agent.caFingerprint"));
  }

  @Test
  void anEnrollingNodeNeedsTheControllerCa() throws Exception {
    NodeInstall node =
        node(
            "agent:\n  controller: c.example.org:5443\n  caFingerprint: "
                + caFingerprint
                + "\n  token: dvb_abc_0123456789abcdef\n");
    InstallImage image = image("amd64", "ceph", List.of());

    assertThatThrownBy(
            () ->
                ImageInstall.prepare(
                    "node.yaml", node, ceph, Architecture.AMD64, image, null, EPOCH))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("agent: ")
        .hasMessageContaining("--controller-ca FILE");
  }

  private static void readTar(
      byte[] tar, Map<String, TarArchiveEntry> entries, Map<String, String> contents)
      throws IOException {
    try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
      for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
        entries.put(e.getName(), e);
        assertThat(e.getLastModifiedDate().toInstant().getEpochSecond()).isEqualTo(EPOCH);
        if (!e.isDirectory()) {
          contents.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
      }
    }
  }
}
