package org.debvisor.controller.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import org.debvisor.common.pem.Pem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CA on disk, the controller's own certificates, and bootstrap token encoding. */
class CertificateAuthorityTest {

  @TempDir Path pki;

  @Test
  void createdOnceWithAPrivateKeyAndLoadedAfterwards() throws Exception {
    CertificateAuthority first = CertificateAuthority.loadOrCreate(pki, Clock.systemUTC());
    CertificateAuthority second = CertificateAuthority.loadOrCreate(pki, Clock.systemUTC());

    assertThat(second.certificate()).isEqualTo(first.certificate());
    assertThat(Files.getPosixFilePermissions(pki.resolve("ca.key")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    X509Certificate ca = first.certificate();
    assertThat(ca.getBasicConstraints()).isZero();
    assertThat(ca.getPublicKey().getAlgorithm()).isEqualTo("EC");
    assertThat(Files.list(pki).map(p -> p.getFileName().toString()))
        .containsExactlyInAnyOrder("ca.key", "ca.pem");
  }

  @Test
  void newCaIsP256AndSignsWithSha256() throws Exception {
    CertificateAuthority ca = CertificateAuthority.loadOrCreate(pki, Clock.systemUTC());

    var key = (java.security.interfaces.ECPublicKey) ca.certificate().getPublicKey();
    assertThat(key.getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
    X509Certificate server = ca.issueServerMaterial(pki, List.of()).certificate().certificate();
    assertThat(server.getSigAlgName()).isEqualTo("SHA256withECDSA");
    server.verify(key);
  }

  @Test
  void issuedSerialAndEndOfValidityAreTheCertificatesOwn() throws Exception {
    CertificateAuthority ca = CertificateAuthority.loadOrCreate(pki, Clock.systemUTC());
    SigningRequest csr =
        SigningRequest.parse(org.debvisor.common.csr.CsrFactory.create("node-1").der());

    IssuedCertificate issued =
        ca.issueNodeCertificate(csr, "node-1", List.of("node-1"), java.time.Duration.ofDays(7));

    X509Certificate parsed = issued.certificate();
    assertThat(issued.serialHex()).isEqualTo(parsed.getSerialNumber().toString(16));
    assertThat(issued.notAfter()).isEqualTo(parsed.getNotAfter().toInstant());
    assertThat(Pem.certificate(issued.pem())).isEqualTo(parsed);
  }

  @Test
  void validityIsWholeSecondsBackdatedFiveMinutesAndFollowsTheClock() throws Exception {
    java.time.Instant start = java.time.Instant.parse("2026-12-03T10:00:00.750Z");
    java.util.concurrent.atomic.AtomicReference<java.time.Instant> now =
        new java.util.concurrent.atomic.AtomicReference<>(start);
    Clock clock =
        new Clock() {
          @Override
          public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public java.time.Instant instant() {
            return now.get();
          }
        };
    CertificateAuthority ca =
        CertificateAuthority.of(CertificateAuthority.generate(Clock.systemUTC()), clock);
    java.time.Duration week = java.time.Duration.ofDays(7);

    X509Certificate first = issue(ca, "node-1", week);
    X509Certificate sameSecond = issue(ca, "node-2", week);
    now.set(start.plusSeconds(1));
    X509Certificate nextSecond = issue(ca, "node-3", week);
    X509Certificate otherValidity = issue(ca, "node-4", java.time.Duration.ofDays(1));

    java.time.Instant whole = java.time.Instant.parse("2026-12-03T10:00:00Z");
    assertThat(first.getNotBefore().toInstant()).isEqualTo(whole.minusSeconds(300));
    assertThat(first.getNotAfter().toInstant()).isEqualTo(whole.plus(week));
    assertThat(sameSecond.getNotBefore()).isEqualTo(first.getNotBefore());
    assertThat(sameSecond.getNotAfter()).isEqualTo(first.getNotAfter());
    assertThat(nextSecond.getNotBefore().toInstant()).isEqualTo(whole.minusSeconds(299));
    assertThat(nextSecond.getNotAfter().toInstant()).isEqualTo(whole.plus(week).plusSeconds(1));
    assertThat(otherValidity.getNotBefore()).isEqualTo(nextSecond.getNotBefore());
    assertThat(otherValidity.getNotAfter().toInstant())
        .isEqualTo(whole.plus(java.time.Duration.ofDays(1)).plusSeconds(1));
  }

  private static X509Certificate issue(
      CertificateAuthority ca, String nodeId, java.time.Duration validity) throws Exception {
    SigningRequest csr =
        SigningRequest.parse(org.debvisor.common.csr.CsrFactory.create(nodeId).der());
    return ca.issueNodeCertificate(csr, nodeId, List.of(nodeId), validity).certificate();
  }

  @Test
  void caMadeAsP384ByAnEarlierVersionStillSignsWithSha384() throws Exception {
    java.security.KeyPair pair =
        CertificateAuthority.generateEc("secp384r1", new java.security.SecureRandom());
    var name = new org.bouncycastle.asn1.x500.X500Name("CN=legacy P-384 CA");
    java.time.Instant now = java.time.Instant.now();
    var builder =
        new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(
                name,
                java.math.BigInteger.TEN,
                java.util.Date.from(now.minusSeconds(60)),
                java.util.Date.from(now.plusSeconds(86_400)),
                name,
                pair.getPublic())
            .addExtension(
                org.bouncycastle.asn1.x509.Extension.basicConstraints,
                true,
                new org.bouncycastle.asn1.x509.BasicConstraints(0));
    X509Certificate legacy =
        new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter()
            .getCertificate(
                builder.build(
                    new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA384withECDSA")
                        .build(pair.getPrivate())));
    Files.writeString(pki.resolve("ca.key"), Pem.encode(pair.getPrivate()));
    Files.setPosixFilePermissions(
        pki.resolve("ca.key"), PosixFilePermissions.fromString("rw-------"));
    Files.writeString(pki.resolve("ca.pem"), Pem.encode(legacy));

    CertificateAuthority ca = CertificateAuthority.loadOrCreate(pki, Clock.systemUTC());

    assertThat(ca.certificate()).isEqualTo(legacy);
    X509Certificate server = ca.issueServerMaterial(pki, List.of()).certificate().certificate();
    assertThat(server.getSigAlgName()).isEqualTo("SHA384withECDSA");
    server.verify(legacy.getPublicKey());
  }

  @Test
  void incompleteOrExposedCaIsRefusedNotReplaced() throws Exception {
    CertificateAuthority.loadOrCreate(pki, Clock.systemUTC());
    Files.setPosixFilePermissions(
        pki.resolve("ca.key"), PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> CertificateAuthority.loadOrCreate(pki, Clock.systemUTC()))
        .hasMessageContaining("chmod 600");

    Files.delete(pki.resolve("ca.key"));
    String pem = Files.readString(pki.resolve("ca.pem"));
    assertThatThrownBy(() -> CertificateAuthority.loadOrCreate(pki, Clock.systemUTC()))
        .hasMessageContaining("incomplete CA");
    assertThat(Files.readString(pki.resolve("ca.pem"))).isEqualTo(pem);
  }

  @Test
  void ownServerAndClientCertificates() throws Exception {
    CertificateAuthority ca = CertificateAuthority.loadOrCreate(pki, Clock.systemUTC());

    var server = ca.issueServerMaterial(pki, List.of("ctl.example.org", "10.1.2.3"));
    var client = ca.issueClientMaterial(pki);

    X509Certificate s = server.certificate().certificate();
    s.verify(ca.certificate().getPublicKey());
    assertThat(s.getSubjectAlternativeNames())
        .extracting(san -> (Object) san.get(1))
        .containsExactlyInAnyOrder(
            "localhost", "127.0.0.1", "0:0:0:0:0:0:0:1", "ctl.example.org", "10.1.2.3");
    assertThat(client.certificate().certificate().getSubjectX500Principal().getName())
        .contains("CN=debvisor-controller");
    assertThat(Files.getPosixFilePermissions(server.keyFile()))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
  }

  @Test
  void bootstrapTokenRoundTripsAndHidesItsSecret() {
    BootstrapToken token = BootstrapToken.generate(new SecureRandom());

    assertThat(token.display()).matches("dvb_[0-9a-f]{16}_[A-Za-z0-9_-]{43}");
    assertThat(BootstrapToken.parse(token.display())).contains(token);
    assertThat(token.matches(token.secretHash())).isTrue();
    assertThat(token.secretHash()).doesNotContain(token.secret());
    assertThat(token.toString()).doesNotContain(token.secret());
    assertThat(BootstrapToken.parse("dvb_123_abc")).isEmpty();
    assertThat(BootstrapToken.parse(token.display() + "x")).isEmpty();
  }
}
