package org.debvisor.controller.iso;

import java.util.LinkedHashMap;
import java.util.Map;
import org.debvisor.controller.preseed.Architecture;

/** Renders the boot menus and the installer kernel command line for an unattended install. */
public final class BootMenus {

  /** The marker file under {@code /.disk/} GRUB searches to find the ISO. */
  public static final String MARKER = "debvisor";

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

  /** {@code /isolinux/isolinux.cfg} (BIOS, amd64 only). */
  public String isolinux(Architecture arch, String profile) throws IsoBuildException {
    return templates.render("isolinux.cfg", values(arch, profile));
  }

  /** {@code /boot/grub/grub.cfg} (UEFI). */
  public String grub(Architecture arch, String profile) throws IsoBuildException {
    return templates.render("grub.cfg", values(arch, profile));
  }

  /** The small config in the EFI image that finds the ISO and loads its grub.cfg. */
  public String grubEfiBootstrap() throws IsoBuildException {
    return templates.render("grub-efi-bootstrap.cfg", Map.of("MARKER", MARKER));
  }

  private static Map<String, String> values(Architecture arch, String profile) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("ARCH", arch.debianName());
    values.put("PROFILE", profile);
    values.put("CMDLINE", kernelCommandLine(arch));
    return values;
  }
}
