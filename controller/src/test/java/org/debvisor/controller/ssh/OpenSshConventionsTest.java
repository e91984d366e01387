package org.debvisor.controller.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenSSH's conventions against a real MINA server on loopback: ssh_config aliases, default
 * identities, both known_hosts files (hashed, @revoked, @cert-authority), ssh-agent, ProxyJump.
 * Every test uses its own HOME, so the machine's ~/.ssh is never read.
 */
class OpenSshConventionsTest {

  @TempDir Path dir;
  private Path home;
  private Path global;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeEach
  void home() throws IOException {
    home = dir.resolve("home");
    Files.createDirectories(home.resolve(".ssh"));
    global = dir.resolve("etc/ssh_known_hosts");
    Files.createDirectories(global.getParent());
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : toClose.reversed()) {
      c.close();
    }
  }

  private static void run(List<String> command, Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(env);
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process p = pb.start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.exitValue()).as(command + ": " + out).isZero();
  }

  /** A key made by OpenSSH's ssh-keygen (empty passphrase = unencrypted). */
  private static Path keygen(Path file, String type, String passphrase) throws Exception {
    Files.createDirectories(file.getParent());
    run(
        List.of("ssh-keygen", "-q", "-t", type, "-N", passphrase, "-C", "", "-f", file.toString()),
        Map.of());
    return file;
  }

  private static PublicKey pub(Path key) throws Exception {
    return LoopbackSshServer.readPublic(Path.of(key + ".pub"));
  }

  private LoopbackSshServer server(KeyPair hostKey, PublicKey authorized, PublicKey cert)
      throws IOException {
    LoopbackSshServer s = new LoopbackSshServer(hostKey, authorized, cert);
    toClose.add(s);
    return s;
  }

  private static KeyPair ed25519() throws Exception {
    return KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
  }

  private static void trust(Path file, String pattern, PublicKey key) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(
        file,
        pattern + " " + PublicKeyEntry.toString(key) + "\n",
        java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
  }

  private SshConnector connector(
      SshClientConfig config, Identities ids, KnownHosts known, boolean acceptNew)
      throws SshException {
    SshConnector c =
        new SshConnector(
            new SshConnector.Settings(
                config, ids, known, acceptNew, Duration.ofSeconds(60), Duration.ofSeconds(60)));
    toClose.add(c);
    return c;
  }

  private Identities defaults(Map<String, String> env) {
    return Identities.openSshDefaults(List.of(), home, env);
  }

  private KnownHosts openSshKnownHosts() {
    return KnownHosts.openSshDefaults(home, global);
  }

  private static String at(LoopbackSshServer s) {
    return "[127.0.0.1]:" + s.port();
  }

  @Test
  void anAliasResolvesThroughSshConfigWithItsUserPortAndIdentityFile() throws Exception {
    Path key = keygen(dir.resolve("keys/deploy_ed25519"), "ed25519", "");
    LoopbackSshServer s = server(ed25519(), pub(key), null);
    Path config = home.resolve(".ssh/config");
    Files.writeString(
        config,
        "Host staging-*\n  HostName 127.0.0.1\n  Port "
            + s.port()
            + "\n  User ops\n  IdentityFile "
            + key
            + "\n\nHost *\n  ServerAliveInterval 30\n");
    trust(home.resolve(".ssh/known_hosts"), at(s), s.hostKey.getPublic());
    SshConnector c =
        connector(SshClientConfig.file(config), defaults(Map.of()), openSshKnownHosts(), false);

    try (SshConnection conn = c.connect(SshTarget.parse("staging-node-1"))) {
      assertThat(conn.target().toString()).isEqualTo("staging-node-1");
      assertThat(conn.acceptedHostKeyLine()).isNull();
    }
    // A user written out wins over the file's User, as with ssh.
    c.connect(SshTarget.parse("deploy@staging-node-1")).close();
    assertThat(s.authenticatedUsers).containsExactly("ops", "deploy");
  }

  @Test
  void theDefaultIdentityAndAHashedEntryOfTheGlobalFileAreUsed() throws Exception {
    Path key = keygen(home.resolve(".ssh/id_ecdsa"), "ecdsa", "");
    LoopbackSshServer s = server(ed25519(), pub(key), null);
    trust(global, at(s), s.hostKey.getPublic());
    run(List.of("ssh-keygen", "-q", "-H", "-f", global.toString()), Map.of());
    assertThat(Files.readString(global)).startsWith("|1|").doesNotContain("127.0.0.1");
    SshConnector c =
        connector(
            SshClientConfig.file(home.resolve(".ssh/config")),
            defaults(Map.of()),
            openSshKnownHosts(),
            false);

    c.connect(SshTarget.parse("127.0.0.1:" + s.port())).close();

    assertThat(s.authenticatedUsers).containsExactly("root");
    assertThat(home.resolve(".ssh/known_hosts")).doesNotExist();
  }

  @Test
  void aChangedHostKeyShowsBothFingerprintsAndTheLineAndSendsNothing() throws Exception {
    Path key = keygen(home.resolve(".ssh/id_ed25519"), "ed25519", "");
    LoopbackSshServer s = server(ed25519(), pub(key), null);
    KeyPair old = ed25519();
    Path user = home.resolve(".ssh/known_hosts");
    trust(user, at(s), old.getPublic());
    String before = Files.readString(user);
    SshConnector c = connector(SshClientConfig.NONE, defaults(Map.of()), openSshKnownHosts(), true);

    assertThatThrownBy(() -> c.connect(SshTarget.parse("127.0.0.1:" + s.port())))
        .isInstanceOf(HostKeyException.class)
        .hasMessageContaining("HOST KEY MISMATCH for 127.0.0.1:" + s.port())
        .hasMessageContaining(KeyUtils.getFingerPrint(s.hostKey.getPublic()))
        .hasMessageContaining(KeyUtils.getFingerPrint(old.getPublic()))
        .hasMessageContaining(user + " line 1");
    assertThat(s.authenticatedUsers).isEmpty();
    assertThat(Files.readString(user)).isEqualTo(before);
  }

  @Test
  void anUnknownHostNamesBothFilesAndIsOnlyTrustedWhenAsked() throws Exception {
    Path key = keygen(home.resolve(".ssh/id_ed25519"), "ed25519", "");
    LoopbackSshServer s = server(ed25519(), pub(key), null);
    Path user = home.resolve(".ssh/known_hosts");
    SshTarget target = SshTarget.parse("127.0.0.1:" + s.port());

    SshConnector strict =
        connector(SshClientConfig.NONE, defaults(Map.of()), openSshKnownHosts(), false);
    assertThatThrownBy(() -> strict.connect(target))
        .isInstanceOf(HostKeyException.class)
        .hasMessageContaining("is not in " + user + ", " + global)
        .hasMessageContaining(KeyUtils.getFingerPrint(s.hostKey.getPublic()))
        .hasMessageContaining("--accept-new-host-key");
    assertThat(s.authenticatedUsers).isEmpty();
    assertThat(user).doesNotExist();

    SshConnector tofu =
        connector(SshClientConfig.NONE, defaults(Map.of()), openSshKnownHosts(), true);
    try (SshConnection conn = tofu.connect(target)) {
      assertThat(conn.acceptedHostKeyLine()).startsWith(at(s) + " ssh-ed25519 ");
    }
    assertThat(Files.readString(user)).startsWith(at(s) + " ssh-ed25519 ");
    assertThat(Files.getPosixFilePermissions(user))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(global).doesNotExist();
    // Recorded once: the next connection is an ordinary known host.
    try (SshConnection again = strict.connect(target)) {
      assertThat(again.acceptedHostKeyLine()).isNull();
    }
  }

  @Test
  void aRevokedKeyIsRefusedEvenWhenTheOtherFileTrustsIt() throws Exception {
    Path key = keygen(home.resolve(".ssh/id_ed25519"), "ed25519", "");
    LoopbackSshServer s = server(ed25519(), pub(key), null);
    trust(home.resolve(".ssh/known_hosts"), at(s), s.hostKey.getPublic());
    trust(global, "@revoked " + at(s), s.hostKey.getPublic());
    SshConnector c = connector(SshClientConfig.NONE, defaults(Map.of()), openSshKnownHosts(), true);

    assertThatThrownBy(() -> c.connect(SshTarget.parse("127.0.0.1:" + s.port())))
        .isInstanceOf(HostKeyException.class)
        .hasMessageContaining("is marked @revoked in " + global + " line 1")
        .hasMessageContaining("nothing was sent");
    assertThat(s.authenticatedUsers).isEmpty();
  }

  @Test
  void aHostCertificateSignedByACertAuthorityIsAccepted() throws Exception {
    Path key = keygen(home.resolve(".ssh/id_ed25519"), "ed25519", "");
    Path ca = keygen(dir.resolve("ca/host_ca"), "ed25519", "");
    Path hostKeyFile = keygen(dir.resolve("host/ssh_host_ed25519_key"), "ed25519", "");
    run(
        List.of(
            "ssh-keygen",
            "-q",
            "-s",
            ca.toString(),
            "-h",
            "-I",
            "node",
            "-n",
            "127.0.0.1",
            hostKeyFile + ".pub"),
        Map.of());
    KeyPair hostKey = KeyFiles.load(List.of(hostKeyFile), true).keys().getFirst();
    PublicKey cert =
        LoopbackSshServer.readPublic(dir.resolve("host/ssh_host_ed25519_key-cert.pub"));
    LoopbackSshServer s = server(hostKey, pub(key), cert);
    trust(home.resolve(".ssh/known_hosts"), "@cert-authority " + at(s), pub(ca));
    SshConnector c =
        connector(SshClientConfig.NONE, defaults(Map.of()), openSshKnownHosts(), false);

    c.connect(SshTarget.parse("127.0.0.1:" + s.port())).close();

    assertThat(s.authenticatedUsers).containsExactly("root");
  }

  @Test
  void aPassphraseProtectedKeyIsRefusedWithoutAnAgentAndUsedThroughOne() throws Exception {
    Path key = keygen(home.resolve(".ssh/id_ed25519"), "ed25519", "correct horse");
    LoopbackSshServer s = server(ed25519(), pub(key), null);
    trust(home.resolve(".ssh/known_hosts"), at(s), s.hostKey.getPublic());

    assertThatThrownBy(
            () -> connector(SshClientConfig.NONE, defaults(Map.of()), openSshKnownHosts(), false))
        .isInstanceOf(SshException.class)
        .hasMessageContaining(key + " is protected by a passphrase")
        .hasMessageContaining("ssh-add " + key);
    assertThat(s.sessions.get()).isZero();

    Path socket = dir.resolve("agent.sock");
    Process agent =
        new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    toClose.add(agent::destroy);
    for (int i = 0; i < 200 && !Files.exists(socket); i++) {
      Thread.sleep(25);
    }
    Path askpass = dir.resolve("askpass");
    Files.writeString(askpass, "#!/bin/sh\necho 'correct horse'\n");
    askpass.toFile().setExecutable(true);
    run(
        List.of("ssh-add", "-q", key.toString()),
        Map.of(
            "SSH_AUTH_SOCK",
            socket.toString(),
            "SSH_ASKPASS",
            askpass.toString(),
            "SSH_ASKPASS_REQUIRE",
            "force",
            "DISPLAY",
            ":0"));

    SshConnector c =
        connector(
            SshClientConfig.NONE,
            defaults(Map.of("SSH_AUTH_SOCK", socket.toString())),
            openSshKnownHosts(),
            false);
    c.connect(SshTarget.parse("127.0.0.1:" + s.port())).close();

    assertThat(s.authenticatedUsers).containsExactly("root");
  }

  @Test
  void noKeyAtAllIsExplainedBeforeAnyHostIsContacted() throws Exception {
    LoopbackSshServer s = server(ed25519(), ed25519().getPublic(), null);
    trust(home.resolve(".ssh/known_hosts"), at(s), s.hostKey.getPublic());
    SshConnector c =
        connector(SshClientConfig.NONE, defaults(Map.of()), openSshKnownHosts(), false);

    assertThatThrownBy(() -> c.connect(SshTarget.parse("127.0.0.1:" + s.port())))
        .isInstanceOf(SshException.class)
        .hasMessageContaining("none of " + home.resolve(".ssh/id_ed25519"))
        .hasMessageContaining("$SSH_AUTH_SOCK is not set");
    assertThat(s.sessions.get()).isZero();
  }

  @Test
  void proxyJumpGoesThroughTheJumpHostAndChecksBothHostKeys() throws Exception {
    Path key = keygen(home.resolve(".ssh/id_ed25519"), "ed25519", "");
    LoopbackSshServer jump = server(ed25519(), pub(key), null);
    LoopbackSshServer inner = server(ed25519(), pub(key), null);
    Path config = home.resolve(".ssh/config");
    Files.writeString(
        config,
        "Host inner\n  HostName 127.0.0.1\n  Port "
            + inner.port()
            + "\n  ProxyJump hop@127.0.0.1:"
            + jump.port()
            + "\n");
    Path user = home.resolve(".ssh/known_hosts");
    trust(user, at(inner), inner.hostKey.getPublic());
    SshConnector c =
        connector(SshClientConfig.file(config), defaults(Map.of()), openSshKnownHosts(), false);

    assertThatThrownBy(() -> c.connect(SshTarget.parse("inner")))
        .isInstanceOf(HostKeyException.class)
        .hasMessageContaining("jump host hop@127.0.0.1:" + jump.port())
        .hasMessageContaining(KeyUtils.getFingerPrint(jump.hostKey.getPublic()));
    assertThat(jump.authenticatedUsers).isEmpty();
    assertThat(inner.sessions.get()).isZero();

    trust(user, at(jump), jump.hostKey.getPublic());
    c.connect(SshTarget.parse("inner")).close();
    assertThat(jump.authenticatedUsers).containsExactly("hop");
    assertThat(inner.authenticatedUsers).containsExactly("root");
  }
}
