package org.debvisor.agent.collect.kubernetes;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A kubeconfig user entry, with files already read.
 *
 * @param name the entry's name ("" for a context without a user)
 * @param token bearer token ("" when none)
 * @param clientKey private key for client-certificate authentication, or null
 * @param clientCertificateChain the client certificate first, then intermediates; empty when none
 */
public record KubeUser(
    String name, String token, PrivateKey clientKey, List<X509Certificate> clientCertificateChain) {

  public KubeUser {
    token = token == null ? "" : token;
    clientCertificateChain = List.copyOf(clientCertificateChain);
  }

  boolean hasClientCertificate() {
    return clientKey != null && !clientCertificateChain.isEmpty();
  }

  /** Keeps credentials out of logs. */
  @Override
  public String toString() {
    return "KubeUser[name="
        + name
        + ", token="
        + (token.isEmpty() ? "none" : "redacted")
        + ", clientCertificate="
        + (hasClientCertificate()
            ? clientCertificateChain.getFirst().getSubjectX500Principal().getName()
            : "none")
        + "]";
  }
}
