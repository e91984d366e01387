package org.debvisor.controller.qemu;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.debvisor.controller.node.Architecture;

/**
 * One QEMU guest: an installer ISO, a target disk, user networking only, serial console to a file
 * and the monitor on a unix socket; no display.
 *
 * @param arch guest architecture
 * @param accelerator KVM or TCG
 * @param firmware UEFI firmware (code, writable vars copy), empty for BIOS
 * @param iso the installer ISO, empty for a firmware-only probe
 * @param disk the target disk image, empty for a probe
 * @param serialLog where QEMU logs the serial console
 * @param serialSocket the serial console's unix socket, to type into it
 * @param monitorSocket the monitor's unix socket
 * @param memoryMib guest memory
 * @param sshForwardPort a port on the host's 127.0.0.1 forwarded to the guest's SSH port, or 0
 */
record QemuMachine(
    Architecture arch,
    Accelerator accelerator,
    Optional<Firmware> firmware,
    Optional<Path> iso,
    Optional<Path> disk,
    Path serialLog,
    Path serialSocket,
    Path monitorSocket,
    int memoryMib,
    int sshForwardPort) {

  /** A guest without port forwards. */
  public QemuMachine(
      Architecture arch,
      Accelerator accelerator,
      Optional<Firmware> firmware,
      Optional<Path> iso,
      Optional<Path> disk,
      Path serialLog,
      Path serialSocket,
      Path monitorSocket,
      int memoryMib) {
    this(
        arch,
        accelerator,
        firmware,
        iso,
        disk,
        serialLog,
        serialSocket,
        monitorSocket,
        memoryMib,
        0);
  }

  /**
   * UEFI firmware files.
   *
   * @param code read-only firmware code
   * @param vars a private, writable copy of the variable store (null when code has it built in)
   */
  public record Firmware(Path code, Path vars) {}

  /** The full command line. */
  public List<String> command() {
    List<String> cmd = new ArrayList<>();
    boolean arm = arch == Architecture.ARM64;
    cmd.add(arm ? "qemu-system-aarch64" : "qemu-system-x86_64");
    if (arm) {
      cmd.addAll(List.of("-M", "virt"));
    }
    if (accelerator == Accelerator.KVM) {
      cmd.addAll(List.of("-accel", "kvm", "-cpu", "host"));
    } else {
      cmd.addAll(List.of("-accel", "tcg,thread=multi", "-cpu", arm ? "cortex-a57" : "max"));
    }
    cmd.addAll(List.of("-m", Integer.toString(memoryMib), "-smp", "2"));
    firmware.ifPresent(fw -> addFirmware(cmd, fw, arm));
    iso.ifPresent(
        i -> {
          if (arm) {
            // virt has no IDE: a read-only CD on virtio-scsi.
            cmd.addAll(List.of("-device", "virtio-scsi-pci,id=scsi0"));
            cmd.addAll(List.of("-drive", "file=" + i + ",if=none,id=cd0,media=cdrom,readonly=on"));
            cmd.addAll(List.of("-device", "scsi-cd,bus=scsi0.0,drive=cd0,bootindex=1"));
          } else {
            cmd.addAll(List.of("-drive", "file=" + i + ",media=cdrom,readonly=on"));
            cmd.addAll(List.of("-boot", "order=cd,once=d"));
          }
        });
    disk.ifPresent(
        d -> cmd.addAll(List.of("-drive", "file=" + d + ",if=virtio,format=qcow2,cache=unsafe")));
    String netdev = "user,id=n0";
    if (sshForwardPort > 0) {
      netdev += ",hostfwd=tcp:127.0.0.1:" + sshForwardPort + "-:22";
    }
    cmd.addAll(List.of("-netdev", netdev, "-device", "virtio-net-pci,netdev=n0"));
    cmd.addAll(
        List.of(
            "-chardev",
            "socket,id=serial0,path="
                + serialSocket
                + ",server=on,wait=off,logfile="
                + serialLog
                + ",logappend=off",
            "-serial",
            "chardev:serial0"));
    cmd.addAll(List.of("-monitor", "unix:" + monitorSocket + ",server,nowait"));
    cmd.addAll(List.of("-display", "none", "-no-reboot"));
    if (arm) {
      // Keep a graphics card so the installer's VT4 can be screendumped.
      cmd.addAll(List.of("-device", "virtio-gpu-pci"));
    }
    return List.copyOf(cmd);
  }

  private static void addFirmware(List<String> cmd, Firmware fw, boolean arm) {
    if (fw.vars() == null) {
      cmd.addAll(List.of("-bios", fw.code().toString()));
      return;
    }
    cmd.addAll(
        List.of(
            "-drive",
            "if=pflash,format=raw,unit=0,readonly=on,file=" + fw.code(),
            "-drive",
            "if=pflash,format=raw,unit=1,file=" + fw.vars()));
  }
}
