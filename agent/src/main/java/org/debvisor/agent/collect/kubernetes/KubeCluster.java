package org.debvisor.agent.collect.kubernetes;

import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A kubeconfig cluster entry.
 *
 * @param name the entry's name
 * @param server the apiserver's base URL
 * @param certificateAuthorities CAs to trust for the server; empty means the JDK's default trust
 * @param insecureSkipTlsVerify true accepts any server certificate (kubeconfig's
 *     insecure-skip-tls-verify)
 */
public record KubeCluster(
    String name,
    URI server,
    List<X509Certificate> certificateAuthorities,
    boolean insecureSkipTlsVerify) {

  public KubeCluster {
    certificateAuthorities = List.copyOf(certificateAuthorities);
  }
}
