package org.debvisor.common.tls;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.debvisor.common.pem.Pem;

/** Checks a certificate the controller issued before the node relies on it. */
public final class IssuedCertificate {

  private IssuedCertificate() {}

  /**
   * Credentials from the controller's answer, when the certificate is for our key, names our node
   * and was signed by a CA of the bundle.
   *
   * @throws IOException naming what is wrong with the answer
   */
  public static NodeCredentials verify(
      PrivateKey key, String nodeId, String certificatePem, String caBundlePem) throws IOException {
    List<X509Certificate> chain = Pem.certificates(certificatePem);
    List<X509Certificate> cas = Pem.certificates(caBundlePem);
    X509Certificate leaf = chain.get(0);
    if (!NodeCredentials.keyMatches(key, leaf)) {
      throw new IOException("the controller's certificate is not for the key this node sent");
    }
    String name = commonName(leaf);
    if (!name.equals(nodeId)) {
      throw new IOException(
          "the controller's certificate names '" + name + "', not this node '" + nodeId + "'");
    }
    // Every link counts: a genuine intermediate after a self-made leaf must not pass.
    for (int i = 0; i + 1 < chain.size(); i++) {
      if (!signedBy(chain.get(i), chain.get(i + 1))) {
        throw new IOException(
            "the controller's certificate chain is broken: certificate "
                + (i + 1)
                + " is not signed by certificate "
                + (i + 2));
      }
    }
    X509Certificate top = chain.get(chain.size() - 1);
    boolean signed = false;
    for (X509Certificate ca : cas) {
      signed |= signedBy(top, ca);
    }
    if (!signed) {
      throw new IOException("the controller's certificate is not signed by its CA bundle");
    }
    return new NodeCredentials(key, chain, cas);
  }

  private static boolean signedBy(X509Certificate cert, X509Certificate ca) {
    try {
      cert.verify(ca.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  public static String commonName(X509Certificate cert) {
    try {
      for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          return String.valueOf(rdn.getValue());
        }
      }
    } catch (InvalidNameException e) {
      return "";
    }
    return "";
  }
}
