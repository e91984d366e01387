package org.debvisor.controller.ssh;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.HostConfigEntry;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.debvisor.common.error.Causes;

/**
 * Opens key-authenticated SSH connections with strict host-key checking, following OpenSSH's
 * conventions as far as the settings ask: an ssh_config file (aliases, HostName, User, Port,
 * IdentityFile, ProxyJump), several known_hosts files, default identities and a running ssh-agent.
 * One connector serves many hosts in parallel.
 */
public final class SshConnector implements AutoCloseable {

  /**
   * How to connect.
   *
   * @param config the ssh_config to resolve host aliases through ({@link SshClientConfig#NONE} for
   *     none)
   * @param identities key files and agent
   * @param knownHosts the known_hosts files to check against (and to record new keys in)
   * @param acceptNewHostKey trust an unknown host's key on first use and record it
   * @param connectTimeout TCP connect and key exchange
   * @param authTimeout public-key authentication
   */
  public record Settings(
      SshClientConfig config,
      Identities identities,
      KnownHosts knownHosts,
      boolean acceptNewHostKey,
      Duration connectTimeout,
      Duration authTimeout) {

    /** One unencrypted key, one known_hosts file, no ssh_config and no agent. */
    public Settings(
        Path identity,
        KnownHostsFile knownHosts,
        boolean acceptNewHostKey,
        Duration connectTimeout,
        Duration authTimeout) {
      this(
          SshClientConfig.NONE,
          Identities.only(identity),
          KnownHosts.only(knownHosts),
          acceptNewHostKey,
          connectTimeout,
          authTimeout);
    }
  }

  private static final AttributeRepository.AttributeKey<Hops> HOPS =
      new AttributeRepository.AttributeKey<>();

  private final Settings settings;
  private final KeyFiles.Loaded keys;
  private final SshClient client;

  /**
   * Loads the identities and starts the client.
   *
   * @throws SshException when a named identity file cannot be read, or a key is protected by a
   *     passphrase and no ssh-agent is available
   */
  public SshConnector(Settings settings) throws SshException {
    this.settings = settings;
    Identities ids = settings.identities();
    this.keys = KeyFiles.load(ids.files(), ids.explicit());
    if (ids.agentSocket().isEmpty()
        && !keys.encrypted().isEmpty()
        && (ids.explicit() || keys.keys().isEmpty())) {
      throw new SshException(KeyFiles.passphraseRefusal(keys.encrypted()));
    }
    client = SshClient.setUpDefaultClient();
    // Jump hosts are resolved by MINA through the same file; the target is resolved here.
    client.setHostConfigEntryResolver(settings.config().resolver());
    client.setKeyIdentityProvider(KeyIdentityProvider.wrapKeyPairs(keys.keys()));
    client.setFilePasswordProvider(FilePasswordProvider.EMPTY);
    ids.agentSocket().ifPresent(sock -> client.setAgentFactory(new UnixSocketAgentFactory(sock)));
    // Each connection carries its checks (one per hop) in its connect context.
    client.setServerKeyVerifier(
        (session, remote, key) -> {
          AttributeRepository context = session.getConnectionContext();
          Hops hops = context == null ? null : context.getAttribute(HOPS);
          if (hops == null) {
            return false;
          }
          SocketAddress address = session.getConnectAddress();
          if (address == null) {
            address = remote;
          }
          SshdSocketAddress where = SshdSocketAddress.toSshdSocketAddress(address);
          return hops.check(session, where.getHostName(), where.getPort()).verify(key);
        });
    client.start();
  }

