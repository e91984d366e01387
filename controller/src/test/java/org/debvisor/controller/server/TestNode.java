package org.debvisor.controller.server;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.debvisor.proto.ControllerGrpc;
import org.debvisor.proto.CpuFacts;
import org.debvisor.proto.DiskFacts;
import org.debvisor.proto.HardwareFacts;
import org.debvisor.proto.RegisterNodeRequest;

/** A simulated node: its own key pair, CSRs, and an mTLS channel once it has a certificate. */
public final class TestNode implements AutoCloseable {

  public final String id;
  public final String hostname;

  /** The agent address's host: derived from the id, so nodes in one test do not share one. */
  public final String address;

  public KeyPair keys;
  private ManagedChannel channel;

  public TestNode(String id, String hostname) {
    this.id = id;
    this.hostname = hostname;
    this.address = addressOf(id);
    this.keys = ec("secp256r1");
  }

  /** The documentation-range address (198.18.0.0/15) a test node with this id advertises. */
  public static String addressOf(String id) {
    int h = id.hashCode();
    return "198." + (18 + ((h >>> 16) & 1)) + "." + ((h >>> 8) & 255) + "." + (1 + (h & 255) % 254);
  }

  public static KeyPair ec(String curve) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec(curve));
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static KeyPair rsa(int bits) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(bits);
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A DER PKCS#10 request for {@code pair}, subject CN = this node's id. */
  public byte[] csr(KeyPair pair) {
    try {
      String alg =
          pair.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
      return new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + id), pair.getPublic())
          .build(new JcaContentSignerBuilder(alg).build(pair.getPrivate()))
          .getEncoded();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static HardwareFacts facts(String arch, int disks) {
    HardwareFacts.Builder f =
        HardwareFacts.newBuilder()
            .setArch(arch)
            .setCpu(CpuFacts.newBuilder().setCores(8).setThreads(16).setModel("Test CPU"))
            .setMemoryBytes(64L << 30)
            .setFingerprint("fp-" + arch + "-" + disks);
    for (int i = 0; i < disks; i++) {
      f.addDisks(DiskFacts.newBuilder().setName("sd" + (char) ('a' + i)).setSizeBytes(1L << 40));
    }
    return f.build();
  }

  /** A complete, valid request with {@code token}. */
  public RegisterNodeRequest.Builder request(String token) {
    return RegisterNodeRequest.newBuilder()
        .setCsrDer(ByteString.copyFrom(csr(keys)))
        .setBootstrapToken(token)
        .setNodeId(id)
        .setHostname(hostname)
        .setProfile("ceph")
        .setAgentAddress(address + ":5000")
        .setAgentVersion("0.1.0")
        .setFacts(facts("amd64", 4));
  }

  public static X509Certificate certificate(String pem) {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(
                  new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A stub that presents {@code certificatePem} (with this node's key) as client certificate. */
  public ControllerGrpc.ControllerBlockingStub mtls(
      RunningController controller, String certificatePem) {
    try {
      close();
      channel =
          NettyChannelBuilder.forAddress("127.0.0.1", controller.controller.address().getPort())
              .sslContext(
                  GrpcSslContexts.forClient()
                      .trustManager(controller.caFile().toFile())
                      .keyManager(keys.getPrivate(), certificate(certificatePem))
                      .build())
              .build();
      return ControllerGrpc.newBlockingStub(channel).withDeadlineAfter(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    if (channel != null) {
      channel.shutdownNow();
      channel = null;
    }
  }
}
