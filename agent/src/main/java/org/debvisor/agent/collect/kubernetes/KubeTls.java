package org.debvisor.agent.collect.kubernetes;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/** Builds the TLS context a kubeconfig asks for: its CAs (or none), and its client certificate. */
final class KubeTls {

  private static final char[] NO_PASSWORD = new char[0];

  private KubeTls() {}

  static SSLContext context(Kubeconfig config) throws KubeconfigException {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagers(config.user()), trustManagers(config.cluster()), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new KubeconfigException(
          "kubeconfig " + config.path() + ": cannot set up TLS: " + e.getMessage(), e);
    }
  }

  private static KeyManager[] keyManagers(KubeUser user)
      throws GeneralSecurityException, IOException {
    if (!user.hasClientCertificate()) {
      return null;
    }
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry(
        "client",
        user.clientKey(),
        NO_PASSWORD,
        user.clientCertificateChain().toArray(Certificate[]::new));
    KeyManagerFactory factory =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(store, NO_PASSWORD);
    return factory.getKeyManagers();
  }

  private static TrustManager[] trustManagers(KubeCluster cluster)
      throws GeneralSecurityException, IOException {
    if (cluster.insecureSkipTlsVerify()) {
      return new TrustManager[] {new TrustEverything()};
    }
    List<X509Certificate> authorities = cluster.certificateAuthorities();
    if (authorities.isEmpty()) {
      return null; // the JDK's default trust store
    }
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    for (int i = 0; i < authorities.size(); i++) {
      store.setCertificateEntry("ca-" + i, authorities.get(i));
    }
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    return factory.getTrustManagers();
  }

  /**
   * What insecure-skip-tls-verify asks for. Being an X509ExtendedTrustManager, it also turns off
   * the JDK's host name check, which the JDK would otherwise add around a plain trust manager.
   */
  private static final class TrustEverything extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
