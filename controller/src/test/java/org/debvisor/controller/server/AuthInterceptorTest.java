package org.debvisor.controller.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.debvisor.controller.audit.AuditEntry;
import org.debvisor.controller.audit.AuditLog;
import org.debvisor.controller.audit.AuditRecord;
import org.debvisor.controller.client.ControllerConnection;
import org.debvisor.controller.inventory.Database;
import org.debvisor.proto.ControllerGrpc;
import org.debvisor.proto.CreateBootstrapTokenRequest;
import org.debvisor.proto.HeartbeatRequest;
import org.debvisor.proto.ListNodesRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which credential each Controller method needs, checked against one real controller over TLS on
 * loopback; the certificate-name and source helpers on real certificates and addresses.
 */
class AuthInterceptorTest {

  @TempDir static Path state;

  private static RunningController ctl;
  private static ControllerConnection anon;

  @BeforeAll
  static void start() throws Exception {
    // A whole controller: seconds, so the slow suite and the PIT gate.
    assumeTrue(Boolean.getBoolean("debvisor.slow"), "slow suite only (-Ddebvisor.slow=true)");
    ctl = RunningController.start(state);
    anon = ctl.anonymous();
  }

  @AfterAll
  static void stop() {
    if (ctl == null) {
      return;
    }
    anon.close();
    ctl.close();
  }

  private static ControllerGrpc.ControllerBlockingStub withAuthorization(String value) {
    Metadata headers = new Metadata();
    headers.put(AuthInterceptor.AUTHORIZATION, value);
    return anon.controller(120)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  private static void assertUnauthenticated(
      ControllerGrpc.ControllerBlockingStub stub, String says) {
    assertThatThrownBy(() -> stub.listNodes(ListNodesRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
              assertThat(e.getStatus().getDescription()).isEqualTo(says);
            });
  }

  @Test
  void eachMethodNeedsItsCredential() {
    assertThat(
            AuthInterceptor.requirement(ControllerGrpc.getRegisterNodeMethod().getFullMethodName()))
        .isEqualTo(AuthInterceptor.Requirement.NONE);
    assertThat(AuthInterceptor.requirement(ControllerGrpc.getHeartbeatMethod().getFullMethodName()))
        .isEqualTo(AuthInterceptor.Requirement.NODE_CERTIFICATE);
    assertThat(
            AuthInterceptor.requirement(
                ControllerGrpc.getRenewCertificateMethod().getFullMethodName()))
        .isEqualTo(AuthInterceptor.Requirement.NODE_CERTIFICATE);
    assertThat(AuthInterceptor.requirement(ControllerGrpc.getListNodesMethod().getFullMethodName()))
        .isEqualTo(AuthInterceptor.Requirement.OPERATOR_TOKEN);
    // A method this build does not know yet is still the operator's, never open.
    assertThat(AuthInterceptor.requirement(ControllerGrpc.SERVICE_NAME + "/FutureMethod"))
        .isEqualTo(AuthInterceptor.Requirement.OPERATOR_TOKEN);
    assertThat(AuthInterceptor.requirement("grpc.health.v1.Health/Check"))
        .isEqualTo(AuthInterceptor.Requirement.NONE);
    assertThat(AuthInterceptor.requirement(ControllerGrpc.SERVICE_NAME + "X/ListNodes"))
        .isEqualTo(AuthInterceptor.Requirement.NONE);
  }

  @Test
  void anOperatorCallWithoutAHeaderSaysWhatToSend() {
    String says =
        "operator call without credentials: send 'authorization: Bearer <token>' with the token"
            + " from <stateDir>/operator-token";
    assertUnauthenticated(anon.controller(120), says);
    assertUnauthenticated(withAuthorization(""), says);
  }

  @Test
  void anotherSchemeIsRefused() throws Exception {
    String says = "authorization header must be 'Bearer <operator token>'";
    assertUnauthenticated(withAuthorization("Basic " + ctl.operatorToken()), says);
    assertUnauthenticated(withAuthorization("Bearer"), says);
    assertUnauthenticated(withAuthorization("Bearer_" + ctl.operatorToken()), says);
  }

  @Test
  void aWrongTokenOfTheSameLengthIsRefused() throws Exception {
    String token = ctl.operatorToken();
    String wrong = token.substring(0, token.length() - 1) + (token.endsWith("a") ? "b" : "a");
    assertUnauthenticated(
        withAuthorization("Bearer " + wrong),
        "operator token is wrong; use the one in <stateDir>/operator-token of this controller"
            + " or of another controller on its database");
  }

  @Test
  void theRightTokenPassesWhateverTheSchemesCase() throws Exception {
    String token = ctl.operatorToken();
    assertThat(
            withAuthorization("Bearer " + token).listNodes(ListNodesRequest.getDefaultInstance()))
        .isNotNull();
    assertThat(
            withAuthorization("bEARER " + token).listNodes(ListNodesRequest.getDefaultInstance()))
        .isNotNull();
  }

  @Test
  void theOperatorIsTheCallerOfWhatTheTokenDoes() throws Exception {
    String id =
        withAuthorization("Bearer " + ctl.operatorToken())
            .createBootstrapToken(
                CreateBootstrapTokenRequest.newBuilder()
                    .setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(600))
                    .build())
            .getTokenId();
    AuditEntry created;
    try (Connection c = Database.readOnlyConnection(state.resolve("controller.db"))) {
      created =
          AuditLog.page(c, 0, 1_000).stream()
              .map(AuditRecord::entry)
              .filter(e -> e.action().equals("token.create") && e.target().equals(id))
              .findFirst()
              .orElseThrow();
    }
    assertThat(created.actor()).isEqualTo("operator");
    assertThat(created.source()).isEqualTo("127.0.0.1");
  }

