package org.debvisor.controller.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * Opens key-authenticated SSH connections with strict host-key checking. Ignores {@code ~/.ssh}
 * entirely (no config file, no default identities, no agent): only the given identity and
 * known_hosts file count. One connector serves many hosts in parallel.
 */
public final class SshConnector implements AutoCloseable {

  /**
   * How to connect.
   *
   * @param identity private key file (OpenSSH or PEM, unencrypted)
   * @param knownHosts the known_hosts file to check against (and append to when accepting)
   * @param acceptNewHostKey trust an unknown host's key on first use and record it
   * @param connectTimeout TCP connect and key exchange
   * @param authTimeout public-key authentication
   */
  public record Settings(
      Path identity,
      KnownHostsFile knownHosts,
      boolean acceptNewHostKey,
      Duration connectTimeout,
      Duration authTimeout) {}

  private static final AttributeRepository.AttributeKey<HostKeyCheck> CHECK =
      new AttributeRepository.AttributeKey<>();

  private final Settings settings;
  private final List<KeyPair> identity;
  private final SshClient client;

  /**
   * Loads the identity and starts the client.
   *
   * @throws SshException when the identity file cannot be read or is protected by a passphrase
   */
  public SshConnector(Settings settings) throws SshException {
    this.settings = settings;
    this.identity = loadIdentity(settings.identity());
    client = SshClient.setUpDefaultClient();
    client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
    client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
    // Each connection carries its own check (target, verdict) in its connect context.
    client.setServerKeyVerifier(
        (session, remote, key) -> {
          AttributeRepository context = session.getConnectionContext();
          HostKeyCheck check = context == null ? null : context.getAttribute(CHECK);
          return check != null && check.verifyServerKey(session, remote, key);
        });
    client.start();
  }

  /**
   * Connects and authenticates.
   *
   * @throws HostKeyException when the host key does not match or is unknown (and may not be
   *     trusted); nothing was sent to the host then
   * @throws SshException when the host cannot be reached or refuses the key
   */
  public SshConnection connect(SshTarget target) throws SshException {
    HostKeyCheck check =
        new HostKeyCheck(settings.knownHosts(), target, settings.acceptNewHostKey());
    ClientSession session = null;
    try {
      ConnectFuture future =
          client.connect(
              target.user(),
              target.host(),
              target.port(),
              AttributeRepository.ofKeyValuePair(CHECK, check),
              null);
      if (!future.await(settings.connectTimeout())) {
        future.cancel();
        throw new SshException(
            "cannot connect to "
                + target
                + ": no answer within "
                + settings.connectTimeout().toSeconds()
                + " s (host down, wrong address, or a firewall dropping port "
                + target.port()
                + ")");
      }
      if (future.getException() != null) {
        throw connectFailure(target, future.getException());
      }
      session = future.getSession();
      for (KeyPair key : identity) {
        session.addPublicKeyIdentity(key);
      }
      try {
        session.auth().verify(settings.authTimeout());
      } catch (IOException e) {
        HostKeyCheck.Verdict v = check.verdict();
        if (v == HostKeyCheck.Verdict.MISMATCH
            || v == HostKeyCheck.Verdict.UNKNOWN_REFUSED
            || v == HostKeyCheck.Verdict.ERROR) {
          throw new HostKeyException(check.explanation());
        }
        if (v == HostKeyCheck.Verdict.NOT_CHECKED) {
          throw new SshException("SSH handshake with " + target + " failed: " + rootMessage(e), e);
        }
        throw new SshException(
            "authentication as "
                + target
                + " with the key "
                + settings.identity()
                + " was refused ("
                + rootMessage(e)
                + "); is its public key in ~"
                + target.user()
                + "/.ssh/authorized_keys on the host?",
            e);
      }
      SshConnection connection = new SshConnection(target, session, check.acceptedLine());
      session = null;
      return connection;
    } catch (IOException e) {
      throw connectFailure(target, e);
    } finally {
      if (session != null) {
        session.close(true);
      }
    }
  }

  private static SshException connectFailure(SshTarget target, Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String hint;
    if (root instanceof ConnectException) {
      hint = "connection refused (is sshd running there, and is port " + target.port() + " right?)";
    } else if (root instanceof NoRouteToHostException) {
      hint = "no route to host (wrong address, or the host is down)";
    } else if (root instanceof UnknownHostException) {
      hint = "unknown host name '" + target.host() + "' (check the name or use an address)";
    } else if (root instanceof SocketTimeoutException) {
      hint = "timed out (host down, or a firewall dropping port " + target.port() + ")";
    } else {
      hint = rootMessage(e);
    }
    return new SshException("cannot connect to " + target + ": " + hint, e);
  }

  static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String msg = root.getMessage();
    return msg == null ? root.getClass().getSimpleName() : msg;
  }

  private static List<KeyPair> loadIdentity(Path file) throws SshException {
    if (!Files.isRegularFile(file)) {
      throw new SshException(
          "--identity " + file + " does not exist or is not a file (give a private key file)");
    }
    try (InputStream in = Files.newInputStream(file)) {
      List<KeyPair> keys = new ArrayList<>();
      Iterable<KeyPair> loaded =
          SecurityUtils.loadKeyPairIdentities(
              null,
              NamedResource.ofName(file.toString()),
              in,
              (session, resource, retry) -> {
                throw new IOException("passphrase required");
              });
      if (loaded != null) {
        loaded.forEach(keys::add);
      }
      if (keys.isEmpty()) {
        throw new SshException("--identity " + file + " holds no private key");
      }
      return List.copyOf(keys);
    } catch (IOException | GeneralSecurityException e) {
      throw new SshException(
          "--identity "
              + file
              + " cannot be used: "
              + rootMessage(e)
              + " (give an unencrypted OpenSSH or PEM private key; passphrases are not supported)",
          e);
    }
  }

  @Override
  public void close() {
    client.stop();
  }
}
