package org.debvisor.common.connect;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A CA, a server certificate with chosen names, and TLS servers and clients on loopback. */
final class LoopbackTls {

  final KeyPair caKeys = ec();
  final X500Name caName;
  final X509Certificate ca;

  LoopbackTls(String name) throws Exception {
    caName = new X500Name("CN=" + name);
    ca = sign(name, caKeys.getPublic(), caKeys, caName, List.of(), true);
  }

  static KeyPair ec() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate sign(
      String cn,
      java.security.PublicKey key,
      KeyPair issuerKeys,
      X500Name issuer,
      List<String> names,
      boolean isCa)
      throws Exception {
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            issuer,
            BigInteger.valueOf(now.toEpochMilli()),
            Date.from(now.minus(1, ChronoUnit.HOURS)),
            Date.from(now.plus(1, ChronoUnit.DAYS)),
            new X500Name("CN=" + cn),
            key);
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
    if (!names.isEmpty()) {
      GeneralName[] general =
          names.stream()
              .map(
                  n ->
                      n.matches("[0-9.]+") || n.contains(":")
                          ? new GeneralName(GeneralName.iPAddress, n)
                          : new GeneralName(GeneralName.dNSName, n))
              .toArray(GeneralName[]::new);
      b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(general));
    }
    return new JcaX509CertificateConverter()
        .getCertificate(
            b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
  }

  /** A TLS server on 127.0.0.1 whose certificate names {@code names}; handshakes every client. */
  Server server(List<String> names) throws Exception {
    KeyPair keys = ec();
    X509Certificate cert = sign("server", keys.getPublic(), caKeys, caName, names, false);
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("server", keys.getPrivate(), new char[0], new X509Certificate[] {cert, ca});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, new char[0]);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), null, null);
    SSLServerSocket socket =
        (SSLServerSocket)
            context
                .getServerSocketFactory()
                .createServerSocket(0, 16, InetAddress.getLoopbackAddress());
    return new Server(socket, true);
  }

  /** A client that trusts only this CA and checks the host name like gRPC does. */
  void handshake(String host, int port) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", ca);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
      socket.connect(new java.net.InetSocketAddress(host, port), 5_000);
      socket.setSoTimeout(2_000);
      SSLParameters params = socket.getSSLParameters();
      params.setEndpointIdentificationAlgorithm("HTTPS");
      socket.setSSLParameters(params);
      socket.startHandshake();
    }
  }

  /** A server socket whose accepted connections handshake (TLS) or get {@code reply} (plain). */
  static final class Server implements AutoCloseable {
    final ServerSocket socket;
    private final Thread acceptor;
    private final List<Socket> silent = new java.util.concurrent.CopyOnWriteArrayList<>();

    Server(ServerSocket socket, boolean tls) {
      this(socket, tls ? null : new byte[0], tls);
    }

    /** {@code reply} null: TLS handshake; empty: say nothing; else write it and close. */
    Server(ServerSocket socket, byte[] reply, boolean tls) {
      this.socket = socket;
      this.acceptor =
          Thread.ofPlatform()
              .daemon()
              .start(
                  () -> {
                    while (!socket.isClosed()) {
                      try {
                        Socket s = socket.accept();
                        if (tls) {
                          try (s) {
                            s.setSoTimeout(5_000);
                            ((SSLSocket) s).startHandshake();
                          } catch (IOException handshakeFailed) {
                            // the client refused the certificate: expected
                          }
                        } else if (reply.length > 0) {
                          try (s) {
                            s.getOutputStream().write(reply);
                          }
                        } else {
                          // Left open and silent until close().
                          silent.add(s);
                        }
                      } catch (IOException closed) {
                        return;
                      }
                    }
                  });
    }

    static Server plain(byte[] reply) throws IOException {
      return new Server(new ServerSocket(0, 16, InetAddress.getLoopbackAddress()), reply, false);
    }

    int port() {
      return socket.getLocalPort();
    }

    @Override
    public void close() throws Exception {
      socket.close();
      for (Socket s : silent) {
        s.close();
      }
      acceptor.join(5_000);
    }
  }
}
