package org.debvisor.controller.ssh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.forward.AcceptAllForwardingFilter;

/**
 * A real MINA SSH server on 127.0.0.1 with one host key that accepts one client public key and
 * records who logged in; it runs no commands (the tests only need connect and authentication).
 */
public final class LoopbackSshServer implements AutoCloseable {

  private final SshServer server;
  public final KeyPair hostKey;
  public final List<String> authenticatedUsers = new CopyOnWriteArrayList<>();
  // MINA asks the authenticator twice per key (offer, then signature): count each session once.
  private final Set<Session> counted = ConcurrentHashMap.newKeySet();
  public final AtomicInteger sessions = new AtomicInteger();

  public LoopbackSshServer(KeyPair hostKey, PublicKey authorized, PublicKey certificate)
      throws IOException {
    this.hostKey = hostKey;
    server = SshServer.setUpDefaultServer();
    server.setHost("127.0.0.1");
    server.setPort(0);
    server.setKeyPairProvider(session -> List.of(hostKey));
    if (certificate != null) {
      server.setHostKeyCertificateProvider(
          session -> List.of((org.apache.sshd.common.config.keys.OpenSshCertificate) certificate));
    }
    server.setPublickeyAuthenticator(
        (user, key, session) -> {
          boolean ok = KeyUtils.compareKeys(authorized, key);
          if (ok && counted.add(session)) {
            authenticatedUsers.add(user);
          }
          return ok;
        });
    // Lets a client use this server as a ProxyJump host.
    server.setForwardingFilter(AcceptAllForwardingFilter.INSTANCE);
    server.addSessionListener(
        new SessionListener() {
          @Override
          public void sessionCreated(Session session) {
            sessions.incrementAndGet();
          }
        });
    server.start();
  }

  public int port() {
    return server.getPort();
  }

  /** Reads the public key of an OpenSSH {@code .pub} file (plain key or certificate). */
  public static PublicKey readPublic(Path pub) throws Exception {
    return AuthorizedKeyEntry.parseAuthorizedKeyEntry(Files.readString(pub).strip())
        .resolvePublicKey(null, PublicKeyEntryResolver.FAILING);
  }

  @Override
  public void close() throws IOException {
    server.stop(true);
  }
}
