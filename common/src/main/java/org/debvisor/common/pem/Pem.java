package org.debvisor.common.pem;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * Reads and writes the PEM texts of X.509 certificates and unencrypted private keys. Reads RSA and
 * EC keys in PKCS#1 ({@code RSA PRIVATE KEY}), SEC1 ({@code EC PRIVATE KEY}) and PKCS#8 ({@code
 * PRIVATE KEY}) form, as OpenSSL, kubeadm and the JDK write them; writes PKCS#8. Other blocks in
 * the same text are skipped, so a combined certificate-and-key file reads both ways.
 */
public final class Pem {

  /** Key algorithms the JDK decodes for us: EC, RSA and Ed25519. */
  private static final Set<ASN1ObjectIdentifier> SUPPORTED_KEYS =
      Set.of(
          X9ObjectIdentifiers.id_ecPublicKey,
          PKCSObjectIdentifiers.rsaEncryption,
          EdECObjectIdentifiers.id_Ed25519);

  private Pem() {}

  /**
   * Every certificate in the text, in order.
   *
   * @throws PemException NOT_FOUND when there is none, MALFORMED when a block cannot be read
   */
  public static List<X509Certificate> certificates(String pem) throws PemException {
    List<X509Certificate> certificates = new ArrayList<>();
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
        if (item instanceof X509CertificateHolder holder) {
          certificates.add(converter.getCertificate(holder));
        }
      }
    } catch (IOException | CertificateException e) {
      throw new PemException(PemException.Problem.MALFORMED, "not valid PEM: " + e.getMessage(), e);
    }
    if (certificates.isEmpty()) {
      throw new PemException(PemException.Problem.NOT_FOUND, "no PEM certificate found", null);
    }
    return List.copyOf(certificates);
  }

  /** The first certificate in the text. */
  public static X509Certificate certificate(String pem) throws PemException {
    return certificates(pem).getFirst();
  }

  /**
   * The first private key in the text.
   *
   * @throws PemException NOT_FOUND when there is no unencrypted key, MALFORMED when a block cannot
   *     be read
   */
  public static PrivateKey privateKey(String pem) throws PemException {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
        if (item instanceof PEMKeyPair pair) {
          return jdkPrivateKey(pair.getPrivateKeyInfo());
        }
        if (item instanceof PrivateKeyInfo info) {
          return jdkPrivateKey(info);
        }
      }
    } catch (IOException e) {
      throw new PemException(PemException.Problem.MALFORMED, "not valid PEM: " + e.getMessage(), e);
    }
    throw new PemException(
        PemException.Problem.NOT_FOUND,
        "no unencrypted RSA or EC private key (PKCS#1, SEC1 or PKCS#8 PEM) found",
        null);
  }

  /**
   * The key as the JDK's own provider decodes it. Bouncy Castle's converter asks for an "ECDSA" key
   * factory, which only its provider has: once anything registers that provider (Apache MINA SSHD
   * does), EC keys come back named "ECDSA", and the JDK's TLS key manager, which looks for "EC"
   * keys, then sends no client certificate at all.
   */
  public static PrivateKey jdkPrivateKey(PrivateKeyInfo info) throws PemException {
    ASN1ObjectIdentifier oid = info.getPrivateKeyAlgorithm().getAlgorithm();
    if (!SUPPORTED_KEYS.contains(oid)) {
      throw new PemException(
          PemException.Problem.MALFORMED,
          "unsupported private key algorithm " + oid + ": use an RSA or EC key",
          null);
    }
    try {
      return JdkPem.pkcs8(info.getEncoded());
    } catch (IOException e) {
      throw new PemException(
          PemException.Problem.MALFORMED, "not a valid key: " + e.getMessage(), e);
    }
  }

  /** The certificate as one PEM block. */
  public static String encode(X509Certificate certificate) {
    try {
      return block("CERTIFICATE", certificate.getEncoded());
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("encoding a certificate failed: " + e.getMessage(), e);
    }
  }

  /** The certificate as a PEM block, from Bouncy Castle's encoding. */
  public static String encode(X509CertificateHolder certificate) {
    try {
      return block("CERTIFICATE", certificate.getEncoded());
    } catch (IOException e) {
      throw new IllegalStateException("encoding a certificate failed: " + e.getMessage(), e);
    }
  }

  /**
   * One PEM block exactly as {@link JcaPEMWriter} writes it (64 characters a line, the platform's
   * line separator), without its writer and object dispatch: the controller encodes every
   * certificate it issues (a few percent of an enrolment's CPU that way). Every certificate,
   * whichever type holds it, is written here.
   */
  private static String block(String type, byte[] der) {
    String eol = System.lineSeparator();
    String body =
        Base64.getMimeEncoder(64, eol.getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----" + eol + body + eol + "-----END " + type + "-----" + eol;
  }

  /** The certificates as PEM blocks, one after the other. */
  public static String encode(List<X509Certificate> certificates) {
    StringBuilder all = new StringBuilder();
    certificates.forEach(c -> all.append(encode(c)));
    return all.toString();
  }

  /** The key as an unencrypted PKCS#8 PEM block ({@code PRIVATE KEY}). */
  public static String encode(PrivateKey key) {
    try {
      return write(new JcaPKCS8Generator(key, null).generate());
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode a private key: " + e.getMessage(), e);
    }
  }

  private static String write(Object object) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new IllegalStateException("writing PEM to memory failed: " + e.getMessage(), e);
    }
    return text.toString();
  }
}
