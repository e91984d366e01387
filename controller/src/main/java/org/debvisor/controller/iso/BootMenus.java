package org.debvisor.controller.iso;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.debvisor.common.digest.Sha256;
import org.debvisor.controller.mirror.IsoBuildException;
import org.debvisor.controller.mirror.NetbootInstaller;
import org.debvisor.controller.node.Architecture;

/** Renders the boot menus and the installer kernel command line for an unattended install. */
public final class BootMenus {

  /** The debian-installer initrd with the preseed appended, under {@code /install}. */
  public static final String PRESEED_INITRD = "initrd.gz";

  /** The image installer's initramfs, under {@code /install}. */
  public static final String IMAGE_INITRD = "installer.img";

  private final IsoTemplates templates;

  public BootMenus(IsoTemplates templates) {
    this.templates = templates;
  }

  /**
   * The installer's command line: preseed from the initrd, questions only at critical priority,
   * serial console last (so the installer's UI is on it); after {@code ---} the installed system
   * keeps the serial console.
   */
  public static String kernelCommandLine(Architecture arch) {
    String serial = arch == Architecture.AMD64 ? "ttyS0,115200n8" : "ttyAMA0,115200n8";
    return "auto=true priority=critical preseed/file=/preseed.cfg console=tty0 console="
        + serial
        + " --- console="
        + serial;
  }

  /**
   * The image installer's command line: its initramfs runs the install ({@code boot=debvisor}) from
   * the media that hold {@code marker}; messages go to the screen and, last, the serial console.
   */
  public static String imageCommandLine(Architecture arch, String marker) {
    String serial = arch == Architecture.AMD64 ? "ttyS0,115200n8" : "ttyAMA0,115200n8";
    return "boot=debvisor debvisor.marker=" + marker + " console=tty0 console=" + serial;
  }

  /** {@code /isolinux/isolinux.cfg} (BIOS, amd64 only). */
  public String isolinux(Architecture arch, String profile) throws IsoBuildException {
    return isolinux(arch, profile, kernelCommandLine(arch), PRESEED_INITRD);
  }

  /** {@code /isolinux/isolinux.cfg} booting {@code /install/INITRD} with {@code cmdline}. */
  public String isolinux(Architecture arch, String profile, String cmdline, String initrd)
      throws IsoBuildException {
    return templates.render("isolinux.cfg", values(arch, profile, cmdline, initrd));
  }

  /** {@code /boot/grub/grub.cfg} (UEFI). */
  public String grub(Architecture arch, String profile) throws IsoBuildException {
    return grub(arch, profile, kernelCommandLine(arch), PRESEED_INITRD);
  }

  /** {@code /boot/grub/grub.cfg} booting {@code /install/INITRD} with {@code cmdline}. */
  public String grub(Architecture arch, String profile, String cmdline, String initrd)
      throws IsoBuildException {
    return templates.render("grub.cfg", values(arch, profile, cmdline, initrd));
  }

  /**
   * The small config the installer's EFI GRUB reads first (in the EFI image and on the ISO): it
   * finds the ISO by its marker file and loads {@code /boot/grub/grub.cfg} from there.
   *
   * @param marker absolute path of the ISO's marker file, like {@code /.disk/id/UUID}
   */
  public String grubEfiBootstrap(String marker) throws IsoBuildException {
    return templates.render("grub-efi-bootstrap.cfg", Map.of("MARKER", marker));
  }

  /**
   * The ISO's marker file {@code /.disk/id/UUID}: the UUID is derived from the volume id, the
   * installer package and the preseed, so a rebuild gets the same one (reproducible) and ISOs for
   * different nodes attached to one machine are told apart.
   */
  public static String marker(IsoBuildRequest request, NetbootInstaller installer) {
    MessageDigest digest = Sha256.digest();
    for (String part :
        new String[] {
          request.volumeId(),
          installer.arch().debianName(),
          installer.packageSha256(),
          request.preseed(),
          request.imageMode() ? request.image().fingerprint() : ""
        }) {
      digest.update(part.getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0);
    }
    byte[] hash = digest.digest();
    ByteBuffer buffer = ByteBuffer.wrap(hash);
    return "/.disk/id/" + new UUID(buffer.getLong(), buffer.getLong());
  }

  /**
   * GRUB's serial terminal set-up: amd64 firmware has a COM port GRUB drives itself; on arm64 GRUB
   * has no {@code com0} (it would print errors), and the firmware console it uses already goes to
   * the PL011 serial port.
   */
  static String grubSerialTerminal(Architecture arch) {
    if (arch == Architecture.AMD64) {
      return "serial --unit=0 --speed=115200\n"
          + "terminal_input console serial\n"
          + "terminal_output console serial";
    }
    return "# arm64: the firmware console GRUB uses is on the serial port already";
  }

  private static Map<String, String> values(
      Architecture arch, String profile, String cmdline, String initrd) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("ARCH", arch.debianName());
    values.put("PROFILE", profile);
    values.put("CMDLINE", cmdline);
    values.put("INITRD", initrd);
    values.put("SERIAL_TERMINAL", grubSerialTerminal(arch));
    return values;
  }
}
