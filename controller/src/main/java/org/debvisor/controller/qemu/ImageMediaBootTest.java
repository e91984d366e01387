package org.debvisor.controller.qemu;

import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.debvisor.agentapi.AgentPaths;
import org.debvisor.controller.mirror.Progress;
import org.debvisor.controller.provision.AgentProbe;
import org.debvisor.controller.ssh.ExecResult;
import org.debvisor.controller.ssh.KnownHostsFile;
import org.debvisor.controller.ssh.SshConnection;
import org.debvisor.controller.ssh.SshConnector;
import org.debvisor.controller.ssh.SshException;
import org.debvisor.controller.ssh.SshTarget;
import org.debvisor.proto.NodeStatus;

/**
 * Runs image-mode media end to end in QEMU: the install on an empty disk (phases from the
 * installer's console lines), then a first boot from that disk until SSH answers with the node's
 * key and the agent answers {@code Node/Status} through an SSH port forward to its loopback port.
 */
public final class ImageMediaBootTest {

  private static final Duration POLL = Duration.ofSeconds(1);
  private static final Duration SSH_TRY = Duration.ofSeconds(10);
  private static final Duration RPC_DEADLINE = Duration.ofSeconds(10);
  private static final int DISK_GIB = 12;
  private static final int MEMORY_MIB = 2048;
  private static final int LAST_LINES = 25;

  private final QemuLauncher launcher;
  private final Progress progress;
  // No controller connection here: enrolment shows as the certificate the agent stores.
  private final AgentProbe probe = new AgentProbe(AgentProbe.Enrolment.nodeCertificate());

  public ImageMediaBootTest(QemuLauncher launcher, Progress progress) {
    this.launcher = launcher;
    this.progress = progress;
  }

  /**
   * @param identity the private key whose public half node.yaml gave {@code user}
   * @param user the account to log in as ({@code root} or node.yaml's user)
   */
  public ImageTestReport run(IsoTestRequest request, Path identity, String user)
      throws IOException, InterruptedException {
    Path work = Files.createDirectories(request.workDir());
    Path disk = work.resolve("disk.qcow2");
    Files.deleteIfExists(disk);
    launcher.createDisk(disk, DISK_GIB);
    Optional<QemuMachine.Firmware> firmware = IsoBootTest.firmware(request, work);
    Accelerator accelerator =
        IsoBootTest.chooseAccelerator(launcher, progress, request, firmware, work);
    ImageInstallConsole console = new ImageInstallConsole();
    long start = System.nanoTime();
    Run run = new Run(request, work, accelerator, console, start);
    try {
      progress.step("Installing from " + request.iso().getFileName() + " with " + accelerator);
      QemuMachine installer = machine(request, accelerator, firmware, work, "install", true, 0);
      Optional<String> failure = run.install(installer);
      if (failure.isPresent()) {
        return run.report(false, failure.get(), "", "");
      }
      int sshPort = freePort();
      progress.step(String.format("%4ds  first boot from disk", run.elapsed().toSeconds()));
      QemuMachine node = machine(request, accelerator, firmware, work, "firstboot", false, sshPort);
      return run.firstBoot(node, sshPort, identity, user);
    } finally {
      for (String name : List.of("install", "firstboot")) {
        Files.deleteIfExists(work.resolve(name + "-serial.sock"));
        Files.deleteIfExists(work.resolve(name + "-monitor.sock"));
      }
      Files.deleteIfExists(disk);
      if (firmware.isPresent() && firmware.get().vars() != null) {
        Files.deleteIfExists(firmware.get().vars());
      }
    }
  }

  private static QemuMachine machine(
      IsoTestRequest request,
      Accelerator accelerator,
      Optional<QemuMachine.Firmware> firmware,
      Path work,
      String name,
      boolean withIso,
      int sshPort) {
    return new QemuMachine(
        request.arch(),
        accelerator,
        firmware,
        withIso ? Optional.of(request.iso()) : Optional.empty(),
        Optional.of(work.resolve("disk.qcow2")),
        work.resolve(name + "-serial.log"),
        work.resolve(name + "-serial.sock"),
        work.resolve(name + "-monitor.sock"),
        MEMORY_MIB,
        sshPort);
  }

