package org.debvisor.controller.backup;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A small tmpfs the test mounts (as root) for a full or read-only disk, unmounted on close. */
final class TmpfsMount implements AutoCloseable {

  private final Path dir;

  private TmpfsMount(Path dir) {
    this.dir = dir;
  }

  /**
   * Mounts tmpfs with {@code options} (e.g. "size=64k", "ro") on {@code dir}; skips if it can't.
   */
  static TmpfsMount mount(Path dir, String options) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    int code = run("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir.toString());
    assumeTrue(code == 0, "cannot mount tmpfs here (not root, or no mount namespace rights)");
    return new TmpfsMount(dir);
  }

  Path dir() {
    return dir;
  }

  private static int run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }

  @Override
  public void close() throws IOException, InterruptedException {
    if (run("umount", dir.toString()) != 0) {
      throw new IOException("cannot unmount " + dir);
    }
  }
}
