package org.debvisor.controller.mirror;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.debvisor.common.digest.Sha256;
import org.tukaani.xz.XZInputStream;

/**
 * Reads a suite's signed indexes: {@code InRelease} (signature checked), then {@code Packages}
 * files by the checksum it lists.
 */
public final class ArchiveIndexes {

  private final VerifiedFetcher fetcher;
  private final ClearsignedVerifier verifier;
  private final String suite;
  private final IndexFreshness freshness;
  private final Progress progress;
  private final CachedIndexStore store;
  private ReleaseFile release;
  private String releaseSha256;
  private boolean reused;

  /** With the default freshness (one hour, or the signed Valid-Until if sooner). */
  public ArchiveIndexes(VerifiedFetcher fetcher, ClearsignedVerifier verifier, String suite) {
    this(fetcher, verifier, suite, IndexFreshness.systemDefault(), Progress.NONE);
  }

  /**
   * @param freshness how long a verified InRelease is used without asking the mirror
   * @param progress receives a warning when a cached index fails its checks
   */
  public ArchiveIndexes(
      VerifiedFetcher fetcher,
      ClearsignedVerifier verifier,
      String suite,
      IndexFreshness freshness,
      Progress progress) {
    this.fetcher = fetcher;
    this.verifier = verifier;
    this.suite = suite;
    this.freshness = freshness;
    this.progress = progress;
    this.store = new CachedIndexStore(fetcher.cache());
  }

  public String suite() {
    return suite;
  }

  public IndexFreshness freshness() {
    return freshness;
  }

  /**
   * The suite's verified Release data (once per instance). A cached {@code InRelease} is used
   * without a request while fresh, after its signature has been checked again (a tampered copy is
   * dropped and fetched anew); a stale one is revalidated with a conditional GET. The check is
   * skipped, and the copy not even hashed, when it passed one before with the same keyring and
   * neither the copy nor the keyring file changed since (see {@link CachedIndexStore}).
   */
  public ReleaseFile release() throws IsoBuildException {
    if (release == null) {
      String path = "dists/" + suite + "/InRelease";
      String url = fetcher.mirror().resolve(path).toString();
      // Taken before the keyring is read: a keyring changed meanwhile makes the record stale.
      Optional<String> keyring = verifier.keyringStamp();
      if (reuseVerified(url, keyring)) {
        return release;
      }
      Optional<CachedIndexStore.Entry> cached = readCached(url);
      HttpValidators known = HttpValidators.NONE;
      if (cached.isPresent()) {
        Optional<ReleaseFile> verified = verifyCached(url, cached.get());
        if (verified.isEmpty()) {
          cached = Optional.empty();
        } else if (freshness.fresh(cached.get().confirmed(), verified.get().validUntil())) {
          remember(verified.get(), cached.get().data());
          recordVerified(url, keyring);
          return release;
        } else {
          known = cached.get().validators();
        }
      }
      Optional<VerifiedFetcher.Fetched> fetched = fetcher.fetchUnverifiedIfChanged(path, known);
      if (fetched.isEmpty() && cached.isEmpty()) {
        throw new IsoBuildException("GET " + url + " answered 304 to a request without validators");
      }
      byte[] data = fetched.isPresent() ? fetched.get().data() : cached.get().data();
      // Verified before it is stored: the cache never holds an index that failed its check.
      ReleaseFile parsed = ReleaseFile.parse(verifier.verify(url, data));
      HttpValidators validators = fetched.map(VerifiedFetcher.Fetched::validators).orElse(known);
      remember(parsed, data);
      try {
        store.write(url, new CachedIndexStore.Entry(data, freshness.now(), validators));
        recordVerified(url, keyring);
      } catch (IOException e) {
        progress.step("warning: cannot cache " + url + ": " + e.getMessage());
      }
    }
    return release;
  }

