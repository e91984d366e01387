package org.debvisor.controller.mirror;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * Reads a suite's signed indexes: {@code InRelease} (signature checked), then {@code Packages}
 * files by the checksum it lists.
 */
public final class ArchiveIndexes {

  private final VerifiedFetcher fetcher;
  private final ClearsignedVerifier verifier;
  private final String suite;
  private ReleaseFile release;

  public ArchiveIndexes(VerifiedFetcher fetcher, ClearsignedVerifier verifier, String suite) {
    this.fetcher = fetcher;
    this.verifier = verifier;
    this.suite = suite;
  }

  public String suite() {
    return suite;
  }

  /** The suite's verified Release data (fetched once per instance). */
  public ReleaseFile release() throws IsoBuildException {
    if (release == null) {
      String path = "dists/" + suite + "/InRelease";
      byte[] data = fetcher.fetchUnverified(path);
      release = ReleaseFile.parse(verifier.verify(fetcher.mirror().resolve(path).toString(), data));
    }
    return release;
  }

  /**
   * What is wrong with the suite's {@code Release} + {@code Release.gpg} pair, if anything. The
   * installer's net-retriever checks that pair (not {@code InRelease}) and stops with "Bad
   * signature" when the mirror serves a {@code Release.gpg} that does not sign its {@code Release}.
   */
  public Optional<String> detachedReleaseProblem() throws IsoBuildException {
    String release = "dists/" + suite + "/Release";
    byte[] data = fetcher.fetchUnverified(release);
    byte[] signature = fetcher.fetchUnverified(release + ".gpg");
    try {
      verifier.verifyDetached(
          fetcher.mirror().resolve(release + ".gpg").toString(), data, signature);
      return Optional.empty();
    } catch (IsoBuildException e) {
      return Optional.of(e.getMessage());
    }
  }

  /**
   * The stanzas of {@code <component>/Packages} (like {@code main/binary-amd64}), taken from {@code
   * Packages.xz} or {@code Packages.gz}, whichever the Release lists.
   */
  public List<PackageStanza> packages(String component) throws IsoBuildException {
    ReleaseFile rel = release();
    IsoBuildException mismatch = null;
    for (String suffix : List.of(".xz", ".gz")) {
      String relative = component + "/Packages" + suffix;
      var entry = rel.sha256(relative);
      if (entry.isPresent()) {
        try {
          Path file = fetcher.fetch("dists/" + suite + "/" + relative, entry.get().sha256());
          return PackageStanza.parseAll(decompress(file, suffix));
        } catch (IsoBuildException e) {
          if (!e.getMessage().startsWith("checksum mismatch")) {
            throw e;
          }
          mismatch = e; // a mirror caught mid-sync may have one compression right
        }
      }
    }
    if (mismatch != null) {
      throw mismatch;
    }
    throw new IsoBuildException(
        "dists/" + suite + "/InRelease lists no " + component + "/Packages.xz or .gz");
  }

  /**
   * An index read for a report.
   *
   * @param stanzas its packages
   * @param mismatch why the mirror's copy is not the signed one, empty when it is
   */
  public record ReportIndex(List<PackageStanza> stanzas, Optional<String> mismatch) {}

  /**
   * Like {@link #packages} but, when the mirror serves an index that does not match the signed
   * checksum, reads that index anyway, says so through {@code warning} and in the result. Only for
   * reports (the preflight's list of files to ask for); nothing read this way is installed.
   */
  public ReportIndex packagesForReport(String component, Progress warning)
      throws IsoBuildException {
    try {
      return new ReportIndex(packages(component), Optional.empty());
    } catch (IsoBuildException e) {
      if (!e.getMessage().startsWith("checksum mismatch")) {
        throw e;
      }
      warning.step("warning: " + e.getMessage() + "; using the unverified index for this report");
      String path = "dists/" + suite + "/" + component + "/Packages.xz";
      byte[] data = fetcher.fetchUnverified(path);
      try (InputStream in = new XZInputStream(new java.io.ByteArrayInputStream(data))) {
        return new ReportIndex(
            PackageStanza.parseAll(new String(in.readAllBytes(), StandardCharsets.UTF_8)),
            Optional.of(e.getMessage()));
      } catch (IOException io) {
        throw new IsoBuildException("cannot decompress " + path + ": " + io.getMessage(), io);
      }
    }
  }

  private static String decompress(Path file, String suffix) throws IsoBuildException {
    try (InputStream raw = Files.newInputStream(file);
        InputStream in = suffix.equals(".xz") ? new XZInputStream(raw) : new GZIPInputStream(raw)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IsoBuildException("cannot decompress " + file + ": " + e.getMessage(), e);
    }
  }
}
