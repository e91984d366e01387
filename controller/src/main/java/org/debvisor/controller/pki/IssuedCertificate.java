package org.debvisor.controller.pki;

import java.security.cert.X509Certificate;
import java.time.Instant;

/** A certificate the CA issued, with the fields the inventory keeps. */
public record IssuedCertificate(X509Certificate certificate, String serialHex, String pem) {

  /** When the certificate stops being valid. */
  public Instant notAfter() {
    return certificate.getNotAfter().toInstant();
  }

  /** The certificate serial as lower-case hex, as stored in the inventory. */
  public static String serialHex(X509Certificate certificate) {
    return certificate.getSerialNumber().toString(16);
  }
}