  /**
   * The console's lines as printed: the installer writes whole lines, unlike debian-installer's
   * screen, so they are not re-cut at timestamps.
   */
  private static List<String> consoleLines(QemuMachine machine) throws IOException {
    return TerminalText.strip(IsoBootTest.readLog(machine.serialLog())).lines().toList();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** One test run: the clock, the phases and the console seen so far. */
  private final class Run {
    private final IsoTestRequest request;
    private final Path work;
    private final Accelerator accelerator;
    private final ImageInstallConsole console;
    private final long start;
    private List<String> lines = List.of();

    Run(
        IsoTestRequest request,
        Path work,
        Accelerator accelerator,
        ImageInstallConsole console,
        long start) {
      this.request = request;
      this.work = work;
      this.accelerator = accelerator;
      this.console = console;
      this.start = start;
    }

    Duration elapsed() {
      return Duration.ofNanos(System.nanoTime() - start);
    }

    boolean outOfTime() {
      return elapsed().compareTo(request.timeout()) >= 0;
    }

    /** Follows the installer until QEMU exits (it reboots into -no-reboot); empty when done. */
    Optional<String> install(QemuMachine machine) throws IOException, InterruptedException {
      Process qemu = launcher.start(machine, work.resolve("install-qemu.log"));
      try {
        ImageInstallPhase shown = null;
        while (true) {
          boolean alive = qemu.isAlive();
          lines = consoleLines(machine);
          for (String line : lines) {
            console.observe(line, elapsed());
          }
          ImageInstallPhase furthest = furthest();
          if (furthest != null && furthest != shown) {
            shown = furthest;
            progress.step(String.format("%4ds  %s", elapsed().toSeconds(), furthest.label()));
          }
          if (console.failure().isPresent()) {
            return console.failure();
          }
          if (!alive) {
            return console.installed()
                ? Optional.empty()
                : Optional.of(
                    "QEMU exited with code " + qemu.exitValue() + " before the install finished");
          }
          if (outOfTime()) {
            return Optional.of(
                "install not finished within " + request.timeout().toSeconds() + " s");
          }
          Thread.sleep(POLL.toMillis());
        }
      } finally {
        launcher.stop(qemu, null);
      }
    }

    /** Boots the installed disk; waits for SSH with the node's key, then for the agent. */
    ImageTestReport firstBoot(QemuMachine machine, int sshPort, Path identity, String user)
        throws IOException, InterruptedException {
      Process qemu = launcher.start(machine, work.resolve("firstboot-qemu.log"));
      KnownHostsFile knownHosts = new KnownHostsFile(work.resolve("known_hosts"));
      String lastError = "SSH did not answer";
      try (SshConnector connector =
          new SshConnector(
              new SshConnector.Settings(identity, knownHosts, true, SSH_TRY, SSH_TRY))) {
        while (!outOfTime()) {
          if (!qemu.isAlive()) {
            lines = consoleLines(machine);
            return report(false, "the installed node stopped (QEMU exited)", "", "");
          }
          try (SshConnection ssh = connector.connect(new SshTarget(user, "127.0.0.1", sshPort))) {
            reach(ImageInstallPhase.SSH_ANSWERING);
            return waitForAgent(ssh, qemu, machine);
          } catch (SshException e) {
            lastError = e.getMessage();
          }
          Thread.sleep(POLL.toMillis());
        }
        lines = consoleLines(machine);
        return report(false, "no SSH login within the timeout: " + lastError, "", "");
      } catch (SshException e) {
        return report(false, "cannot use the SSH key " + identity + ": " + e.getMessage(), "", "");
      } finally {
        launcher.stop(qemu, null);
      }
    }

    private ImageTestReport waitForAgent(SshConnection ssh, Process qemu, QemuMachine machine)
        throws InterruptedException, IOException {
      String lastError = "the agent did not answer";
      while (!outOfTime() && qemu.isAlive()) {
        try {
          NodeStatus status = probe.status(ssh);
          reach(ImageInstallPhase.AGENT_ANSWERING);
          Optional<String> enrolment = waitForEnrolment(ssh, qemu, status);
          lines = consoleLines(machine);
          return report(
              enrolment.isEmpty(),
              enrolment.orElse(null),
              status.getNode().getHostname(),
              status.getSummary());
        } catch (StatusRuntimeException e) {
          lastError = "Node/Status: " + e.getStatus();
        } catch (SshException e) {
          lastError = e.getMessage();
        }
        Thread.sleep(POLL.toMillis());
      }
      lines = consoleLines(machine);
      return report(false, "SSH works but " + lastError, "", "");
    }

    /**
     * When the media gave the node a controller (its CA is installed), waits until the probe says
     * the node enrolled; empty when enrolled or nothing to enrol with, else why not.
     */
    private Optional<String> waitForEnrolment(SshConnection ssh, Process qemu, NodeStatus status)
        throws InterruptedException {
      try {
        if (!ssh.exec("test -s " + AgentPaths.CA_FILE, RPC_DEADLINE).ok()) {
          return Optional.empty();
        }
        while (!outOfTime() && qemu.isAlive()) {
          if (probe.enrolment(ssh, status).isEmpty()) {
            reach(ImageInstallPhase.AGENT_ENROLLED);
            return Optional.empty();
          }
          Thread.sleep(POLL.toMillis());
        }
        ExecResult log =
            ssh.exec("journalctl -u debvisor-agent --no-pager -n 15 -o cat", RPC_DEADLINE);
        return Optional.of(
            "the agent answers but did not enrol with its controller; its last log lines: "
                + log.stdout().strip());
      } catch (SshException e) {
        return Optional.of("lost SSH while waiting for enrolment: " + e.getMessage());
      }
    }

    private void reach(ImageInstallPhase phase) {
      console.reach(phase, elapsed());
      progress.step(String.format("%4ds  %s", elapsed().toSeconds(), phase.label()));
    }

    private ImageInstallPhase furthest() {
      ImageInstallPhase out = null;
      for (ImageInstallPhase p : console.reached().keySet()) {
        if (out == null || p.ordinal() > out.ordinal()) {
          out = p;
        }
      }
      return out;
    }

    ImageTestReport report(boolean finished, String reason, String hostname, String summary) {
      List<String> last =
          new ArrayList<>(lines.subList(Math.max(0, lines.size() - LAST_LINES), lines.size()));
      return new ImageTestReport(
          accelerator,
          console.reached(),
          finished,
          Optional.ofNullable(reason),
          hostname,
          summary,
          last,
          work);
    }
  }
}
