package org.debvisor.controller.qemu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.debvisor.controller.mirror.Progress;
import org.debvisor.controller.node.Architecture;

/**
 * Boots an installer ISO in QEMU on an empty disk and follows the unattended install phase by phase
 * until it finishes, fails, goes idle or times out. QEMU is always stopped at the end.
 *
 * <p>The installer runs GNU screen on the serial console; typing {@code Ctrl-a 4} there shows its
 * log window (the syslog), which is what the phases are read from. VT4 of the graphics console
 * shows the same log and is screendumped through the monitor every minute for people to look at.
 */
public final class IsoBootTest {

  private static final Duration POLL = Duration.ofSeconds(1);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);
  private static final Duration STABLE_LINE = Duration.ofSeconds(2);
  private static final Duration FAILURE_GRACE = Duration.ofSeconds(10);
  private static final Duration SCREENDUMP_EVERY = Duration.ofSeconds(60);
  private static final Duration VT4_AFTER_KERNEL = Duration.ofSeconds(20);
  private static final int LAST_LINES = 25;
  private static final int DISK_GIB = 20;
  private static final int MEMORY_MIB = 1536;
  private static final byte[] SCREEN_LOG_WINDOW = {0x01, '4'};

  private final QemuLauncher launcher;
  private final Progress progress;
  private final Duration idleLimit;

  /**
   * @param idleLimit stop when the console shows nothing new for this long (a question waits)
   */
  public IsoBootTest(QemuLauncher launcher, Progress progress, Duration idleLimit) {
    this.launcher = launcher;
    this.progress = progress;
    this.idleLimit = idleLimit;
  }

  /** Runs the install; throws only when QEMU cannot be started at all. */
  public IsoTestReport run(IsoTestRequest request) throws IOException, InterruptedException {
    Path work = Files.createDirectories(request.workDir());
    Path disk = work.resolve("disk.qcow2");
    Files.deleteIfExists(disk);
    launcher.createDisk(disk, DISK_GIB);
    Optional<QemuMachine.Firmware> firmware = firmware(request, work);
    Accelerator accelerator = chooseAccelerator(launcher, progress, request, firmware, work);
    progress.step("Booting " + request.iso().getFileName() + " with " + accelerator);
    QemuMachine machine =
        new QemuMachine(
            request.arch(),
            accelerator,
            firmware,
            Optional.of(request.iso()),
            Optional.of(disk),
            work.resolve("serial.log"),
            work.resolve("serial.sock"),
            work.resolve("monitor.sock"),
            MEMORY_MIB);
    try {
      return follow(request, machine, work, accelerator);
    } finally {
      for (String socket :
          List.of(
              "serial.sock", "monitor.sock", "kvm-probe-serial.sock", "kvm-probe-monitor.sock")) {
        Files.deleteIfExists(work.resolve(socket));
      }
      Files.deleteIfExists(disk);
      if (firmware.isPresent() && firmware.get().vars() != null) {
        Files.deleteIfExists(firmware.get().vars());
      }
    }
  }

  private IsoTestReport follow(
      IsoTestRequest request, QemuMachine machine, Path work, Accelerator accelerator)
      throws IOException, InterruptedException {
    Files.deleteIfExists(machine.serialLog());
    long start = System.nanoTime();
    Process qemu = launcher.start(machine, work.resolve("qemu.log"));
    QemuMonitor monitor = null;
    SerialConsole serial = null;
    InstallPhases phases = new InstallPhases();
    List<String> lines = List.of();
    int fed = 0;
    int shots = 0;
    boolean logWindow = false;
    boolean vt4 = false;
    Duration nextShot = Duration.ZERO;
    Duration failureAt = null;
    Duration lastChange = Duration.ZERO;
    String lastTail = null;
    IsoTestReport.Outcome outcome;
    String reason;
    try {
      monitor = QemuMonitor.connect(machine.monitorSocket(), CONNECT_TIMEOUT);
      serial = SerialConsole.connect(machine.serialSocket(), CONNECT_TIMEOUT);
      InstallPhase shown = InstallPhase.FIRMWARE;
      while (true) {
        Duration now = Duration.ofNanos(System.nanoTime() - start);
        boolean alive = qemu.isAlive();
        String raw = readLog(machine.serialLog());
        if (!logWindow && (raw.contains("4- log") || raw.contains("4 log"))) {
          serial.type(SCREEN_LOG_WINDOW);
          logWindow = true;
        }
        lines = TerminalText.logLines(raw);
        // Screen redraws its clock every minute: only new log text counts as progress.
        String tail = lines.isEmpty() ? "" : lines.size() + lines.getLast();
        if (!tail.equals(lastTail)) {
          lastTail = tail;
          lastChange = now;
        }
        // The last line may still be growing: take it only once QEMU has exited.
        int complete = alive ? Math.max(lines.size() - 1, 0) : lines.size();
        for (; fed < complete; fed++) {
          phases.observe(lines.get(fed), now);
        }
        // The installer often stops right after its error line; a line unchanged for a while is
        // complete enough to read (observing a line twice changes nothing).
        if (alive && fed < lines.size() && now.minus(lastChange).compareTo(STABLE_LINE) >= 0) {
          phases.observe(lines.get(fed), now);
        }
        if (!alive) {
          phases.guestExited(now);
        }
        InstallPhase furthest = phases.furthest();
        if (furthest != shown) {
          shown = furthest;
          progress.step(String.format("%4ds  %s", now.toSeconds(), furthest.label()));
        }
        Duration booted = phases.reached().get(InstallPhase.KERNEL_BOOTED);
        if (alive && !vt4 && booted != null && now.compareTo(booted.plus(VT4_AFTER_KERNEL)) >= 0) {
          monitor.command("sendkey alt-f4");
          vt4 = true;
        }
        if (alive && vt4 && now.compareTo(nextShot) >= 0) {
          screendump(monitor, work, shots++);
          nextShot = now.plus(SCREENDUMP_EVERY);
        }
        if (!alive) {
          boolean finished = phases.reached().containsKey(InstallPhase.FINISHED);
          outcome = finished ? IsoTestReport.Outcome.FINISHED : IsoTestReport.Outcome.STOPPED;
          reason =
              finished
                  ? null
                  : phases.failure().orElse("QEMU exited with code " + qemu.exitValue());
          break;
        }
        if (phases.failure().isPresent()) {
          failureAt = failureAt == null ? now : failureAt;
          if (now.minus(failureAt).compareTo(FAILURE_GRACE) >= 0) {
            outcome = IsoTestReport.Outcome.STOPPED;
            reason = phases.failure().get();
            break;
          }
        }
        if (now.minus(lastChange).compareTo(idleLimit) >= 0) {
          outcome = IsoTestReport.Outcome.STOPPED;
          reason =
              "nothing new on the console for "
                  + idleLimit.toSeconds()
                  + " s (a question waiting for an answer?)";
          break;
        }
        if (now.compareTo(request.timeout()) >= 0) {
          outcome = IsoTestReport.Outcome.TIMED_OUT;
          reason = "not finished within " + request.timeout().toSeconds() + " s";
          break;
        }
        Thread.sleep(POLL.toMillis());
      }
      if (qemu.isAlive() && vt4) {
        screendump(monitor, work, shots);
      }
    } finally {
      launcher.stop(qemu, monitor);
      if (serial != null) {
        serial.close();
      }
      if (monitor != null) {
        monitor.close();
      }
    }
    return new IsoTestReport(
        accelerator,
        phases.reached(),
        outcome,
        Optional.ofNullable(reason),
        phases.missingComponents(),
        lines.subList(Math.max(0, lines.size() - LAST_LINES), lines.size()),
        work);
  }

  private void screendump(QemuMonitor monitor, Path work, int index) {
    Path ppm = work.resolve(String.format("vt4-%03d.ppm", index));
    try {
      monitor.command("screendump " + ppm);
      if (Files.isRegularFile(ppm)) {
        PortablePixmap.toPng(ppm, work.resolve("vt4-latest.png"));
      }
    } catch (IOException e) {
      progress.step("warning: screendump failed: " + e.getMessage());
    }
  }

  /** The UEFI firmware for the request (a private copy of the variable store), or none (BIOS). */
  static Optional<QemuMachine.Firmware> firmware(IsoTestRequest request, Path work)
      throws IOException {
    if (request.arch() == Architecture.ARM64) {
      return Optional.of(new QemuMachine.Firmware(IsoTestRequest.AAVMF, null));
    }
    if (!request.uefi()) {
      return Optional.empty();
    }
    Path vars = work.resolve("OVMF_VARS.fd");
    Files.copy(IsoTestRequest.OVMF_VARS, vars, StandardCopyOption.REPLACE_EXISTING);
    return Optional.of(new QemuMachine.Firmware(IsoTestRequest.OVMF_CODE, vars));
  }

  /** KVM when a short probe boot works with it, else TCG. */
  static Accelerator chooseAccelerator(
      QemuLauncher launcher,
      Progress progress,
      IsoTestRequest request,
      Optional<QemuMachine.Firmware> firmware,
      Path work) {
    if (!Files.exists(Path.of("/dev/kvm"))) {
      return Accelerator.TCG;
    }
    progress.step("Probing KVM with a short firmware boot");
    QemuMachine probe =
        new QemuMachine(
            request.arch(),
            Accelerator.KVM,
            firmware,
            Optional.empty(),
            Optional.empty(),
            work.resolve("kvm-probe-serial.log"),
            work.resolve("kvm-probe-serial.sock"),
            work.resolve("kvm-probe-monitor.sock"),
            256);
    return launcher.kvmWorks(probe, work.resolve("kvm-probe.log"))
        ? Accelerator.KVM
        : Accelerator.TCG;
  }

  static String readLog(Path log) throws IOException {
    if (!Files.exists(log)) {
      return "";
    }
    return new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
  }
}
