package org.debvisor.agent.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/** Reads and writes the PEM texts of keys and certificates. */
public final class PemCodec {

  private PemCodec() {}

  /**
   * Every certificate in a PEM text, in order.
   *
   * @throws IOException when the text holds no certificate or a broken one
   */
  public static List<X509Certificate> certificates(String pem) throws IOException {
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      List<X509Certificate> all = new ArrayList<>();
      for (var c :
          factory.generateCertificates(
              new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
        all.add((X509Certificate) c);
      }
      if (all.isEmpty()) {
        throw new IOException("no PEM certificate found");
      }
      return List.copyOf(all);
    } catch (CertificateException e) {
      throw new IOException("not a PEM certificate: " + e.getMessage(), e);
    }
  }

  /**
   * The private key in a PEM text (PKCS#8, or SEC1/PKCS#1 as OpenSSL writes them).
   *
   * @throws IOException when the text holds no unencrypted private key
   */
  public static PrivateKey privateKey(String pem) throws IOException {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object object = parser.readObject();
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      if (object instanceof PrivateKeyInfo info) {
        return converter.getPrivateKey(info);
      }
      if (object instanceof PEMKeyPair pair) {
        return converter.getKeyPair(pair).getPrivate();
      }
      throw new IOException("no unencrypted PEM private key found");
    }
  }

  /** PKCS#8 PEM ("PRIVATE KEY") of a key. */
  public static String pkcs8(PrivateKey key) {
    try {
      return pem(new JcaPKCS8Generator(key, null).generate());
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode a private key we generated", e);
    }
  }

  /** PEM of certificates, one after the other. */
  public static String certificatesPem(List<X509Certificate> certificates) {
    StringBuilder all = new StringBuilder();
    certificates.forEach(c -> all.append(pem(c)));
    return all.toString();
  }

  private static String pem(Object object) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new IllegalStateException("writing PEM to memory failed", e);
    }
    return text.toString();
  }
}
