package org.debvisor.controller.install;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import org.debvisor.common.digest.Sha256;
import org.debvisor.controller.image.ImageDescriptor;
import org.debvisor.controller.image.ImageOutput;

/** Writes a small image directory with the layout of {@code debvisor image build}'s output. */
public final class ImageDirFixture {

  private ImageDirFixture() {}

  /**
   * An image of {@code profile} for {@code arch} whose manifest lists {@code packages}, or
   * base-files alone when none are given (a real manifest is never empty).
   */
  public static Path write(Path dir, String arch, String profile, List<String> packages)
      throws IOException {
    Files.createDirectories(dir);
    Files.write(dir.resolve(ImageOutput.ROOTFS), ("rootfs of " + profile).getBytes());
    Files.write(dir.resolve(ImageOutput.KERNEL), "kernel".getBytes());
    Files.write(dir.resolve(ImageOutput.INSTALLER_INITRD), "installer initramfs".getBytes());
    TreeSet<String> names = new TreeSet<>(packages);
    if (names.isEmpty()) {
      names.add("base-files");
    }
    StringBuilder manifest = new StringBuilder();
    for (String p : names) {
      manifest.append(p).append("\t1.0-1\t").append(arch).append('\n');
    }
    Files.writeString(dir.resolve(ImageOutput.MANIFEST), manifest);
    TreeMap<String, String> described = new TreeMap<>();
    for (String name : ImageOutput.DESCRIBED_FILES) {
      described.put(name, Sha256.hex(dir.resolve(name)));
    }
    Files.writeString(
        dir.resolve(ImageOutput.DESCRIPTOR),
        new ImageDescriptor(
                ImageDescriptor.FORMAT,
                arch,
                profile,
                "trixie",
                "http://deb.debian.org/debian",
                "6.12.117+deb13-" + arch,
                1767225600L,
                names.size(),
                "test",
                described)
            .toJson());
    StringBuilder sums = new StringBuilder();
    for (String name : ImageOutput.SUMMED_FILES) {
      sums.append(Sha256.hex(dir.resolve(name))).append("  ").append(name).append('\n');
    }
    Files.writeString(dir.resolve(ImageOutput.CHECKSUMS), sums, StandardCharsets.UTF_8);
    return dir;
  }
}
