package org.debvisor.controller.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.debvisor.controller.node.Architecture;
import org.junit.jupiter.api.Test;

/** The QEMU command lines for the three boot modes. */
class QemuMachineTest {

  private static QemuMachine machine(
      Architecture arch, Accelerator accel, Optional<QemuMachine.Firmware> fw) {
    return new QemuMachine(
        arch,
        accel,
        fw,
        Optional.of(Path.of("/w/x.iso")),
        Optional.of(Path.of("/w/disk.qcow2")),
        Path.of("/w/serial.log"),
        Path.of("/w/serial.sock"),
        Path.of("/w/monitor.sock"),
        1536);
  }

  @Test
  void amd64BiosUnderTcgHasUserNetworkingSerialLogAndMonitorOnly() {
    List<String> cmd = machine(Architecture.AMD64, Accelerator.TCG, Optional.empty()).command();

    assertThat(cmd.getFirst()).isEqualTo("qemu-system-x86_64");
    assertThat(String.join(" ", cmd))
        .contains("-accel tcg,thread=multi -cpu max")
        .contains("-drive file=/w/x.iso,media=cdrom,readonly=on")
        .contains("-drive file=/w/disk.qcow2,if=virtio,format=qcow2")
        .contains("-netdev user,id=n0")
        .contains("path=/w/serial.sock,server=on,wait=off,logfile=/w/serial.log")
        .contains("-monitor unix:/w/monitor.sock,server,nowait")
        .contains("-display none")
        .doesNotContain("pflash", "-bios", "tap", "bridge");
  }

  @Test
  void amd64UefiUsesOvmfCodeReadOnlyAndAPrivateVarsCopy() {
    var fw = new QemuMachine.Firmware(IsoTestRequest.OVMF_CODE, Path.of("/w/OVMF_VARS.fd"));
    String cmd =
        String.join(" ", machine(Architecture.AMD64, Accelerator.KVM, Optional.of(fw)).command());

    assertThat(cmd)
        .contains("-accel kvm -cpu host")
        .contains("if=pflash,format=raw,unit=0,readonly=on,file=/usr/share/OVMF/OVMF_CODE.fd")
        .contains("if=pflash,format=raw,unit=1,file=/w/OVMF_VARS.fd");
  }

  @Test
  void arm64IsVirtCortexA57WithTheAarch64Firmware() {
    var fw = new QemuMachine.Firmware(IsoTestRequest.AAVMF, null);
    List<String> cmd = machine(Architecture.ARM64, Accelerator.TCG, Optional.of(fw)).command();

    assertThat(cmd.getFirst()).isEqualTo("qemu-system-aarch64");
    assertThat(String.join(" ", cmd))
        .contains("-M virt")
        .contains("-cpu cortex-a57")
        .contains("-bios /usr/share/qemu-efi-aarch64/QEMU_EFI.fd")
        .contains("scsi-cd");
  }
}
