package org.debvisor.controller.pki;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/** PEM encoding and decoding of certificates and PKCS#8 private keys. */
public final class Pem {

  private Pem() {}

  /** The certificate as a PEM block. */
  public static String encode(X509Certificate certificate) {
    return write(certificate);
  }

  /** The private key as an unencrypted PKCS#8 PEM block. */
  public static String encode(PrivateKey key) {
    try {
      return write(new JcaPKCS8Generator(key, null).generate());
    } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
      throw new IllegalStateException("cannot encode private key: " + e.getMessage(), e);
    }
  }

  private static String write(Object object) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
      pem.writeObject(object);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write PEM: " + e.getMessage(), e);
    }
    return out.toString();
  }

  /** Reads the first certificate of a PEM text. */
  public static X509Certificate certificate(String pem) throws IOException {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object object = parser.readObject();
      if (!(object instanceof X509CertificateHolder holder)) {
        throw new IOException("no PEM certificate found");
      }
      return new JcaX509CertificateConverter().getCertificate(holder);
    } catch (CertificateException e) {
      throw new IOException("bad certificate: " + e.getMessage(), e);
    }
  }

  /** Reads a PKCS#8 private key from PEM. */
  public static PrivateKey privateKey(String pem) throws IOException {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object object = parser.readObject();
      if (!(object instanceof PrivateKeyInfo info)) {
        throw new IOException("no PKCS#8 private key found");
      }
      return new JcaPEMKeyConverter().getPrivateKey(info);
    }
  }
}
