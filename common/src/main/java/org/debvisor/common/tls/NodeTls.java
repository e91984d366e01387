package org.debvisor.common.tls;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The node's current TLS identity, shared by the agent's mTLS listener and its calls to the
 * controller; replacing the credentials takes effect at the next handshake.
 */
public final class NodeTls {

  private final ReloadingKeyManager keys = new ReloadingKeyManager();
  private final ReloadingTrustManager trust = new ReloadingTrustManager();
  private final List<Consumer<NodeCredentials>> listeners = new CopyOnWriteArrayList<>();
  private volatile NodeCredentials current;

  /** Installs new credentials and tells the listeners. */
  public void update(NodeCredentials credentials) {
    trust.set(credentials.caBundle());
    keys.set(credentials);
    current = credentials;
    listeners.forEach(l -> l.accept(credentials));
  }

  /** Called with every credentials update (first enrolment and each renewal). */
  public void onUpdate(Consumer<NodeCredentials> listener) {
    listeners.add(listener);
  }

  public Optional<NodeCredentials> current() {
    return Optional.ofNullable(current);
  }

  /** Serves the current key and certificate (server and client side). */
  public X509ExtendedKeyManager keyManager() {
    return keys;
  }

  /** Trusts only the current controller CA bundle. */
  public X509ExtendedTrustManager trustManager() {
    return trust;
  }
}
