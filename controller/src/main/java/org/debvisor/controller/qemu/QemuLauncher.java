package org.debvisor.controller.qemu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts and stops QEMU processes, creates disks, and finds out whether KVM works. */
public final class QemuLauncher {

  private static final Duration PROBE_TIME = Duration.ofSeconds(6);
  private static final Duration STOP_GRACE = Duration.ofSeconds(5);

  /** Starts {@code machine}; QEMU's own stdout/stderr go to {@code log}. */
  public Process start(QemuMachine machine, Path log) throws IOException {
    return new ProcessBuilder(machine.command())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  /** Creates an empty qcow2 disk of {@code sizeGib}. */
  public void createDisk(Path disk, int sizeGib) throws IOException, InterruptedException {
    run(List.of("qemu-img", "create", "-q", "-f", "qcow2", disk.toString(), sizeGib + "G"));
  }

  /**
   * Boots {@code probe} (firmware only, KVM) briefly: KVM counts as working when QEMU is still
   * running after a few seconds and has not reported a KVM error (nested KVM often fails here).
   */
  public boolean kvmWorks(QemuMachine probe, Path log) {
    if (!Files.exists(Path.of("/dev/kvm"))) {
      return false;
    }
    try {
      Process p = start(probe, log);
      try {
        boolean exited = p.waitFor(PROBE_TIME.toMillis(), TimeUnit.MILLISECONDS);
        String out = Files.readString(log, StandardCharsets.UTF_8);
        return !exited && !out.contains("KVM internal error") && !out.contains("error");
      } finally {
        stop(p, null);
      }
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Stops QEMU, bounded: {@code quit} on the monitor if one is given, then SIGTERM, then SIGKILL.
   */
  public void stop(Process process, QemuMonitor monitor) throws InterruptedException {
    if (!process.isAlive()) {
      return;
    }
    if (monitor != null) {
      try {
        monitor.command("quit");
      } catch (IOException e) {
        // QEMU closes the monitor while quitting; termination is checked below.
      }
      if (process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        return;
      }
    }
    process.destroy();
    if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private static void run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(command.getFirst() + " did not finish within 60 s");
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + out.strip());
    }
  }
}
