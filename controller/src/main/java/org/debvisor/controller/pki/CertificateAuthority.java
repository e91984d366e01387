package org.debvisor.controller.pki;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.debvisor.common.pem.Pem;

/**
 * The controller's certificate authority, kept in {@code <stateDir>/pki/}: an EC P-256 key ({@code
 * ca.key}, PKCS#8, 0600) and a self-signed certificate ({@code ca.pem}) created on first start. It
 * signs node CSRs and the controller's own server and client certificates.
 */
public final class CertificateAuthority {

  /** Common name of the certificate the controller presents when it calls agents. */
  public static final String CONTROLLER_CLIENT_CN = "debvisor-controller";

  private static final Duration CA_VALIDITY = Duration.ofDays(3650);
  private static final Duration OWN_VALIDITY = Duration.ofDays(90);
  // Accept nodes whose clock runs a little behind ours.
  private static final Duration BACKDATE = Duration.ofMinutes(5);
  private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|.*:.*");

  private final PrivateKey caKey;
  private final X509Certificate caCertificate;
  private final String caPem;
  // Taken from the CA certificate once, not per issued certificate (enrolment is CPU-bound).
  private final X500Name issuer;
  private final AuthorityKeyIdentifier authorityKeyId;
  private final Clock clock;
  private final SecureRandom random;
  private final ValidityTimes validityTimes = new ValidityTimes();

