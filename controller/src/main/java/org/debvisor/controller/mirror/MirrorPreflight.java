package org.debvisor.controller.mirror;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.debvisor.controller.node.Architecture;

/**
 * Checks that the mirror serves every installer component the install will download, so a partial
 * or stale mirror is found before a node stops half-way through its install.
 */
public final class MirrorPreflight {

  private static final int PARALLEL_REQUESTS = 8;

  private final ArchiveIndexes indexes;
  private final InstallerFetcher installers;
  private final MirrorClient mirror;
  private final Progress progress;
  private final boolean allowUnverifiedIndex;

  /**
   * @param allowUnverifiedIndex read the installer index even when the mirror's copy does not match
   *     the signed checksum (it only decides which files to ask for)
   */
  public MirrorPreflight(
      ArchiveIndexes indexes,
      InstallerFetcher installers,
      MirrorClient mirror,
      Progress progress,
      boolean allowUnverifiedIndex) {
    this.allowUnverifiedIndex = allowUnverifiedIndex;
    this.indexes = indexes;
    this.installers = installers;
    this.mirror = mirror;
    this.progress = progress;
  }

  /**
   * Resolves the components for the installer {@code version} and asks the mirror for each; a
   * report checked against the same verified index within its freshness window is reused.
   */
  public PreflightReport check(Architecture arch, String version) throws IsoBuildException {
    PreflightCache reports = new PreflightCache(installers.cache(), indexes.freshness());
    String key =
        PreflightCache.key(
            mirror.base().toString(),
            indexes.suite(),
            indexes.releaseSha256(),
            arch.debianName(),
            version,
            Boolean.toString(allowUnverifiedIndex));
    try {
      Optional<PreflightReport> known = reports.read(key, indexes.release().validUntil());
      if (known.isPresent()) {
        progress.step(
            "Preflight of "
                + mirror.base()
                + " reused (checked within the last "
                + indexes.freshness().maxAge().toMinutes()
                + " min against this InRelease)");
        return known.get();
      }
    } catch (IOException e) {
      progress.step("warning: cannot read the cached preflight: " + e.getMessage());
    }
    PreflightReport report = checkNow(arch, version);
    try {
      reports.write(key, report);
    } catch (IOException e) {
      progress.step("warning: cannot cache the preflight: " + e.getMessage());
    }
    return report;
  }

  private PreflightReport checkNow(Architecture arch, String version) throws IsoBuildException {
    NetbootInstaller installer = installers.fetch(arch, version);
    InitrdContents initrd = InitrdContents.read(installer.initrd());
    progress.step("Resolving installer components for kernel " + initrd.kernelAbi());
    String component = "main/debian-installer/binary-" + arch.debianName();
    ArchiveIndexes.ReportIndex index =
        allowUnverifiedIndex
            ? indexes.packagesForReport(component, progress)
            : new ArchiveIndexes.ReportIndex(indexes.packages(component), Optional.empty());
    ComponentResolver.Resolution resolution =
        new ComponentResolver(index.stanzas(), initrd.kernelAbi())
            .resolve(initrd.installed(), baseList());
    List<PreflightReport.Missing> missing = new ArrayList<>();
    resolution
        .unresolved()
        .forEach(
            (name, by) ->
                missing.add(
                    new PreflightReport.Missing(
                        name,
                        "",
                        "not in dists/"
                            + indexes.suite()
                            + "/main/debian-installer/binary-"
                            + arch.debianName()
                            + "/Packages (needed by "
                            + by
                            + ")")));
    progress.step("Asking " + mirror.base() + " for " + resolution.needed().size() + " components");
    missing.addAll(headAll(new ArrayList<>(resolution.needed().values())));
    indexes
        .detachedReleaseProblem()
        .ifPresent(
            problem ->
                missing.add(
                    new PreflightReport.Missing(
                        "Release.gpg",
                        mirror.resolve("dists/" + indexes.suite() + "/Release.gpg").toString(),
                        "does not sign dists/"
                            + indexes.suite()
                            + "/Release, the installer stops with 'Bad signature' before"
                            + " downloading components ("
                            + problem
                            + ")")));
    // The installer checks this index against the Release file too, before any component.
    index
        .mismatch()
        .ifPresent(
            problem ->
                missing.add(
                    new PreflightReport.Missing(
                        component + "/Packages",
                        mirror.resolve("dists/" + indexes.suite() + "/" + component).toString(),
                        "the mirror's copy is not the one dists/"
                            + indexes.suite()
                            + "/Release lists, the installer stops with 'SHA256 mismatch'"
                            + " before downloading components ("
                            + problem
                            + ")")));
    missing.sort(Comparator.comparing(PreflightReport.Missing::name));
    return new PreflightReport(
        installer.version(), initrd.kernelAbi(), resolution.needed().size(), missing);
  }

  private List<PreflightReport.Missing> headAll(List<PackageStanza> stanzas)
      throws IsoBuildException {
    ExecutorService pool = Executors.newFixedThreadPool(PARALLEL_REQUESTS);
    try {
      List<Future<Integer>> statuses = new ArrayList<>();
      for (PackageStanza s : stanzas) {
        statuses.add(pool.submit(() -> mirror.head(s.filename())));
      }
      List<PreflightReport.Missing> missing = new ArrayList<>();
      for (int i = 0; i < stanzas.size(); i++) {
        int status = statuses.get(i).get();
        if (status != 200) {
          PackageStanza s = stanzas.get(i);
          missing.add(
              new PreflightReport.Missing(
                  s.name(), mirror.resolve(s.filename()).toString(), "HTTP " + status));
        }
      }
      return missing;
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof IsoBuildException ibe
          ? ibe
          : new IsoBuildException("preflight request failed: " + e.getCause(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IsoBuildException("preflight interrupted", e);
    } finally {
      pool.shutdownNow();
    }
  }

  /** The documented base list, {@code iso/preflight-base-udebs.txt}. */
  static List<String> baseList() throws IsoBuildException {
    try (InputStream in =
        MirrorPreflight.class.getResourceAsStream("/iso/preflight-base-udebs.txt")) {
      if (in == null) {
        throw new IsoBuildException("iso/preflight-base-udebs.txt is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .map(String::trim)
          .filter(l -> !l.isEmpty() && !l.startsWith("#"))
          .toList();
    } catch (IOException e) {
      throw new IsoBuildException("cannot read iso/preflight-base-udebs.txt", e);
    }
  }
}
