package org.debvisor.controller.mirror;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.bcpg.ArmoredInputStream;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentVerifierBuilderProvider;

/**
 * Verifies an OpenPGP clear-signed file (Debian's {@code InRelease}) against a keyring.
 *
 * <p>Policy: at least one signature must be by a key of the keyring, and every signature by a key
 * of the keyring must be valid; signatures by unknown keys are ignored.
 */
public final class ClearsignedVerifier {

  public static final Path DEBIAN_KEYRING =
      Path.of("/usr/share/keyrings/debian-archive-keyring.gpg");

  private static final String BEGIN_MESSAGE = "-----BEGIN PGP SIGNED MESSAGE-----";
  private static final String BEGIN_SIGNATURE = "-----BEGIN PGP SIGNATURE-----";

  /** Supplies the keyring when a signature is first checked. */
  @FunctionalInterface
  private interface KeyringSource {
    PGPPublicKeyRingCollection load() throws IsoBuildException;
  }

  private final KeyringSource source;
  private final Path file;
  private PGPPublicKeyRingCollection keyring;

  public ClearsignedVerifier(PGPPublicKeyRingCollection keyring) {
    this.source = () -> keyring;
    this.file = null;
  }

  private ClearsignedVerifier(Path file) {
    this.source = () -> load(file);
    this.file = file;
  }

  /**
   * A binary or armored keyring file, read when a signature is first checked: a build that reuses
   * an index verified before (see {@link #keyringStamp}) never parses it. A file that cannot be
   * read is refused at once.
   */
  public static ClearsignedVerifier fromKeyring(Path file) throws IsoBuildException {
    if (!Files.isReadable(file)) {
      load(file); // fails now, with the reason, as a keyring read at once would
    }
    return new ClearsignedVerifier(file);
  }

  private static PGPPublicKeyRingCollection load(Path file) throws IsoBuildException {
    try (InputStream in = PGPUtil.getDecoderStream(Files.newInputStream(file))) {
      return new PGPPublicKeyRingCollection(in, new BcKeyFingerprintCalculator());
    } catch (IOException | PGPException e) {
      throw new IsoBuildException("cannot read keyring " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The keyring file's name and {@link FileStamp} now, which changes whenever the file is written
   * or replaced; empty for a keyring given in memory or a file that cannot be read (its indexes are
   * then always checked).
   */
  public Optional<String> keyringStamp() {
    if (file == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(file.toAbsolutePath() + " " + FileStamp.of(file));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private PGPPublicKeyRingCollection keyring() throws IsoBuildException {
    if (keyring == null) {
      keyring = source.load();
    }
    return keyring;
  }

  /**
   * The signed text of {@code clearsigned}.
   *
   * @param name names the file in errors
   * @throws IsoBuildException when the format is wrong or the signature does not verify
   */
  public String verify(String name, byte[] clearsigned) throws IsoBuildException {
    Clearsigned parts = split(name, clearsigned);
    checkSignatures(name, parts.signed(), parts.armor());
    return parts.text();
  }

  /**
   * The signed text of {@code clearsigned} without checking its signatures: only for a file whose
   * signatures were checked before and which is unchanged since (see {@link ArchiveIndexes}).
   *
   * @throws IsoBuildException when the format is wrong
   */
  public String signedText(String name, byte[] clearsigned) throws IsoBuildException {
    return split(name, clearsigned).text();
  }

  /**
   * A clear-signed file taken apart.
   *
   * @param body the signed lines, dash-escaping removed
   * @param armor the armored signature block
   */
  private record Clearsigned(List<String> body, String armor) {

    /** The signed text as the file gives it. */
    String text() {
      return String.join("\n", body) + "\n";
    }

    /**
     * The bytes the signatures are over (RFC 4880 7.1): trailing white space is not signed, lines
     * end in CRLF, the last has none.
     */
    byte[] signed() {
      StringBuilder signed = new StringBuilder();
      for (int k = 0; k < body.size(); k++) {
        if (k > 0) {
          signed.append("\r\n");
        }
        signed.append(body.get(k).replaceAll("[ \t]+$", ""));
      }
      return signed.toString().getBytes(StandardCharsets.UTF_8);
    }
  }

  private static Clearsigned split(String name, byte[] clearsigned) throws IsoBuildException {
    String text = new String(clearsigned, StandardCharsets.UTF_8);
    List<String> lines = text.lines().toList();
    if (lines.isEmpty() || !lines.get(0).equals(BEGIN_MESSAGE)) {
      throw new IsoBuildException(name + ": not an OpenPGP clear-signed message");
    }
    int i = 1;
    while (i < lines.size() && !lines.get(i).isEmpty()) {
      i++; // armor headers such as "Hash: SHA256"
    }
    int bodyStart = i + 1;
    int sigStart = lines.indexOf(BEGIN_SIGNATURE);
    if (sigStart < bodyStart) {
      throw new IsoBuildException(name + ": clear-signed message without a signature block");
    }
    List<String> body = new ArrayList<>();
    for (String line : lines.subList(bodyStart, sigStart)) {
      body.add(line.startsWith("- ") ? line.substring(2) : line);
    }
    String armor = String.join("\n", lines.subList(sigStart, lines.size())) + "\n";
    return new Clearsigned(body, armor);
  }

  /**
   * Checks an armored detached signature ({@code Release.gpg}) of {@code data} with the same
   * policy.
   *
   * @throws IsoBuildException when it does not verify
   */
  public void verifyDetached(String name, byte[] data, byte[] armoredSignature)
      throws IsoBuildException {
    checkSignatures(name, data, new String(armoredSignature, StandardCharsets.US_ASCII));
  }

  private void checkSignatures(String name, byte[] signed, String armor) throws IsoBuildException {
    List<PGPSignature> signatures = new ArrayList<>();
    try (ArmoredInputStream in =
        new ArmoredInputStream(new ByteArrayInputStream(armor.getBytes(StandardCharsets.UTF_8)))) {
      BcPGPObjectFactory factory = new BcPGPObjectFactory(in);
      for (Object o; (o = factory.nextObject()) != null; ) {
        if (o instanceof PGPSignatureList list) {
          list.forEach(signatures::add);
        }
      }
    } catch (IOException e) {
      throw new IsoBuildException(name + ": unreadable signature block: " + e.getMessage(), e);
    }
    int good = 0;
    for (PGPSignature signature : signatures) {
      PGPPublicKey key = keyring().getPublicKey(signature.getKeyID());
      if (key == null) {
        continue;
      }
      try {
        // The JDK's RSA, not Bouncy Castle's lightweight one: BC's RSAKeyParameters runs a
        // Miller-Rabin test on every 4096-bit archive key (about half of a warm ISO build's CPU,
        // measured with JFR); the keys come from the trusted keyring, so that test adds nothing.
        signature.init(
            BufferedContentVerifiers.around(new JcaPGPContentVerifierBuilderProvider()), key);
        signature.update(signed);
        if (!signature.verify()) {
          throw new IsoBuildException(
              name
                  + ": bad OpenPGP signature by key "
                  + Long.toHexString(signature.getKeyID()).toUpperCase()
                  + " (the file was altered or is not what the archive signed)");
        }
      } catch (PGPException e) {
        throw new IsoBuildException(name + ": cannot check signature: " + e.getMessage(), e);
      }
      good++;
    }
    if (good == 0) {
      throw new IsoBuildException(
          name + ": no signature by a key of the keyring (" + signatures.size() + " signatures)");
    }
  }
}
