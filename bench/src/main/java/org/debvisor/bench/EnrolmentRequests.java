package org.debvisor.bench;

import com.google.protobuf.ByteString;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.debvisor.proto.CpuFacts;
import org.debvisor.proto.HardwareFacts;
import org.debvisor.proto.RegisterNodeRequest;

/** Ready-made RegisterNode requests: a fresh EC P-256 key, CSR and token each, as agents send. */
final class EnrolmentRequests {

  /** One simulated node's request and the key its certificate will be for. */
  record Prepared(String nodeId, KeyPair keys, RegisterNodeRequest request) {}

  private EnrolmentRequests() {}

  static List<Prepared> prepare(String prefix, List<String> tokens) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    HardwareFacts facts =
        HardwareFacts.newBuilder()
            .setArch("amd64")
            .setCpu(CpuFacts.newBuilder().setCores(16).setThreads(32).setModel("Bench CPU"))
            .setMemoryBytes(128L << 30)
            .setFingerprint("bench")
            .build();
    List<Prepared> prepared = new ArrayList<>(tokens.size());
    for (int i = 0; i < tokens.size(); i++) {
      String id = prefix + i;
      KeyPair keys = generator.generateKeyPair();
      byte[] csr =
          new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + id), keys.getPublic())
              .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()))
              .getEncoded();
      prepared.add(
          new Prepared(
              id,
              keys,
              RegisterNodeRequest.newBuilder()
                  .setCsrDer(ByteString.copyFrom(csr))
                  .setBootstrapToken(tokens.get(i))
                  .setNodeId(id)
                  .setHostname(id)
                  .setAgentAddress("127.0.0.1:5000")
                  .setAgentVersion("bench")
                  .setFacts(facts)
                  .build()));
    }
    return prepared;
  }
}
