package org.debvisor.controller.isolibrary;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.debvisor.controller.buildmetrics.BuildOutcome;
import org.debvisor.controller.iso.BuildMetrics;
import org.debvisor.controller.iso.IsoBuildRequest;
import org.debvisor.controller.iso.IsoBuildResult;
import org.debvisor.controller.iso.IsoBuilder;
import org.debvisor.controller.iso.Sha256Sums;
import org.debvisor.controller.mirror.DebianArchive;
import org.debvisor.controller.mirror.IsoBuildException;
import org.debvisor.controller.mirror.MirrorPreflight;
import org.debvisor.controller.mirror.PreflightReport;
import org.debvisor.controller.mirror.Progress;
import org.debvisor.controller.node.Architecture;
import org.debvisor.controller.node.InvalidInputException;
import org.debvisor.controller.node.NodeInstall;
import org.debvisor.controller.node.NodeLoader;
import org.debvisor.controller.preseed.LateCommandBuilder;
import org.debvisor.controller.preseed.PreseedData;
import org.debvisor.controller.preseed.PreseedGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's ISO library: builds a node's installer ISO on request and keeps the ISOs in one
 * directory for download. Builds run one at a time (xorriso and the download cache are not for
 * sharing) in the long-lived controller, so a warm build costs little more than xorriso itself; the
 * archive is opened anew for each build, so a verified index is reused only while fresh.
 */
public final class IsoLibrary {

  private static final Logger log = LoggerFactory.getLogger(IsoLibrary.class);

  /** What the library's files are called: exactly what {@link IsoBuildRequest#isoName} makes. */
  private static final Pattern ISO_NAME =
      Pattern.compile("debvisor-[A-Za-z0-9-]{1,63}-[a-z0-9]+\\.iso");

  /** How long a request waits for a build ahead of it to finish. */
  static final Duration QUEUE_WAIT = Duration.ofMinutes(2);

  /**
   * How many requests may wait behind the running build. Each waits on one of the API's shared
   * request threads, so the rest of the API keeps its threads however many builds are asked for.
   */
  static final int MAX_WAITING = 4;

  /**
   * Where builds come from and go.
   *
   * @param archive the Debian archive the installer comes from, and the download cache
   * @param preseedData profiles and templates for the preseed
   * @param directory where the ISOs, their {@code SHA256SUMS} and metrics are kept
   * @param controllerCa this controller's CA certificate (PEM), put on media whose node has an
   *     agent section, so that the agent can enrol here
   * @param sourceDateEpoch the timestamp of every file on the media (reproducible builds)
   * @param preflight whether to check the mirror for every installer component before a build
   */
  public record Settings(
      DebianArchive.Source archive,
      PreseedData preseedData,
      Path directory,
      Path controllerCa,
      long sourceDateEpoch,
      boolean preflight) {}

  /**
   * One ISO built on request.
   *
   * @param warnings what the build found worth telling (a mirror missing components), or none
   */
  public record BuiltIso(
      String name,
      String sha256,
      long size,
      Architecture arch,
      String hostname,
      String profile,
      String installerVersion,
      double seconds,
      List<String> warnings) {
    public BuiltIso {
      warnings = List.copyOf(warnings);
    }
  }

  /** An ISO in the library, as {@code SHA256SUMS} lists it. */
  public record StoredIso(String name, String sha256, long size) {}

  /**
   * {@link #MAX_WAITING} requests already wait behind the running build, or the build ahead held
   * the library for longer than {@link #QUEUE_WAIT}.
   */
  public static final class BusyException extends Exception {
    BusyException(String message) {
      super(message);
    }
  }

