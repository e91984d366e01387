package org.debvisor.controller.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClearsignedVerifierTest {

  private static byte[] inRelease;
  private static ClearsignedVerifier verifier;

  @BeforeAll
  static void fetch() throws Exception {
    inRelease = MirrorFixture.fetcher().fetchUnverified("dists/trixie/InRelease");
    verifier = MirrorFixture.verifier();
  }

  @Test
  void acceptsTheArchiveSignedInRelease() throws Exception {
    String text = verifier.verify("InRelease", inRelease);

    assertThat(text).contains("Codename: trixie").doesNotContain("PGP");
    assertThat(ReleaseFile.parse(text).sha256("main/binary-amd64/Packages.xz"))
        .get()
        .satisfies(e -> assertThat(e.sha256()).matches("[0-9a-f]{64}"));
  }

  @Test
  void refusesOneAlteredByteNamingTheFile() {
    String text = new String(inRelease, StandardCharsets.UTF_8);
    int at = text.indexOf("Codename: trixie") + "Codename: t".length();
    byte[] tampered = inRelease.clone();
    tampered[text.substring(0, at).getBytes(StandardCharsets.UTF_8).length] = 'X';

    assertThatThrownBy(() -> verifier.verify("dists/trixie/InRelease", tampered))
        .isInstanceOf(IsoBuildException.class)
        .hasMessageContaining("dists/trixie/InRelease")
        .hasMessageContaining("bad OpenPGP signature");
  }

  @Test
  void aMissingKeyringIsRefusedAtOnce(@TempDir Path dir) {
    Path missing = dir.resolve("missing.gpg");

    assertThatThrownBy(() -> ClearsignedVerifier.fromKeyring(missing))
        .isInstanceOf(IsoBuildException.class)
        .hasMessageStartingWith("cannot read keyring " + missing);
  }

  @Test
  void refusesAnUnsignedFile() {
    byte[] plain = "Origin: Debian\nCodename: trixie\n".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> verifier.verify("Release", plain))
        .hasMessageContaining("Release: not an OpenPGP clear-signed message");
  }

  @Test
  void refusesASignatureByAKeyOutsideTheKeyring() throws Exception {
    var empty =
        new ClearsignedVerifier(
            new org.bouncycastle.openpgp.PGPPublicKeyRingCollection(java.util.List.of()));

    assertThatThrownBy(() -> empty.verify("InRelease", inRelease))
        .hasMessageContaining("no signature by a key of the keyring");
  }

  @Test
  void detachedReleaseSignatureIsCheckedAndATamperedReleaseRefused() throws Exception {
    VerifiedFetcher fetcher = MirrorFixture.fetcher();
    // bookworm's Release + Release.gpg agree on the mirror reachable here.
    byte[] release = fetcher.fetchUnverified("dists/bookworm/Release");
    byte[] signature = fetcher.fetchUnverified("dists/bookworm/Release.gpg");
    verifier.verifyDetached("Release.gpg", release, signature);

    release[release.length / 2] ^= 1;
    assertThatThrownBy(() -> verifier.verifyDetached("Release.gpg", release, signature))
        .isInstanceOf(IsoBuildException.class)
        .hasMessageContaining("Release.gpg: bad OpenPGP signature");
  }

  @Test
  void preflightSeesTheMirrorsStaleTrixieReleaseGpg() throws Exception {
    // Observed here: trixie's Release matches InRelease, but Release.gpg does not sign it, and
    // the installer's net-retriever (which checks Release + Release.gpg) stops on it.
    var indexes = new ArchiveIndexes(MirrorFixture.fetcher(), verifier, "trixie");

    assertThat(indexes.detachedReleaseProblem())
        .hasValueSatisfying(p -> assertThat(p).contains("bad OpenPGP signature"));
  }
}
