package org.debvisor.controller.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.debvisor.common.digest.Sha256;
import org.debvisor.common.process.Command;
import org.debvisor.common.process.Outcome;
import org.debvisor.common.process.ProcessRunner;

/**
 * Builds a DebVisor image: mmdebstrap with the image hooks into a staging directory beside the
 * output, zstd, manifest, image.json and SHA256SUMS, then one rename over the output directory.
 */
public final class ImageBuilder {

  /** zstd level of rootfs.tar.zst: -6 was 3x slower for 4 % less (modules and jars are packed). */
  static final int ZSTD_LEVEL = 3;

  private static final Duration MMDEBSTRAP_TIMEOUT = Duration.ofMinutes(60);

  /** Under qemu-user every maintainer script, the JVM and mkinitramfs run emulated. */
  private static final Duration MMDEBSTRAP_FOREIGN_TIMEOUT = Duration.ofMinutes(240);

  private static final Duration ZSTD_TIMEOUT = Duration.ofMinutes(20);

  private final HostPrerequisites host;
  private final InstallerInitramfsConfig initramfsConfig;
  private final Consumer<String> progress;
  private final ProcessRunner processes = new ProcessRunner();

  /**
   * @param host checked before anything is written
   * @param initramfsConfig the installer initramfs configuration to build installer.img from
   * @param progress receives step descriptions and the tools' status lines
   */
  public ImageBuilder(
      HostPrerequisites host, InstallerInitramfsConfig initramfsConfig, Consumer<String> progress) {
    this.host = host;
    this.initramfsConfig = initramfsConfig;
    this.progress = progress;
  }

  /** Checks the request and the host without writing anything; throws listing every problem. */
  public void check(ImageBuildRequest request) throws ImageBuildException {
    List<String> problems = new java.util.ArrayList<>(host.problems(request.arch()));
    Path deb = request.agentDeb();
    if (!Files.isRegularFile(deb) || !deb.getFileName().toString().endsWith(".deb")) {
      problems.add(
          "--agent-deb "
              + deb
              + " is not a .deb file (build it: ./mvnw -pl agent -am package, or pass"
              + " --agent-deb PATH)");
    }
    if (!Files.isReadable(request.keyring())) {
      problems.add(
          "--keyring "
              + request.keyring()
              + " cannot be read (apt-get install debian-archive-keyring, or pass --keyring FILE)");
    }
    if (!problems.isEmpty()) {
      throw new ImageBuildException(String.join("\n", problems));
    }
    StagedDirectory.checkReplaceable(request.outDir());
  }

  /** Builds the image described by {@code request} into its output directory. */
  public ImageBuildResult build(ImageBuildRequest request) throws ImageBuildException {
    check(request);
    Path helper = null;
    try (StagedDirectory staged = StagedDirectory.create(request.outDir())) {
      helper = Files.createTempDirectory("debvisor-image-");
      Path work = staged.path();
      Path config = initramfsConfig.writeTo(helper.resolve("installer-initramfs"));
      Path files = Files.createDirectory(helper.resolve("files"));
      Files.writeString(
          files.resolve(ImageHooks.SSH_HOSTKEYS_UNIT), ImageHooks.SSH_HOSTKEYS_UNIT_TEXT);
      ImageHooks hooks =
          new ImageHooks(
              request.debCache().toAbsolutePath(),
              request.agentDeb().toAbsolutePath(),
              config,
              files,
              work,
              ImageHooks.currentJava());
      Map<String, String> env =
          Map.of(
              "SOURCE_DATE_EPOCH", Long.toString(request.sourceDateEpoch()),
              "LC_ALL", "C",
              "TZ", "UTC",
              "DEBIAN_FRONTEND", "noninteractive");
      Path tar = work.resolve("rootfs.tar");
      progress.accept(
          "mmdebstrap: "
              + request.suite()
              + " "
              + request.arch().debianName()
              + " with profile "
              + request.profile().name()
              + " from "
              + request.mirror());
      Duration timeout =
          host.emulates(request.arch()) ? MMDEBSTRAP_FOREIGN_TIMEOUT : MMDEBSTRAP_TIMEOUT;
      run(
          Command.of(MmdebstrapCommand.argv(request, hooks, tar), timeout)
              .in(work)
              .withEnvironment(env),
          this::statusLine);
      progress.accept("zstd -" + ZSTD_LEVEL + ": " + ImageOutput.ROOTFS);
      // Multi-threaded zstd gives the same bytes whatever the number of threads.
      run(
          Command.of(
                  List.of(
                      "zstd",
                      "-q",
                      "-" + ZSTD_LEVEL,
                      "-T0",
                      "--rm",
                      "-o",
                      ImageOutput.ROOTFS,
                      "rootfs.tar"),
                  ZSTD_TIMEOUT)
              .in(work)
              .withEnvironment(env),
          line -> {});
      ImageDescriptor descriptor = describe(request, work);
      Files.writeString(work.resolve(ImageOutput.DESCRIPTOR), descriptor.toJson());
      Files.writeString(work.resolve(ImageOutput.CHECKSUMS), checksums(work));
      long rootfsBytes = Files.size(work.resolve(ImageOutput.ROOTFS));
      staged.commit();
      progress.accept("image written to " + request.outDir());
      return new ImageBuildResult(request.outDir(), descriptor, rootfsBytes);
    } catch (IOException e) {
      throw new ImageBuildException("image build failed: " + e.getMessage(), e);
    } finally {
      if (helper != null) {
        StagedDirectory.deleteTree(helper);
      }
    }
  }

  private ImageDescriptor describe(ImageBuildRequest request, Path work)
      throws IOException, ImageBuildException {
    Path kernelFile = work.resolve(ImageHooks.KERNEL_VERSION_FILE);
    String kernelVersion = Files.readString(kernelFile, StandardCharsets.UTF_8).strip();
    Files.delete(kernelFile);
    ImageManifest manifest = ImageManifest.read(work.resolve(ImageOutput.MANIFEST));
    Map<String, String> sums = new TreeMap<>();
    for (String name : ImageOutput.DESCRIBED_FILES) {
      sums.put(name, Sha256.hex(work.resolve(name)));
    }
    return new ImageDescriptor(
        ImageDescriptor.FORMAT,
        request.arch().debianName(),
        request.profile().name(),
        request.suite(),
        request.mirror().toString(),
        kernelVersion,
        request.sourceDateEpoch(),
        manifest.packages().size(),
        request.debvisorVersion(),
        new TreeMap<>(sums));
  }

  private static String checksums(Path work) throws IOException {
    StringBuilder text = new StringBuilder();
    for (String name : ImageOutput.SUMMED_FILES) {
      text.append(Sha256.hex(work.resolve(name))).append("  ").append(name).append('\n');
    }
    return text.toString();
  }

  /** Runs one long build tool; a failure carries its last output. */
  private void run(Command command, Consumer<String> lines) throws ImageBuildException {
    Outcome outcome;
    try {
      outcome = processes.run(command, lines);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageBuildException(command.program() + " interrupted", e);
    }
    if (!outcome.succeeded()) {
      throw new ImageBuildException(outcome.problem(command));
    }
  }

  /** mmdebstrap's own status lines (I:, W:, E:) are progress; apt's chatter is not. */
  private void statusLine(String line) {
    if (line.startsWith("I: ") || line.startsWith("W: ") || line.startsWith("E: ")) {
      progress.accept("  " + line);
    }
  }
}
