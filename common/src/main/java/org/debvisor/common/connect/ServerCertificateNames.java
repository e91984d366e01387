package org.debvisor.common.connect;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Reads the names (DNS and IP subject alternative names) of the certificate a TLS server presents,
 * to tell a person which names it has. Nothing is trusted or sent: the handshake's only use is the
 * server's certificate, and the socket is closed right after.
 */
public final class ServerCertificateNames {

  private ServerCertificateNames() {}

  /** The names, or an empty list when the server cannot be read within {@code timeout}. */
  public static List<String> read(String host, int port, Duration timeout) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new ReadOnly()}, null);
      try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
        int millis = (int) Math.max(1, timeout.toMillis());
        socket.connect(new InetSocketAddress(host, port), millis);
        socket.setSoTimeout(millis);
        socket.startHandshake();
        Certificate[] chain = socket.getSession().getPeerCertificates();
        return chain.length > 0 && chain[0] instanceof X509Certificate leaf
            ? names(leaf)
            : List.of();
      }
    } catch (IOException | GeneralSecurityException e) {
      return List.of();
    }
  }

  /** The DNS names (type 2) and IP addresses (type 7) of {@code cert}, in certificate order. */
  public static List<String> names(X509Certificate cert) {
    try {
      Collection<List<?>> sans = cert.getSubjectAlternativeNames();
      List<String> out = new ArrayList<>();
      if (sans != null) {
        for (List<?> san : sans) {
          Object type = san.get(0);
          if ((Integer.valueOf(2).equals(type) || Integer.valueOf(7).equals(type))
              && san.get(1) instanceof String value) {
            out.add(value);
          }
        }
      }
      return out;
    } catch (java.security.cert.CertificateParsingException e) {
      return List.of();
    }
  }

  /** Accepts any chain: the connection is only used to look at the certificate. */
  private static final class ReadOnly implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
