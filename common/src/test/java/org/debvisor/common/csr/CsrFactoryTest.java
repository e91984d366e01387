package org.debvisor.common.csr;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.interfaces.ECPublicKey;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.junit.jupiter.api.Test;

class CsrFactoryTest {

  @Test
  void theRequestNamesTheNodeAndIsSignedByItsOwnP256Key() throws Exception {
    CsrFactory.Request request = CsrFactory.create("node-7");

    JcaPKCS10CertificationRequest csr =
        new JcaPKCS10CertificationRequest(new PKCS10CertificationRequest(request.der()));
    var names = csr.getSubject().getRDNs(BCStyle.CN);
    assertThat(names).hasSize(1);
    assertThat(IETFUtils.valueToString(names[0].getFirst().getValue())).isEqualTo("node-7");
    assertThat(csr.getSubject().getRDNs()).hasSize(1);
    assertThat(csr.getPublicKey()).isEqualTo(request.keys().getPublic());
    assertThat(
            csr.isSignatureValid(
                new JcaContentVerifierProviderBuilder().build(request.keys().getPublic())))
        .isTrue();
    assertThat(csr.getSignatureAlgorithm().getAlgorithm().getId())
        .as("SHA256withECDSA")
        .isEqualTo("1.2.840.10045.4.3.2");
    ECPublicKey key = (ECPublicKey) request.keys().getPublic();
    assertThat(key.getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
    assertThat(request.keys().getPrivate().getAlgorithm()).isEqualTo("EC");
  }

  @Test
  void everyRequestHasAFreshKey() {
    assertThat(CsrFactory.create("n").keys().getPublic())
        .isNotEqualTo(CsrFactory.create("n").keys().getPublic());
  }
}