  /**
   * Uses the cached index without checking it again when it is recorded as verified with this
   * keyring, unchanged since and still fresh; returns whether it did.
   */
  private boolean reuseVerified(String url, Optional<String> keyring) {
    if (keyring.isEmpty()) {
      return false;
    }
    try {
      Optional<CachedIndexStore.Verified> known = store.readVerified(url, keyring.get());
      if (known.isEmpty()) {
        return false;
      }
      CachedIndexStore.Entry entry = known.get().entry();
      ReleaseFile parsed = ReleaseFile.parse(verifier.signedText(url, entry.data()));
      if (!freshness.fresh(entry.confirmed(), parsed.validUntil())) {
        return false;
      }
      release = parsed;
      releaseSha256 = known.get().sha256();
      reused = true;
      return true;
    } catch (IOException | IsoBuildException e) {
      // Checked the long way instead, which reports what is wrong.
      return false;
    }
  }

  private void recordVerified(String url, Optional<String> keyring) {
    if (keyring.isEmpty()) {
      return;
    }
    try {
      store.recordVerified(url, releaseSha256, keyring.get());
    } catch (IOException e) {
      progress.step("warning: cannot cache " + url + ": " + e.getMessage());
    }
  }

  /** Whether the index in use was recorded as verified before and not checked again. */
  boolean reusedVerified() {
    return reused;
  }

  /** The SHA-256 of the verified {@code InRelease} in use (it names what was derived from it). */
  public String releaseSha256() throws IsoBuildException {
    release();
    return releaseSha256;
  }

  private ReleaseFile remember(ReleaseFile parsed, byte[] data) {
    release = parsed;
    releaseSha256 = Sha256.hex(data);
    return parsed;
  }

  private Optional<CachedIndexStore.Entry> readCached(String url) {
    try {
      return store.read(url);
    } catch (IOException e) {
      progress.step("warning: cannot read the cached " + url + ": " + e.getMessage());
      return Optional.empty();
    }
  }

  /** The cached index checked again like a download; a tampered one is dropped with a warning. */
  private Optional<ReleaseFile> verifyCached(String url, CachedIndexStore.Entry entry) {
    try {
      return Optional.of(ReleaseFile.parse(verifier.verify(url, entry.data())));
    } catch (IsoBuildException e) {
      progress.step("warning: cached " + e.getMessage() + "; fetching it again");
      try {
        store.remove(url);
      } catch (IOException io) {
        progress.step("warning: cannot remove the cached " + url + ": " + io.getMessage());
      }
      return Optional.empty();
    }
  }

  /**
   * The stanza of package {@code name} at {@code version} in {@code <component>/Packages}, if
   * listed. The answer is remembered in the cache under the signed index's checksum, so the next
   * build with the same index reads no {@code Packages} at all.
   */
  public Optional<PackageStanza> find(String component, String name, String version)
      throws IsoBuildException {
    ReleaseFile rel = release();
    Optional<ReleaseFile.Entry> index =
        rel.sha256(component + "/Packages.xz").or(() -> rel.sha256(component + "/Packages.gz"));
    if (index.isEmpty()) {
      return packages(component).stream() // says which index is missing
          .filter(s -> s.name().equals(name) && s.version().equals(version))
          .findFirst();
    }
    Path memo =
        fetcher
            .cache()
            .derivedDir("lookup", index.get().sha256())
            .resolve(name + "_" + version.replace(':', '%'));
    try {
      if (Files.isRegularFile(memo)) {
        return PackageStanza.parseAll(Files.readString(memo, StandardCharsets.UTF_8)).stream()
            .filter(s -> s.name().equals(name) && s.version().equals(version))
            .findFirst();
      }
      Optional<PackageStanza> found =
          packages(component).stream()
              .filter(s -> s.name().equals(name) && s.version().equals(version))
              .findFirst();
      String text =
          found
              .map(
                  s ->
                      "Package: "
                          + s.name()
                          + "\nVersion: "
                          + s.version()
                          + "\nFilename: "
                          + s.filename()
                          + "\nSHA256: "
                          + s.sha256()
                          + "\n")
              .orElse("");
      fetcher.cache().replaceSmallFile(memo, text.getBytes(StandardCharsets.UTF_8));
      return found;
    } catch (IOException e) {
      throw new IsoBuildException("cache " + fetcher.cache().root() + ": " + e.getMessage(), e);
    }
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
