package org.debvisor.controller.iso;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Executor;
import java.util.stream.Stream;
import org.debvisor.common.digest.Sha256;
import org.debvisor.controller.mirror.InstallerFetcher;
import org.debvisor.controller.mirror.IsoBuildException;
import org.debvisor.controller.mirror.NetbootInstaller;
import org.debvisor.controller.mirror.Progress;

/**
 * Builds an installer ISO: fetch and verify the netboot installer, append the preseed, assemble
 * with xorriso, write {@code SHA256SUMS} and the build metrics beside the ISO.
 */
public final class IsoBuilder {

  private final InstallerFetcher fetcher;
  private final IsoAssembler assembler;
  private final Progress progress;
  private final Executor cleanup;

  /** A builder that removes each build's work directory before {@link #build} returns. */
  public IsoBuilder(InstallerFetcher fetcher, IsoAssembler assembler, Progress progress) {
    this(fetcher, assembler, progress, Runnable::run);
  }

  /**
   * @param cleanup runs the removal of each build's work directory, which holds the ISO it
   *     replaced: freeing a large file waits for the device on a filesystem mounted with {@code
   *     discard} (40-60 ms for 56-86 MB here), so a long-lived builder does it after answering
   */
  public IsoBuilder(
      InstallerFetcher fetcher, IsoAssembler assembler, Progress progress, Executor cleanup) {
    this.fetcher = fetcher;
    this.assembler = assembler;
    this.progress = progress;
    this.cleanup = cleanup;
  }

  /**
   * The builder of the project's media: its boot menus, xorriso with {@code sourceDateEpoch}, the
   * derived initrd and EFI image cached beside the installer's downloads.
   */
  public static IsoBuilder standard(
      InstallerFetcher installers, long sourceDateEpoch, Progress progress, Executor cleanup) {
    return new IsoBuilder(
        installers,
        new IsoAssembler(
            new ToolRunner(sourceDateEpoch),
            new BootMenus(new IsoTemplates(null)),
            new DerivedFiles(installers.cache(), progress),
            progress),
        progress,
        cleanup);
  }

  /** Builds; metrics are recorded into {@code metrics} whether or not the build succeeds. */
  public IsoBuildResult build(IsoBuildRequest request, BuildMetrics metrics)
      throws IsoBuildException {
    long start = System.nanoTime();
    boolean ok = false;
    int packages = BuildMetrics.includedPackages(request.preseed());
    try {
      NetbootInstaller installer = fetcher.fetch(request.arch(), request.installerVersion());
      packages += request.agentDeb() == null ? 1 : 2;
      Path out = request.outDir();
      Files.createDirectories(out);
      Path work = Files.createTempDirectory(out, ".build");
      try {
        Path partial = work.resolve(request.isoName());
        assembler.assemble(request, installer, work, partial);
        Path iso = out.resolve(request.isoName());
        keepReplaced(iso, work);
        IsoAssembler.moveInto(partial, iso);
        String sha = Sha256.hex(iso);
        Sha256Sums.put(out.resolve("SHA256SUMS"), request.isoName(), sha);
        ok = true;
        double seconds = (System.nanoTime() - start) / 1e9;
        progress.step(String.format("Built %s (sha256 %s) in %.1f s", iso, sha, seconds));
        return new IsoBuildResult(iso, sha, installer, seconds);
      } finally {
        cleanup.execute(() -> removeWork(work));
      }
    } catch (IOException e) {
      throw new IsoBuildException("cannot write to " + request.outDir() + ": " + e.getMessage(), e);
    } finally {
      metrics.record(request.arch().debianName(), (System.nanoTime() - start) / 1e9, ok, packages);
      try {
        if (Files.isDirectory(request.outDir())) {
          metrics.writeTo(request.outDir().resolve(request.isoName() + ".prom"));
        }
      } catch (IOException e) {
        progress.step("warning: cannot write metrics: " + e.getMessage());
      }
    }
  }

  /**
   * Links the ISO about to be replaced into the work directory, so that the rename does not free
   * its blocks and the work directory's removal does.
   */
  private static void keepReplaced(Path iso, Path work) {
    try {
      Files.createLink(work.resolve("replaced-" + iso.getFileName()), iso);
    } catch (IOException | UnsupportedOperationException e) {
      // No previous ISO, or no hard links here: the rename frees it.
    }
  }

  private void removeWork(Path work) {
    try {
      deleteTree(work);
    } catch (IOException e) {
      progress.step("warning: cannot remove the work directory " + work + ": " + e.getMessage());
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