  /**
   * Connects and authenticates.
   *
   * @throws HostKeyException when a host key (the target's or a jump host's) does not match, is
   *     revoked, or is unknown and may not be trusted; nothing was sent to the host then
   * @throws SshException when the host cannot be reached or refuses the keys
   */
  public SshConnection connect(SshTarget target) throws SshException {
    SshClientConfig.ResolvedHost resolved = settings.config().resolve(target);
    Identities ids = settings.identities();
    KeyFiles.Loaded hostKeys = keys;
    List<Path> keyFiles = ids.files();
    if (!ids.explicit() && !resolved.identityFiles().isEmpty()) {
      keyFiles = resolved.identityFiles();
      hostKeys = KeyFiles.load(keyFiles, false);
    }
    if (hostKeys.keys().isEmpty() && ids.agentSocket().isEmpty()) {
      throw new SshException(
          hostKeys.encrypted().isEmpty()
              ? "no SSH key for "
                  + target
                  + ": none of "
                  + String.join(", ", keyFiles.stream().map(Path::toString).toList())
                  + " exists and no ssh-agent is running ($SSH_AUTH_SOCK is not set); give a key"
                  + " with -i KEYFILE, name one with IdentityFile in ~/.ssh/config, or load one"
                  + " into ssh-agent"
              : KeyFiles.passphraseRefusal(hostKeys.encrypted()));
    }
    Hops hops =
        new Hops(
            target,
            resolved,
            settings.config(),
            settings.knownHosts(),
            settings.acceptNewHostKey());
    HostConfigEntry entry =
        new HostConfigEntry(
            target.host(),
            resolved.hostName(),
            resolved.port(),
            resolved.user(),
            resolved.proxyJump());
    String keysTried = describeKeys(hostKeys, keyFiles);
    ClientSession session = null;
    try {
      ConnectFuture future =
          client.connect(entry, AttributeRepository.ofKeyValuePair(HOPS, hops), null);
      if (!future.await(settings.connectTimeout())) {
        future.cancel();
        throw hops.refusal()
            .<SshException>map(e -> e)
            .orElseGet(
                () ->
                    new SshException(
                        "cannot connect to "
                            + hops.describeTarget()
                            + ": no answer within "
                            + settings.connectTimeout().toSeconds()
                            + " s (host down, wrong address, or a firewall dropping port "
                            + resolved.port()
                            + ")"));
      }
      if (future.getException() != null) {
        Optional<HostKeyException> refused = hops.refusal();
        if (refused.isPresent()) {
          throw refused.get();
        }
        throw connectFailure(hops.describeTarget(), resolved, future.getException());
      }
      session = future.getSession();
      session.setKeyIdentityProvider(KeyIdentityProvider.wrapKeyPairs(hostKeys.keys()));
      try {
        session.auth().verify(settings.authTimeout());
      } catch (IOException e) {
        Optional<HostKeyException> refused = hops.refusal();
        if (refused.isPresent()) {
          throw refused.get();
        }
        if (!hops.targetChecked()) {
          throw new SshException(
              "SSH handshake with " + hops.describeTarget() + " failed: " + Causes.rootMessage(e),
              e);
        }
        throw new SshException(
            "authentication as "
                + hops.describeTarget()
                + " with "
                + keysTried
                + " was refused ("
                + Causes.rootMessage(e)
                + "); is the public key in ~"
                + resolved.user()
                + "/.ssh/authorized_keys on the host?",
            e);
      }
      SshConnection connection = new SshConnection(target, session, hops.acceptedLines());
      session = null;
      return connection;
    } catch (IOException e) {
      Optional<HostKeyException> refused = hops.refusal();
      if (refused.isPresent()) {
        throw refused.get();
      }
      throw connectFailure(hops.describeTarget(), resolved, e);
    } finally {
      if (session != null) {
        session.close(true);
      }
    }
  }

  private String describeKeys(KeyFiles.Loaded loaded, List<Path> files) {
    List<String> parts = new ArrayList<>();
    List<String> used =
        files.stream()
            .filter(f -> Files.isRegularFile(f) && !loaded.encrypted().contains(f))
            .map(Path::toString)
            .toList();
    if (!used.isEmpty()) {
      parts.add("the key(s) in " + String.join(", ", used));
    }
    settings
        .identities()
        .agentSocket()
        .ifPresent(sock -> parts.add("the keys of the ssh-agent at " + sock));
    return String.join(" and ", parts);
  }

  /**
   * The host-key checks of one connection attempt: the ProxyJump hosts in order, then the target.
   * MINA reaches a host behind a jump through a local tunnel, so its session's address is the
   * tunnel's; each new session is therefore matched to the next hop by order, and checked under
   * that hop's own name and port.
   */
  private static final class Hops {
    private record Hop(String label, String host, int port) {}