  private final Settings settings;
  private final NodeLoader nodes = new NodeLoader();
  private final ReentrantLock building = new ReentrantLock(true);
  private final Map<Architecture, BuildOutcome> lastBuilds = new ConcurrentHashMap<>();
  // Removes each build's work directory (and the ISO it replaced) after the answer, in order.
  private final ExecutorService cleanup =
      Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("iso-cleanup").factory());
  private boolean swept;
  // The running build and those waiting for it.
  private final AtomicInteger admitted = new AtomicInteger();

  public IsoLibrary(Settings settings) {
    this.settings = settings;
  }

  /** The last build for {@code arch} that got as far as the installer, whether it succeeded. */
  public Optional<BuildOutcome> lastBuild(Architecture arch) {
    return Optional.ofNullable(lastBuilds.get(arch));
  }

  /** The running build and those waiting for it (tests). */
  int admitted() {
    return admitted.get();
  }

  /**
   * Builds the ISO of the node described by {@code nodeYaml} (node.yaml's text), replacing the
   * previous ISO of that host name and architecture only once the new one is complete.
   *
   * @param profile the role profile, overriding node.yaml's; null keeps node.yaml's
   * @throws InvalidInputException node.yaml or the profile is wrong; nothing was built
   * @throws IsoBuildException download, verification or xorriso failed; the library is unchanged
   */
  public BuiltIso build(String nodeYaml, Architecture arch, String profile)
      throws InvalidInputException, IsoBuildException, BusyException, InterruptedException {
    NodeInstall install = nodes.parse("node.yaml", nodeYaml);
    if (profile != null) {
      install = install.withProfile(profile);
    }
    String preseed =
        new PreseedGenerator(settings.preseedData(), LateCommandBuilder.DEFAULT_AGENT_PACKAGE)
            .generate("node.yaml", install, arch);
    if (admitted.incrementAndGet() > MAX_WAITING + 1) {
      admitted.decrementAndGet();
      throw new BusyException(
          "an ISO build is running and "
              + MAX_WAITING
              + " more are waiting; try again when they are done");
    }
    try {
      if (!building.tryLock(QUEUE_WAIT.toSeconds(), TimeUnit.SECONDS)) {
        throw new BusyException(
            "another ISO build has held the library for "
                + QUEUE_WAIT.toMinutes()
                + " minutes (a first build downloads the installer); try again when it is done");
      }
      try {
        return buildLocked(install, preseed, arch);
      } finally {
        building.unlock();
      }
    } finally {
      admitted.decrementAndGet();
    }
  }

  private BuiltIso buildLocked(NodeInstall install, String preseed, Architecture arch)
      throws IsoBuildException {
    Progress progress = new LoggedProgress(install.hostname());
    if (!swept) {
      sweepLeftovers();
      swept = true;
    }
    DebianArchive archive = DebianArchive.open(settings.archive(), progress);
    IsoBuildRequest request =
        new IsoBuildRequest(
            arch,
            install.profile(),
            install.hostname(),
            preseed,
            archive.installerVersion(),
            null,
            settings.directory(),
            settings.sourceDateEpoch(),
            null,
            install.agent() != null ? settings.controllerCa() : null);
    List<String> warnings = new ArrayList<>();
    if (settings.preflight()) {
      warnings.addAll(preflight(archive, request, progress));
    }
    IsoBuilder builder =
        IsoBuilder.standard(archive.installers(), settings.sourceDateEpoch(), progress, cleanup);
    BuildMetrics metrics = new BuildMetrics();
    IsoBuildResult result;
    try {
      result = builder.build(request, metrics);
    } finally {
      metrics.outcome().ifPresent(outcome -> lastBuilds.put(arch, outcome));
    }
    log.info(
        "Built {} (sha256 {}) in {} ms",
        result.iso(),
        result.sha256(),
        Math.round(result.seconds() * 1000));
    long size;
    try {
      size = Files.size(result.iso());
    } catch (IOException e) {
      throw new IsoBuildException("cannot read the ISO just built: " + e.getMessage(), e);
    }
    return new BuiltIso(
        request.isoName(),
        result.sha256(),
        size,
        arch,
        install.hostname(),
        install.profile(),
        archive.installerVersion(),
        result.seconds(),
        warnings);
  }

  /**
   * Removes the work directories of builds a stopped controller did not finish or clean up ({@code
   * .build*}: never listed, never served).
   */
  private void sweepLeftovers() {
    if (!Files.isDirectory(settings.directory())) {
      return;
    }
    try (var entries = Files.newDirectoryStream(settings.directory(), ".build*")) {
      for (Path left : entries) {
        try (var tree = Files.walk(left)) {
          for (Path p : tree.sorted(java.util.Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(p);
          }
        }
        log.info("Removed {}, left by an ISO build that did not finish", left);
      }
    } catch (IOException e) {
      log.warn("Cannot remove the leftovers of earlier ISO builds: {}", e.getMessage());
    }
  }

  /** Missing installer components, as warnings: an install from this mirror would stop there. */
  private static List<String> preflight(
      DebianArchive archive, IsoBuildRequest request, Progress progress) {
    MirrorPreflight preflight = archive.preflight(progress, true);
    try {
      PreflightReport report = preflight.check(request.arch(), request.installerVersion());
      List<String> warnings = new ArrayList<>();
      if (!report.ok()) {
        warnings.add(
            "preflight: the mirror "
                + archive.client().base()
                + " fails "
                + report.missing().size()
                + " of "
                + report.checked()
                + " checks for installer "
                + report.installerVersion()
                + "; an install from it stops at the first");
      }
      for (PreflightReport.Missing missing : report.missing()) {
        warnings.add(
            "preflight: "
                + missing.name()
                + ": "
                + missing.reason()
                + (missing.url().isEmpty() ? "" : " (" + missing.url() + ")"));
      }
      return warnings;
    } catch (IsoBuildException e) {
      return List.of(
          "could not check the mirror for the installer's components: " + e.getMessage());
    }
  }

  /** The library's ISOs by name, from {@code SHA256SUMS}; files missing since are left out. */
  public List<StoredIso> list() throws IOException {
    List<StoredIso> isos = new ArrayList<>();
    for (Map.Entry<String, String> entry : sums().entrySet()) {
      Path file = settings.directory().resolve(entry.getKey());
      try {
        isos.add(new StoredIso(entry.getKey(), entry.getValue(), Files.size(file)));
      } catch (NoSuchFileException e) {
        // Removed by hand: not offered.
      }
    }
    return isos;
  }

  /** The ISO called {@code name}, if the library has it; never a path outside the library. */
  public Optional<StoredIso> find(String name) throws IOException {
    if (!ISO_NAME.matcher(name).matches()) {
      return Optional.empty();
    }
    return list().stream().filter(iso -> iso.name().equals(name)).findFirst();
  }

  /** Where the library keeps the ISO called {@code name} (found by {@link #find} first). */
  public Path file(StoredIso iso) {
    return settings.directory().resolve(iso.name());
  }

  private Map<String, String> sums() throws IOException {
    Map<String, String> byName = Sha256Sums.read(settings.directory().resolve("SHA256SUMS"));
    byName.keySet().removeIf(name -> !ISO_NAME.matcher(name).matches());
    return byName;
  }

  /**
   * A build's steps in the controller's log, named by the node: warnings as such, the rest at debug
   * level (the audit log and the answer carry the outcome).
   */
  private record LoggedProgress(String hostname) implements Progress {
    @Override
    public void step(String description) {
      if (description.startsWith("warning")) {
        log.warn("ISO build for {}: {}", hostname, description);
      } else {
        log.debug("ISO build for {}: {}", hostname, description);
      }
    }

    @Override
    public void bytes(String name, long done, long total) {}
  }
}
