package org.debvisor.agent.collect.kubernetes;

import java.io.IOException;
import java.io.StringReader;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Decodes PEM certificates and private keys: RSA and EC keys in PKCS#1/SEC1 or unencrypted PKCS#8
 * form, as kubeadm and kubelet write them.
 */
final class PemDecoder {

  private PemDecoder() {}

  /**
   * Decodes every certificate in the text.
   *
   * @param what names the source in error messages, e.g. "users[kubelet].client-certificate"
   */
  static List<X509Certificate> certificates(String pem, String what) throws KubeconfigException {
    List<X509Certificate> certificates = new ArrayList<>();
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
        if (item instanceof X509CertificateHolder holder) {
          certificates.add(converter.getCertificate(holder));
        }
      }
    } catch (IOException | CertificateException e) {
      throw new KubeconfigException(what + " is not valid PEM: " + e.getMessage(), e);
    }
    if (certificates.isEmpty()) {
      throw new KubeconfigException(what + " holds no PEM certificate");
    }
    return certificates;
  }

  /** Decodes the first private key in the text (a combined cert+key file is fine). */
  static PrivateKey privateKey(String pem, String what) throws KubeconfigException {
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
        if (item instanceof PEMKeyPair pair) {
          return converter.getPrivateKey(pair.getPrivateKeyInfo());
        }
        if (item instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
      }
    } catch (IOException e) {
      throw new KubeconfigException(what + " is not valid PEM: " + e.getMessage(), e);
    }
    throw new KubeconfigException(
        what + " holds no unencrypted RSA or EC private key (PKCS#1, SEC1 or PKCS#8 PEM)");
  }
}
