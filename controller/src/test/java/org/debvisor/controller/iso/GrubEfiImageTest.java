package org.debvisor.controller.iso;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.debvisor.controller.mirror.IsoBuildException;
import org.junit.jupiter.api.Test;

/** Reads the prefix and early config out of GRUB EFI images laid out like grub-mkimage's. */
class GrubEfiImageTest {

  @Test
  void readsThePrefixAndTheEmbeddedConfig() throws Exception {
    byte[] image = image("mods", "normal (memdisk)/grub.cfg\n", "/debian-installer/amd64/grub");

    GrubEfiImage grub = GrubEfiImage.parse(image, "grubx64.efi");

    assertThat(grub.prefix()).isEqualTo("/debian-installer/amd64/grub");
    assertThat(grub.embeddedConfig()).contains("normal (memdisk)/grub.cfg\n");
    assertThat(grub.configPath("grubx64.efi")).isEqualTo("/debian-installer/amd64/grub/grub.cfg");
  }

  @Test
  void aPrefixOnAnotherDeviceCannotBePlacedAndTheErrorSaysWhy() throws Exception {
    GrubEfiImage grub = GrubEfiImage.parse(image("mods", null, "(tftp)/grub"), "grubx64.efi");

    assertThatThrownBy(() -> grub.configPath("grubx64.efi"))
        .isInstanceOf(IsoBuildException.class)
        .hasMessageContaining("grubx64.efi looks for its grub.cfg under '(tftp)/grub'")
        .hasMessageContaining("not a plain path on the boot media");
  }

  @Test
  void anImageWithoutModsSectionIsRefusedByName() {
    assertThatThrownBy(() -> GrubEfiImage.parse(image("text", null, "/x"), "shim.efi"))
        .hasMessageContaining("shim.efi has no 'mods' section");
  }

  @Test
  void anImageWithoutPrefixIsRefused() {
    assertThatThrownBy(() -> GrubEfiImage.parse(image("mods", "normal\n", null), "g.efi"))
        .hasMessageContaining("g.efi has no embedded prefix");
  }

  @Test
  void somethingThatIsNotAPeImageIsRefused() {
    byte[] text = "#!/bin/sh\necho not an EFI binary\n".repeat(10).getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> GrubEfiImage.parse(text, "grubx64.efi"))
        .hasMessageContaining("grubx64.efi is not an EFI (PE) image");
  }

  @Test
  void aTruncatedImageIsRefusedNotCrashedOn() throws Exception {
    byte[] image = image("mods", null, "/grub");
    byte[] cut = java.util.Arrays.copyOf(image, 0x120);

    assertThatThrownBy(() -> GrubEfiImage.parse(cut, "grubx64.efi"))
        .isInstanceOf(IsoBuildException.class)
        .hasMessageContaining("grubx64.efi");
  }

  /** A minimal PE file with one section; in "mods" a module info with a memdisk and the objects. */
  private static byte[] image(String section, String config, String prefix) throws Exception {
    ByteArrayOutputStream modules = new ByteArrayOutputStream();
    modules.write(module(1, new byte[64])); // a memdisk, skipped
    if (config != null) {
      modules.write(module(2, cString(config)));
    }
    if (prefix != null) {
      modules.write(module(3, cString(prefix)));
    }
    byte[] objects = modules.toByteArray();
    ByteBuffer mods = ByteBuffer.allocate(24 + objects.length).order(ByteOrder.LITTLE_ENDIAN);
    mods.putInt(0x676d696d).putInt(0).putLong(24).putLong(24 + objects.length).put(objects);

    int sectionOffset = 0x200;
    ByteBuffer pe =
        ByteBuffer.allocate(sectionOffset + mods.capacity()).order(ByteOrder.LITTLE_ENDIAN);
    pe.putShort(0, (short) 0x5a4d);
    pe.putInt(0x3c, 0x80);
    pe.putInt(0x80, 0x00004550);
    pe.putShort(0x80 + 6, (short) 1); // one section
    pe.putShort(0x80 + 20, (short) 0); // no optional header
    int entry = 0x80 + 24;
    byte[] name = section.getBytes(StandardCharsets.US_ASCII);
    pe.put(entry, name);
    pe.putInt(entry + 8, mods.capacity());
    pe.putInt(entry + 12, 0x1000);
    pe.putInt(entry + 16, mods.capacity());
    pe.putInt(entry + 20, sectionOffset);
    pe.put(sectionOffset, mods.array());
    return pe.array();
  }

  private static byte[] module(int type, byte[] payload) {
    int padded = (payload.length + 7) / 8 * 8;
    ByteBuffer b = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(type).putInt(8 + padded).put(payload);
    return b.array();
  }

  private static byte[] cString(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return java.util.Arrays.copyOf(bytes, bytes.length + 1);
  }
}