    private final SshTarget target;
    private final SshClientConfig.ResolvedHost resolved;
    private final KnownHosts knownHosts;
    private final boolean acceptNew;
    private final List<Hop> hops = new ArrayList<>();
    private final Map<ClientSession, Hop> bySession = new ConcurrentHashMap<>();
    private final List<HostKeyCheck> checks = new CopyOnWriteArrayList<>();
    private volatile HostKeyCheck targetCheck;

    Hops(
        SshTarget target,
        SshClientConfig.ResolvedHost resolved,
        SshClientConfig config,
        KnownHosts knownHosts,
        boolean acceptNew) {
      this.target = target;
      this.resolved = resolved;
      this.knownHosts = knownHosts;
      this.acceptNew = acceptNew;
      if (resolved.proxyJump() != null) {
        for (String spec : resolved.proxyJump().split(",")) {
          hops.add(jump(spec.strip(), config));
        }
      }
      hops.add(new Hop(describeTarget(), resolved.hostName(), resolved.port()));
    }

    private static Hop jump(String spec, SshClientConfig config) {
      String label = "jump host " + spec;
      try {
        SshClientConfig.ResolvedHost j =
            config.resolve(SshTarget.parse(spec.replaceFirst("^ssh://", "")));
        return new Hop(label, j.hostName(), j.port());
      } catch (IllegalArgumentException | SshException e) {
        // Not [user@]host[:port]: MINA will refuse it with its own message.
        return new Hop(label, spec, 22);
      }
    }

    synchronized HostKeyCheck check(ClientSession session, String host, int port) {
      Hop hop =
          bySession.computeIfAbsent(
              session,
              s -> {
                int index = bySession.size();
                return index < hops.size()
                    ? hops.get(index)
                    : new Hop("host " + host + ":" + port, host, port);
              });
      HostKeyCheck check =
          new HostKeyCheck(knownHosts, hop.label(), hop.host(), hop.port(), acceptNew);
      checks.add(check);
      if (hop == hops.getLast()) {
        targetCheck = check;
      }
      return check;
    }

    /** {@code target}, plus where ssh_config sent it when that differs. */
    String describeTarget() {
      String h =
          resolved.hostName().contains(":") ? "[" + resolved.hostName() + "]" : resolved.hostName();
      String actual =
          resolved.user() + "@" + h + (resolved.port() == 22 ? "" : ":" + resolved.port());
      String given = target.toString();
      return given.equals(actual) ? given : given + " (" + actual + ")";
    }

    boolean targetChecked() {
      return targetCheck != null && targetCheck.verdict() != HostKeyCheck.Verdict.NOT_CHECKED;
    }

    Optional<HostKeyException> refusal() {
      return checks.stream()
          .filter(HostKeyCheck::refused)
          .findFirst()
          .map(c -> new HostKeyException(c.explanation()));
    }

    /** The known_hosts lines written for newly trusted keys, or null when none. */
    String acceptedLines() {
      List<String> lines =
          checks.stream().map(HostKeyCheck::acceptedLine).filter(l -> l != null).toList();
      return lines.isEmpty() ? null : String.join("\n", lines);
    }
  }

  private static SshException connectFailure(
      String target, SshClientConfig.ResolvedHost resolved, Throwable e) {
    Throwable root = Causes.root(e);
    String hint;
    if (root instanceof ConnectException) {
      hint =
          "connection refused (is sshd running there, and is port " + resolved.port() + " right?)";
    } else if (root instanceof NoRouteToHostException) {
      hint = "no route to host (wrong address, or the host is down)";
    } else if (root instanceof UnknownHostException || root instanceof UnresolvedAddressException) {
      hint =
          "unknown host name '"
              + resolved.hostName()
              + "' (check the name, add a Host entry with HostName to ~/.ssh/config, or use an"
              + " address)";
    } else if (root instanceof SocketTimeoutException) {
      hint = "timed out (host down, or a firewall dropping port " + resolved.port() + ")";
    } else {
      hint = Causes.rootMessage(e);
    }
    return new SshException("cannot connect to " + target + ": " + hint, e);
  }

  @Override
  public void close() {
    client.stop();
  }
}
