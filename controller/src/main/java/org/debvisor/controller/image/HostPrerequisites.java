package org.debvisor.controller.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.debvisor.controller.node.Architecture;

/**
 * Checks that this host can build an image: the tools, root, and for a foreign architecture
 * qemu-user-static with a registered binfmt_misc handler. Each problem says how to fix it.
 *
 * @param searchPath directories searched for programs (like $PATH)
 * @param binfmtMisc the binfmt_misc mount point, normally {@code /proc/sys/fs/binfmt_misc}
 * @param hostArch architecture of this machine, empty if DebVisor does not build on it
 * @param root whether this process runs as root
 */
public record HostPrerequisites(
    List<Path> searchPath, Path binfmtMisc, Optional<Architecture> hostArch, boolean root) {

  private static final String INSTALL_HINT =
      " (DEBVISOR_TEST_PACKAGES in scripts/lib/packages.sh; scripts/test.sh installs them)";

  private static final String EMULATION_HINT =
      " (DEBVISOR_SLOW_TEST_PACKAGES in scripts/lib/packages.sh; scripts/test.sh"
          + " -Ddebvisor.slow=true installs them)";

  public HostPrerequisites {
    searchPath = List.copyOf(searchPath);
  }

  /** This machine, searching programs in {@code env}'s PATH (a default one if it has none). */
  public static HostPrerequisites ofThisHost(java.util.Map<String, String> env) {
    String path = env.getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    List<Path> dirs =
        Arrays.stream(path.split(":")).filter(s -> !s.isEmpty()).map(Path::of).toList();
    Optional<Architecture> host =
        switch (System.getProperty("os.arch")) {
          case "amd64", "x86_64" -> Optional.of(Architecture.AMD64);
          case "aarch64", "arm64" -> Optional.of(Architecture.ARM64);
          default -> Optional.empty();
        };
    return new HostPrerequisites(dirs, Path.of("/proc/sys/fs/binfmt_misc"), host, processIsRoot());
  }

  /** Whether an image of {@code target} runs its programs under qemu-user here. */
  public boolean emulates(Architecture target) {
    return hostArch.isPresent() && hostArch.get() != target;
  }

  /** Every reason this host cannot build an image of {@code target}; empty when it can. */
  public List<String> problems(Architecture target) {
    List<String> problems = new ArrayList<>();
    if (!root) {
      problems.add(
          "image build must run as root (mmdebstrap --mode=root; its hooks chroot into the"
              + " image): run it with sudo");
    }
    for (String tool : List.of("mmdebstrap", "zstd")) {
      if (find(tool).isEmpty()) {
        problems.add(tool + " is not installed: apt-get install " + tool + INSTALL_HINT);
      }
    }
    if (emulates(target)) {
      problems.addAll(emulationProblems(target, hostArch.get()));
    }
    return problems;
  }

  private List<String> emulationProblems(Architecture target, Architecture host) {
    List<String> problems = new ArrayList<>();
    String qemu = qemuName(target);
    String why =
        " (an "
            + target.debianName()
            + " image built on this "
            + host.debianName()
            + " host runs its package scripts under qemu-user)";
    if (find(qemu + "-static").isEmpty()) {
      problems.add(
          qemu
              + "-static is missing"
              + why
              + ": apt-get install qemu-user-static binfmt-support"
              + EMULATION_HINT);
    }
    if (!Files.exists(binfmtMisc.resolve("status"))) {
      problems.add(
          "binfmt_misc is not mounted at "
              + binfmtMisc
              + why
              + ": mount -t binfmt_misc binfmt_misc "
              + binfmtMisc);
    } else if (!handlerEnabled(binfmtMisc.resolve(qemu))) {
      problems.add(
          "no enabled binfmt_misc handler "
              + qemu
              + " in "
              + binfmtMisc
              + why
              + ": update-binfmts --enable "
              + qemu);
    }
    return problems;
  }

  /** binfmt-support's name for the emulator of an architecture. */
  static String qemuName(Architecture arch) {
    return switch (arch) {
      case AMD64 -> "qemu-x86_64";
      case ARM64 -> "qemu-aarch64";
    };
  }

  private Optional<Path> find(String program) {
    return searchPath.stream()
        .map(dir -> dir.resolve(program))
        .filter(Files::isExecutable)
        .findFirst();
  }

  private static boolean handlerEnabled(Path entry) {
    try {
      return Files.isRegularFile(entry)
          && Files.readAllLines(entry).stream().findFirst().orElse("").equals("enabled");
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean processIsRoot() {
    try {
      // /proc/self belongs to the process's effective user.
      return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }
}
