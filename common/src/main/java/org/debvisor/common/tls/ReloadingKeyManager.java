package org.debvisor.common.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Offers the node's current key and certificate to every new TLS handshake, so a renewed
 * certificate is served without restarting the listener.
 */
final class ReloadingKeyManager extends X509ExtendedKeyManager {

  private static final String ALIAS = "node";

  private volatile NodeCredentials current;

  void set(NodeCredentials credentials) {
    this.current = credentials;
  }

  private String aliasFor(String... keyTypes) {
    NodeCredentials c = current;
    if (c == null || keyTypes == null) {
      return null;
    }
    for (String type : keyTypes) {
      // TLS 1.2 asks for "EC"/"RSA", sometimes "EC_EC"/"EC_RSA"; TLS 1.3 for the key algorithm.
      if (type != null && type.startsWith(c.key().getAlgorithm())) {
        return ALIAS;
      }
    }
    return null;
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return aliasFor(keyType);
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return aliasFor(keyType);
  }

  @Override
  public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
    return aliasFor(keyTypes);
  }

  @Override
  public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
    return aliasFor(keyTypes);
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    String alias = aliasFor(keyType);
    return alias == null ? null : new String[] {alias};
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return getClientAliases(keyType, issuers);
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    NodeCredentials c = current;
    return c == null || !ALIAS.equals(alias) ? null : c.chain().toArray(X509Certificate[]::new);
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    NodeCredentials c = current;
    return c == null || !ALIAS.equals(alias) ? null : c.key();
  }
}
