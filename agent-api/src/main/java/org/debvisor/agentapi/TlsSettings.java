package org.debvisor.agentapi;

import java.nio.file.Path;

/**
 * Server TLS material (PEM files).
 *
 * @param certFile certificate chain of this node
 * @param keyFile private key (PKCS#8)
 * @param clientCaFile when set, clients must present a certificate signed by this CA (mTLS)
 */
public record TlsSettings(Path certFile, Path keyFile, Path clientCaFile) {

  /** True when a certificate and key are configured. */
  public boolean configured() {
    return certFile != null && keyFile != null;
  }
}