  @Test
  void aHeartbeatWithoutAClientCertificateIsRefused() {
    assertThatThrownBy(() -> anon.controller(120).heartbeat(HeartbeatRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
              assertThat(e.getStatus().getDescription())
                  .isEqualTo(
                      "this call needs the node's client certificate (mutual TLS); enrol with"
                          + " RegisterNode first");
            });
  }

  @Test
  void theSourceIsTheAddressWithoutPort() throws Exception {
    assertThat(
            AuthInterceptor.source(new InetSocketAddress(InetAddress.getByName("10.1.2.3"), 40000)))
        .isEqualTo("10.1.2.3");
    assertThat(AuthInterceptor.source(new InetSocketAddress(InetAddress.getByName("::1"), 1)))
        .isEqualTo("0:0:0:0:0:0:0:1");
    assertThat(AuthInterceptor.source(InetSocketAddress.createUnresolved("node.example", 5)))
        .isEqualTo(InetSocketAddress.createUnresolved("node.example", 5).toString());
    assertThat(AuthInterceptor.source(null)).isEqualTo("unknown");
  }

  @Test
  void onlyDnsNamesAndIpAddressesOfTheCertificateCount() throws Exception {
    X509Certificate cert =
        certificate(
            new GeneralName(GeneralName.dNSName, "node-a.example"),
            new GeneralName(GeneralName.rfc822Name, "ops@example.org"),
            new GeneralName(GeneralName.iPAddress, "10.1.0.20"),
            new GeneralName(GeneralName.uniformResourceIdentifier, "https://evil.example"));
    assertThat(AuthInterceptor.subjectAlternativeNames(cert))
        .containsExactly("node-a.example", "10.1.0.20");
    assertThat(AuthInterceptor.subjectAlternativeNames(certificate())).isEmpty();
  }

  private static X509Certificate certificate(GeneralName... names) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    KeyPair keys = generator.generateKeyPair();
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            new X500Name("CN=test"),
            BigInteger.ONE,
            Date.from(now.minus(1, ChronoUnit.HOURS)),
            Date.from(now.plus(1, ChronoUnit.DAYS)),
            new X500Name("CN=node-a"),
            keys.getPublic());
    if (names.length > 0) {
      b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
    }
    return new JcaX509CertificateConverter()
        .getCertificate(
            b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
  }
}
