package org.debvisor.common.auth;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.debvisor.common.testing.TestCa;

/** Server-side TLS sessions from real handshakes over loopback, as a gRPC server would see them. */
final class MutualTlsSessions {

  private final TestCa ca = new TestCa("debvisor-ca");

  /** The server's session after a client presented a certificate with {@code subject}. */
  SSLSession serverSessionWithClient(String subject) throws Exception {
    return handshake(context(subject), true);
  }

  /** The server's session after a client that presented no certificate. */
  SSLSession serverSessionWithoutClient() throws Exception {
    return handshake(context(null), false);
  }

  private SSLSession handshake(SSLContext client, boolean needClientAuth) throws Exception {
    SSLContext serverContext = context("CN=node-1");
    try (SSLServerSocket listener =
        (SSLServerSocket)
            serverContext
                .getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      listener.setNeedClientAuth(needClientAuth);
      // The session is handed over before the server socket closes: closing a TLS 1.3 socket
      // waits for the peer's close_notify, which the client sends only once it has the session.
      CompletableFuture<SSLSession> accepted = new CompletableFuture<>();
      CompletableFuture<Void> serverDone =
          CompletableFuture.runAsync(
              () -> {
                try (SSLSocket socket = (SSLSocket) listener.accept()) {
                  socket.setSoTimeout(10_000);
                  socket.startHandshake();
                  accepted.complete(socket.getSession());
                } catch (Exception e) {
                  accepted.completeExceptionally(e);
                }
              });
      SSLSession session;
      try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket()) {
        socket.connect(new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort()));
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        session = accepted.get(20, TimeUnit.SECONDS);
      }
      serverDone.get(20, TimeUnit.SECONDS);
      return session;
    }
  }

  /** A context trusting the CA and, unless {@code subject} is null, holding a key it issued. */
  private SSLContext context(String subject) throws Exception {
    KeyManagerFactory keys = null;
    if (subject != null) {
      KeyPair pair = TestCa.newKeys();
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(
          "me",
          pair.getPrivate(),
          new char[0],
          new X509Certificate[] {ca.issue(subject, pair.getPublic()), ca.certificate()});
      keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, new char[0]);
    }
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    trusted.setCertificateEntry("ca", ca.certificate());
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
    return context;
  }
}
