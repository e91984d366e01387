package org.debvisor.controller.iso;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;
import org.debvisor.controller.mirror.IsoBuildException;

/**
 * What a GRUB EFI image (like the installer's signed {@code grubx64.efi}) looks for at start: the
 * prefix and embedded config that {@code grub-mkimage} stored in its {@code mods} PE section.
 *
 * <p>Why: Debian's netboot GRUB has the prefix {@code /debian-installer/<arch>/grub} (no device, so
 * the device it was loaded from) and an embedded {@code normal (memdisk)/grub.cfg} that sources
 * {@code $prefix/grub.cfg}; it never reads {@code /EFI/debian/grub.cfg}. The builder places its
 * bootstrap config where the image says, instead of guessing.
 *
 * @param prefix the embedded prefix, like {@code /debian-installer/amd64/grub}
 * @param embeddedConfig the embedded early config, empty when there is none
 */
record GrubEfiImage(String prefix, Optional<String> embeddedConfig) {

  private static final int MODULE_INFO_MAGIC = 0x676d696d; // "mimg"
  private static final int OBJ_CONFIG = 2;
  private static final int OBJ_PREFIX = 3;
  private static final int MAX_SECTIONS = 96;
  private static final int MAX_MODULES = 4096;
  // A prefix we can create in a FAT image and on ISO 9660 and write into grub.cfg unquoted.
  private static final Pattern PLACEABLE = Pattern.compile("(/[A-Za-z0-9._-]+)+");

  /** Reads the GRUB EFI image {@code file}. */
  public static GrubEfiImage read(Path file) throws IsoBuildException {
    try {
      return parse(Files.readAllBytes(file), file.toString());
    } catch (IOException e) {
      throw new IsoBuildException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Parses a 64-bit GRUB EFI image; {@code what} names it in errors. */
  public static GrubEfiImage parse(byte[] image, String what) throws IsoBuildException {
    ByteBuffer pe = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
    try {
      if (pe.getShort(0) != 0x5a4d) {
        throw new IsoBuildException(what + " is not an EFI (PE) image: no MZ header");
      }
      int header = pe.getInt(0x3c);
      if (pe.getInt(header) != 0x00004550) {
        throw new IsoBuildException(what + " is not an EFI (PE) image: no PE signature");
      }
      int sections = Short.toUnsignedInt(pe.getShort(header + 6));
      int optional = Short.toUnsignedInt(pe.getShort(header + 20));
      int table = header + 24 + optional;
      for (int i = 0; i < Math.min(sections, MAX_SECTIONS); i++) {
        int entry = table + 40 * i;
        String name = new String(image, entry, 8, StandardCharsets.US_ASCII).replace("\0", "");
        if (name.equals("mods")) {
          int size = pe.getInt(entry + 16);
          int offset = pe.getInt(entry + 20);
          return modules(pe.slice(offset, size).order(ByteOrder.LITTLE_ENDIAN), what);
        }
      }
    } catch (IndexOutOfBoundsException e) {
      throw new IsoBuildException(what + " is truncated or malformed: " + e.getMessage(), e);
    }
    throw new IsoBuildException(
        what + " has no 'mods' section: not a GRUB image made by grub-mkimage");
  }

  private static GrubEfiImage modules(ByteBuffer mods, String what) throws IsoBuildException {
    if (mods.getInt(0) != MODULE_INFO_MAGIC) {
      throw new IsoBuildException(what + ": the 'mods' section has no GRUB module info");
    }
    // grub_module_info64: magic, padding, offset (u64), size (u64).
    long offset = mods.getLong(8);
    long end = Math.min(mods.getLong(16), mods.capacity());
    String prefix = null;
    String config = null;
    long at = offset;
    for (int n = 0; n < MAX_MODULES && at + 8 <= end; n++) {
      int type = mods.getInt((int) at);
      int size = mods.getInt((int) at + 4);
      if (size < 8 || at + size > end) {
        throw new IsoBuildException(what + ": a GRUB module header at " + at + " is malformed");
      }
      if (type == OBJ_PREFIX) {
        prefix = cString(mods, (int) at + 8, size - 8);
      } else if (type == OBJ_CONFIG) {
        config = cString(mods, (int) at + 8, size - 8);
      }
      at += size;
    }
    if (prefix == null) {
      throw new IsoBuildException(what + " has no embedded prefix: cannot tell where it looks");
    }
    return new GrubEfiImage(prefix, Optional.ofNullable(config));
  }

  private static String cString(ByteBuffer buffer, int start, int max) {
    byte[] bytes = new byte[max];
    buffer.get(start, bytes);
    int length = 0;
    while (length < max && bytes[length] != 0) {
      length++;
    }
    return new String(bytes, 0, length, StandardCharsets.UTF_8);
  }

  /**
   * The prefix as a path on the boot media where the config can be placed.
   *
   * @throws IsoBuildException when the prefix names a device or is not a plain absolute path
   */
  public String placeablePrefix(String what) throws IsoBuildException {
    if (!PLACEABLE.matcher(prefix).matches()) {
      throw new IsoBuildException(
          what
              + " looks for its grub.cfg under '"
              + prefix
              + "', which is not a plain path on the boot media (a device or odd characters);"
              + " use an installer build whose GRUB has a path prefix");
    }
    return prefix;
  }

  /** Where this GRUB reads its config: {@code <prefix>/grub.cfg}. */
  public String configPath(String what) throws IsoBuildException {
    return placeablePrefix(what) + "/grub.cfg";
  }
}
