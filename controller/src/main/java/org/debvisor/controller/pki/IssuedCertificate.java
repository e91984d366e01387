package org.debvisor.controller.pki;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;

/**
 * A certificate the CA issued, with the fields the inventory keeps. Held as Bouncy Castle's
 * encoding: an enrolment needs only the serial, the end of validity and the PEM text, and the JDK's
 * parse into an {@link X509Certificate} cost a sixth of issuing one (JFR, 2026-12-03). The serial
 * (lower-case hex, as stored in the inventory) and the end of validity are the values the CA put
 * into the certificate, kept beside it: reading them back parses the certificate's dates with a
 * SimpleDateFormat on every call.
 */
public record IssuedCertificate(
    X509CertificateHolder holder, String pem, String serialHex, Instant notAfter) {

  /** The certificate as the JDK's type (parsed on each call). */
  public X509Certificate certificate() {
    try {
      return new JcaX509CertificateConverter().getCertificate(holder);
    } catch (CertificateException e) {
      throw new IllegalStateException("an issued certificate does not parse: " + e.getMessage(), e);
    }
  }

  /** The certificate serial as lower-case hex, as stored in the inventory. */
  public static String serialHex(X509Certificate certificate) {
    return certificate.getSerialNumber().toString(16);
  }
}