  private CertificateAuthority(
      PrivateKey caKey, X509Certificate caCertificate, Clock clock, SecureRandom random) {
    this.caKey = caKey;
    this.caCertificate = caCertificate;
    this.caPem = Pem.encode(caCertificate);
    this.issuer = X500Name.getInstance(caCertificate.getSubjectX500Principal().getEncoded());
    try {
      this.authorityKeyId = new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(caCertificate);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "cannot read the CA certificate's key identifier: " + e.getMessage(), e);
    }
    this.clock = clock;
    this.random = random;
  }

  /** A CA's key and self-signed certificate, before they become a {@link CertificateAuthority}. */
  public record Keys(PrivateKey key, X509Certificate certificate) {}

  /** Loads the CA from {@code pkiDir}, creating it there when it does not exist yet. */
  public static CertificateAuthority loadOrCreate(Path pkiDir, Clock clock) throws IOException {
    java.util.Optional<Keys> existing = readFiles(pkiDir);
    if (existing.isPresent()) {
      return of(existing.get(), clock);
    }
    Keys keys = generate(clock);
    // Key first: a ca.pem without its key is refused by readFiles, never silently replaced.
    SecretFiles.writeSecret(pkiDir.resolve("ca.key"), Pem.encode(keys.key()));
    SecretFiles.writePublic(pkiDir.resolve("ca.pem"), Pem.encode(keys.certificate()));
    return of(keys, clock);
  }

  /** The CA kept elsewhere (the database several controllers share). */
  public static CertificateAuthority of(Keys keys, Clock clock) {
    return new CertificateAuthority(keys.key(), keys.certificate(), clock, new SecureRandom());
  }

  /**
   * The CA in {@code pkiDir} ({@code ca.key}, {@code ca.pem}); empty when neither file exists.
   *
   * @throws IOException when only one of them exists or the key is readable by others
   */
  public static java.util.Optional<Keys> readFiles(Path pkiDir) throws IOException {
    Path keyFile = pkiDir.resolve("ca.key");
    Path certFile = pkiDir.resolve("ca.pem");
    if (!Files.exists(keyFile) && !Files.exists(certFile)) {
      return java.util.Optional.empty();
    }
    if (!Files.exists(keyFile) || !Files.exists(certFile)) {
      throw new IOException(
          "incomplete CA in "
              + pkiDir
              + ": both ca.key and ca.pem are needed; restore the missing one from a backup"
              + " (creating a new CA would orphan every enrolled node)");
    }
    if (SecretFiles.tooOpen(keyFile)) {
      throw new IOException(keyFile + " is readable by others; run: chmod 600 " + keyFile);
    }
    PrivateKey key = Pem.privateKey(Files.readString(keyFile, StandardCharsets.US_ASCII));
    X509Certificate cert = Pem.certificate(Files.readString(certFile, StandardCharsets.US_ASCII));
    return java.util.Optional.of(new Keys(key, cert));
  }

  /** Makes a new CA key and self-signed certificate in memory; the caller keeps them. */
  public static Keys generate(Clock clock) throws IOException {
    SecureRandom random = new SecureRandom();
    // P-256: the JDK signs with it about 8x faster than with P-384, and enrolment is bound by
    // signature CPU (docs/benchmarks.md); 128-bit strength is ample for week-long certificates.
    KeyPair pair = generateEc("secp256r1", random);
    Instant now = clock.instant();
    X500Name subject =
        new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.O, "DebVisor")
            .addRDN(
                BCStyle.CN, "DebVisor controller CA " + HexFormat.of().formatHex(bytes(random, 4)))
            .build();
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  subject,
                  serial(random),
                  Date.from(now.minus(BACKDATE)),
                  Date.from(now.plus(CA_VALIDITY)),
                  subject,
                  pair.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
              .addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  utils.createSubjectKeyIdentifier(pair.getPublic()));
      return new Keys(pair.getPrivate(), sign(builder, pair.getPrivate()));
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IOException("cannot create the CA: " + e.getMessage(), e);
    }
  }

  /**
   * Writes the CA certificate to {@code pkiDir/ca.pem}, the trust file of this controller's own
   * clients, when the CA itself lives elsewhere.
   */
  public void writeCertificate(Path pkiDir) throws IOException {
    SecretFiles.writePublic(pkiDir.resolve("ca.pem"), caPem);
  }

  /** The CA certificate. */
  public X509Certificate certificate() {
    return caCertificate;
  }

  /** The CA certificate as PEM: the bundle agents trust. */
  public String bundlePem() {
    return caPem;
  }

  /**
   * Signs a node's request: CN := node id, SAN = hostname and the agent's address host, EKU
   * serverAuth + clientAuth.
   */
  public IssuedCertificate issueNodeCertificate(
      SigningRequest csr, String nodeId, List<String> names, Duration validity) {
    return issue(csr.publicKey(), nodeId, names, validity);
  }

  /**
   * Issues the controller's TLS server certificate and key for localhost, 127.0.0.1, ::1 and the
   * given names, and writes them to {@code server.key}/{@code server.pem} in {@code pkiDir}.
   */
  public KeyMaterial issueServerMaterial(Path pkiDir, List<String> extraNames) throws IOException {
    List<String> names = new ArrayList<>(List.of("localhost", "127.0.0.1", "::1"));
    names.addAll(extraNames);
    return issueOwn(pkiDir, "server", "debvisor-controller-server", names);
  }

  /** Issues the client certificate (CN {@value #CONTROLLER_CLIENT_CN}) used to call agents. */
  public KeyMaterial issueClientMaterial(Path pkiDir) throws IOException {
    return issueOwn(pkiDir, "controller-client", CONTROLLER_CLIENT_CN, List.of());
  }

  private KeyMaterial issueOwn(Path pkiDir, String baseName, String cn, List<String> names)
      throws IOException {
    KeyPair pair = generateEc("secp256r1", random);
    IssuedCertificate cert = issue(pair.getPublic(), cn, names, OWN_VALIDITY);
    Path keyFile = pkiDir.resolve(baseName + ".key");
    Path certFile = pkiDir.resolve(baseName + ".pem");
    SecretFiles.writeSecret(keyFile, Pem.encode(pair.getPrivate()));
    SecretFiles.writePublic(certFile, cert.pem());
    return new KeyMaterial(keyFile, certFile, cert);
  }

  private IssuedCertificate issue(
      PublicKey key, String commonName, List<String> names, Duration validity) {
    Instant now = clock.instant();
    Instant notAfter = now.plus(validity);
    Instant caEnd = caCertificate.getNotAfter().toInstant();
    if (notAfter.isAfter(caEnd)) {
      notAfter = caEnd;
    }
    // Whole seconds: what the certificate's time encoding keeps, so the inventory's copy is equal.
    notAfter = notAfter.truncatedTo(ChronoUnit.SECONDS);
    BigInteger serial = serial(random);
    X500Name subject =
        new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.O, "DebVisor")
            .addRDN(BCStyle.CN, commonName)
            .build();
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      int usage = KeyUsage.digitalSignature;
      if (key instanceof RSAPublicKey) {
        usage |= KeyUsage.keyEncipherment;
      }
      // Whole seconds, as the certificate keeps them.
      ValidityTimes.Pair times = validityTimes.of(now.minus(BACKDATE), notAfter);
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  issuer, serial, times.notBeforeTime(), times.notAfterTime(), subject, key)
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(Extension.keyUsage, true, new KeyUsage(usage))
              .addExtension(
                  Extension.extendedKeyUsage,
                  false,
                  new ExtendedKeyUsage(
                      new KeyPurposeId[] {
                        KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth
                      }))
              .addExtension(
                  Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(key))
              .addExtension(Extension.authorityKeyIdentifier, false, authorityKeyId);
      GeneralNames san = subjectAltNames(names);
      if (san != null) {
        builder.addExtension(Extension.subjectAlternativeName, false, san);
      }
      X509CertificateHolder cert = signHolder(builder, caKey);
      return new IssuedCertificate(cert, Pem.encode(cert), serial.toString(16), notAfter);
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot issue a certificate: " + e.getMessage(), e);
    }
  }

  private static GeneralNames subjectAltNames(List<String> names) {
    Set<String> unique = new LinkedHashSet<>();
    for (String name : names) {
      if (name != null && !name.isBlank()) {
        unique.add(name.trim());
      }
    }
    if (unique.isEmpty()) {
      return null;
    }
    List<GeneralName> out = new ArrayList<>();
    for (String name : unique) {
      out.add(
          IP_LITERAL.matcher(name).matches() && isIp(name)
              ? new GeneralName(GeneralName.iPAddress, name)
              : new GeneralName(GeneralName.dNSName, name));
    }
    return new GeneralNames(out.toArray(GeneralName[]::new));
  }

  private static boolean isIp(String name) {
    try {
      // Only literals reach here (digits and dots, or a colon), so no DNS lookup happens.
      InetAddress.getByName(name);
      return true;
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
      throws GeneralSecurityException {
    return new JcaX509CertificateConverter().getCertificate(signHolder(builder, key));
  }

  /** Signed, without the JDK's parse into an X509Certificate (issued certificates parse lazily). */
  private static X509CertificateHolder signHolder(X509v3CertificateBuilder builder, PrivateKey key)
      throws GeneralSecurityException {
    try {
      ContentSigner signer = new JcaContentSignerBuilder(signatureAlgorithm(key)).build(key);
      return builder.build(signer);
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e.getMessage(), e);
    }
  }

  /** SHA-384 for a P-384 key (CAs made before P-256 became the default), else SHA-256. */
  private static String signatureAlgorithm(PrivateKey key) {
    boolean p384 =
        key instanceof java.security.interfaces.ECPrivateKey ec
            && ec.getParams().getCurve().getField().getFieldSize() > 256;
    return p384 ? "SHA384withECDSA" : "SHA256withECDSA";
  }

  /** A random positive 128-bit serial (RFC 5280: positive, at most 20 octets). */
  private static BigInteger serial(SecureRandom random) {
    BigInteger serial;
    do {
      serial = new BigInteger(1, bytes(random, 16));
    } while (serial.signum() == 0);
    return serial;
  }

  private static byte[] bytes(SecureRandom random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  static KeyPair generateEc(String curve, SecureRandom random) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec(curve), random);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("EC " + curve + " unavailable: " + e.getMessage(), e);
    }
  }

  /** A key and certificate written to disk for TLS. */
  public record KeyMaterial(Path keyFile, Path certificateFile, IssuedCertificate certificate) {}
}
