package org.debvisor.controller.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.debvisor.common.csr.CsrFactory;
import org.junit.jupiter.api.Test;

/** What the controller accepts as a node's certificate request, and the reason for each refusal. */
class SigningRequestTest {

  // Bouncy Castle makes keys on curves the JDK no longer offers (secp256k1).
  private static final Provider BC = new BouncyCastleProvider();

  @Test
  void p256RequestFromTheAgentsFactoryGivesItsKeyAndCommonName() throws Exception {
    CsrFactory.Request request = CsrFactory.create("node-7");

    SigningRequest parsed = SigningRequest.parse(request.der());

    assertThat(parsed.commonName()).isEqualTo("node-7");
    assertThat(parsed.publicKey().getEncoded()).isEqualTo(request.keys().getPublic().getEncoded());
  }

  @Test
  void p384IsAccepted() throws Exception {
    KeyPair keys = ec("secp384r1");

    SigningRequest parsed = SigningRequest.parse(csr("CN=node-384", keys, keys, "SHA384withECDSA"));

    assertThat(parsed.commonName()).isEqualTo("node-384");
    assertThat(parsed.publicKey().getEncoded()).isEqualTo(keys.getPublic().getEncoded());
  }

  @Test
  void requestWithoutCommonNameHasAnEmptyOne() throws Exception {
    KeyPair keys = ec("secp256r1");

    SigningRequest parsed = SigningRequest.parse(csr("O=debvisor", keys, keys, "SHA256withECDSA"));

    assertThat(parsed.commonName()).isEmpty();
  }

  @Test
  void rsaOf2048BitsIsAcceptedAndShorterRefused() throws Exception {
    KeyPair enough = rsa(2048);
    // 2048 accepted pins the boundary; a 1024-bit key is refused and costs far less to make.
    KeyPair weak = rsa(1024);

    SigningRequest parsed =
        SigningRequest.parse(csr("CN=rsa-node", enough, enough, "SHA256withRSA"));

    assertThat(parsed.commonName()).isEqualTo("rsa-node");
    assertThatThrownBy(() -> SigningRequest.parse(csr("CN=rsa-node", weak, weak, "SHA256withRSA")))
        .isInstanceOf(CsrRejectedException.class)
        .hasMessage("has an RSA key of 1024 bits; at least 2048 are required");
  }

  @Test
  void ecKeysOnOtherCurvesAreRefused() throws Exception {
    // secp256k1 has P-256's field size but another group order; P-521 differs in both.
    for (String curve : new String[] {"secp256k1", "secp521r1"}) {
      KeyPair keys = ec(curve);
      byte[] der = csr("CN=node", keys, keys, "SHA256withECDSA");

      assertThatThrownBy(() -> SigningRequest.parse(der))
          .as(curve)
          .isInstanceOf(CsrRejectedException.class)
          .hasMessage("has an EC key on a curve other than P-256 or P-384");
    }
  }

  @Test
  void otherKeyTypesAreRefusedNamingTheAlgorithm() throws Exception {
    KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();

    assertThatThrownBy(() -> SigningRequest.parse(csr("CN=node", keys, keys, "Ed25519")))
        .isInstanceOf(CsrRejectedException.class)
        .hasMessageStartingWith("has a Ed")
        .hasMessageEndingWith(" key; only EC P-256/P-384 or RSA >= 2048 are accepted");
  }

  @Test
  void requestSignedByAnotherKeyIsRefused() throws Exception {
    KeyPair claimed = ec("secp256r1");
    KeyPair signer = ec("secp256r1");

    assertThatThrownBy(
            () -> SigningRequest.parse(csr("CN=node", claimed, signer, "SHA256withECDSA")))
        .isInstanceOf(CsrRejectedException.class)
        .hasMessageContaining("signature does not verify");
  }

  @Test
  void rsaRequestSignedByAnotherKeyIsRefused() throws Exception {
    KeyPair claimed = rsa(2048);
    KeyPair signer = rsa(2048);

    assertThatThrownBy(() -> SigningRequest.parse(csr("CN=node", claimed, signer, "SHA256withRSA")))
        .isInstanceOf(CsrRejectedException.class)
        .hasMessageContaining("signature does not verify");
  }

  @Test
  void sha512EcdsaIsAcceptedOnP256() throws Exception {
    KeyPair keys = ec("secp256r1");

    SigningRequest parsed = SigningRequest.parse(csr("CN=node-512", keys, keys, "SHA512withECDSA"));

    assertThat(parsed.commonName()).isEqualTo("node-512");
  }

  @Test
  void ecdsaSignatureThatIsNotOneIsRefusedAsUncheckable() throws Exception {
    KeyPair keys = ec("secp256r1");
    CertificationRequest valid =
        CertificationRequest.getInstance(csr("CN=node", keys, keys, "SHA256withECDSA"));
    byte[] garbled =
        new CertificationRequest(
                valid.getCertificationRequestInfo(),
                valid.getSignatureAlgorithm(),
                new DERBitString(new byte[] {1, 2, 3}))
            .getEncoded();

    assertThatThrownBy(() -> SigningRequest.parse(garbled))
        .isInstanceOf(CsrRejectedException.class)
        .hasMessageStartingWith("signature cannot be checked: ");
  }

  @Test
  void emptyInputIsRefusedBeforeParsing() {
    assertThatThrownBy(() -> SigningRequest.parse(null))
        .isInstanceOf(CsrRejectedException.class)
        .hasMessage("is empty; send a DER-encoded PKCS#10 request");
    assertThatThrownBy(() -> SigningRequest.parse(new byte[0]))
        .isInstanceOf(CsrRejectedException.class)
        .hasMessage("is empty; send a DER-encoded PKCS#10 request");
  }

  @Test
  void sizeLimitIsCheckedBeforeParsingAndTheLimitItselfIsParsed() {
    byte[] atLimit = new byte[SigningRequest.MAX_DER_BYTES];
    byte[] overLimit = Arrays.copyOf(atLimit, SigningRequest.MAX_DER_BYTES + 1);

    assertThatThrownBy(() -> SigningRequest.parse(overLimit))
        .isInstanceOf(CsrRejectedException.class)
        .hasMessage("is 16385 bytes; at most 16384 are accepted");
    assertThatThrownBy(() -> SigningRequest.parse(atLimit))
        .isInstanceOf(CsrRejectedException.class)
        .hasMessageStartingWith("is not a DER-encoded PKCS#10 request: ");
  }

  @Test
  void aCertificateRequestCutShortIsNotParsed() {
    byte[] der = CsrFactory.create("node-1").der();
    byte[] cut = Arrays.copyOf(der, der.length / 2);

    assertThatThrownBy(() -> SigningRequest.parse(cut))
        .isInstanceOf(CsrRejectedException.class)
        .hasMessageStartingWith("is not a DER-encoded PKCS#10 request: ")
        .hasCauseInstanceOf(Exception.class);
  }

  private static KeyPair ec(String curve) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", BC);
    generator.initialize(new ECGenParameterSpec(curve));
    return generator.generateKeyPair();
  }

  private static KeyPair rsa(int bits) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(bits);
    return generator.generateKeyPair();
  }

  /** A request naming {@code subject}'s public key, signed with {@code signer}'s private key. */
  private static byte[] csr(String name, KeyPair subject, KeyPair signer, String algorithm)
      throws Exception {
    return new JcaPKCS10CertificationRequestBuilder(new X500Name(name), subject.getPublic())
        .build(new JcaContentSignerBuilder(algorithm).setProvider(BC).build(signer.getPrivate()))
        .getEncoded();
  }
}
