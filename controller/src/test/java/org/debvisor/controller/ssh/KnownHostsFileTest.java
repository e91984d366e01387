package org.debvisor.controller.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnownHostsFileTest {

  @TempDir Path dir;

  private static KeyPair ed25519() throws Exception {
    return KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
  }

  @Test
  void appendsAndFindsPlainAndPortQualifiedNames() throws Exception {
    KnownHostsFile file = new KnownHostsFile(dir.resolve("sub/known_hosts"));
    KeyPair a = ed25519();
    KeyPair b = ed25519();
    String line = file.append("10.0.0.5", a.getPublic());
    file.append("[10.0.0.5]:2222", b.getPublic());

    assertThat(line).startsWith("10.0.0.5 ssh-ed25519 ");
    assertThat(Files.getPosixFilePermissions(dir.resolve("sub/known_hosts")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    var on22 = file.entriesFor("10.0.0.5", 22);
    assertThat(on22).hasSize(1);
    assertThat(on22.get(0).lineNumber()).isEqualTo(1);
    assertThat(KeyUtils.compareKeys(on22.get(0).key(), a.getPublic())).isTrue();
    var on2222 = file.entriesFor("10.0.0.5", 2222);
    assertThat(on2222).hasSize(1);
    assertThat(KeyUtils.compareKeys(on2222.get(0).key(), b.getPublic())).isTrue();
    assertThat(file.entriesFor("10.0.0.6", 22)).isEmpty();
  }

  @Test
  void findsHashedNamesWrittenByOpenSsh() throws Exception {
    Path path = dir.resolve("known_hosts");
    KnownHostsFile file = new KnownHostsFile(path);
    KeyPair a = ed25519();
    file.append("node7.example", a.getPublic());
    Process p =
        new ProcessBuilder("ssh-keygen", "-H", "-f", path.toString())
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    assertThat(Files.readString(path)).startsWith("|1|").doesNotContain("node7");

    var found = file.entriesFor("node7.example", 22);
    assertThat(found).hasSize(1);
    assertThat(KeyUtils.compareKeys(found.get(0).key(), a.getPublic())).isTrue();
  }

  @Test
  void aMissingFileKnowsNoHostAndABrokenLineIsNamed() throws Exception {
    assertThat(new KnownHostsFile(dir.resolve("none")).entriesFor("h", 22)).isEmpty();
    Path broken = dir.resolve("broken");
    Files.writeString(broken, "# comment\nh ssh-ed25519 not-base64!!\n");
    assertThatThrownBy(() -> new KnownHostsFile(broken).entriesFor("h", 22))
        .isInstanceOf(SshException.class)
        .hasMessageContaining(broken + " line 2");
  }
}
