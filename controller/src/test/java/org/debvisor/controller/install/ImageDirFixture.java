package org.debvisor.controller.install;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes a small image directory with the layout of {@code debvisor image build}'s output. */
public final class ImageDirFixture {

  private ImageDirFixture() {}

  /** An image of {@code profile} for {@code arch} listing {@code packages} in its manifest. */
  public static Path write(Path dir, String arch, String profile, List<String> packages)
      throws IOException {
    Files.createDirectories(dir);
    Files.write(dir.resolve("rootfs.tar.zst"), ("rootfs of " + profile).getBytes());
    Files.write(dir.resolve("vmlinuz"), "kernel".getBytes());
    Files.write(dir.resolve("installer.img"), "installer initramfs".getBytes());
    StringBuilder manifest = new StringBuilder();
    for (String p : packages) {
      manifest.append(p).append("\t1.0-1\t").append(arch).append('\n');
    }
    Files.writeString(dir.resolve("manifest.tsv"), manifest);
    Files.writeString(
        dir.resolve("image.json"),
        "{\"format\":1,\"arch\":\"" + arch + "\",\"profile\":\"" + profile + "\"}\n");
    StringBuilder sums = new StringBuilder();
    for (String name : InstallImage.FILES) {
      sums.append(Digests.hex(dir.resolve(name))).append("  ").append(name).append('\n');
    }
    Files.writeString(dir.resolve("SHA256SUMS"), sums, StandardCharsets.UTF_8);
    return dir;
  }
}
