package org.debvisor.controller.install;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.debvisor.common.digest.Sha256;
import org.debvisor.controller.image.ImageBuildException;
import org.debvisor.controller.image.ImageDescriptor;
import org.debvisor.controller.image.ImageManifest;
import org.debvisor.controller.image.ImageOutput;

/**
 * A built image directory ({@code debvisor image build --out DIR}) as image-mode media use it: the
 * files are checked against its {@code SHA256SUMS} before anything is copied.
 *
 * @param dir the directory
 * @param arch Debian architecture the image was built for
 * @param profile role profile it carries
 * @param rootfsSha256 SHA-256 of {@code rootfs.tar.zst}
 * @param packages names of the installed packages (from {@code manifest.tsv})
 */
public record InstallImage(
    Path dir, String arch, String profile, String rootfsSha256, Set<String> packages) {

  public InstallImage {
    packages = Set.copyOf(packages);
  }

  public Path rootfs() {
    return dir.resolve(ImageOutput.ROOTFS);
  }

  public Path kernel() {
    return dir.resolve(ImageOutput.KERNEL);
  }

  public Path installerInitrd() {
    return dir.resolve(ImageOutput.INSTALLER_INITRD);
  }

  public Path manifest() {
    return dir.resolve(ImageOutput.MANIFEST);
  }

  public Path metadata() {
    return dir.resolve(ImageOutput.DESCRIPTOR);
  }

  /**
   * Opens and verifies {@code dir}; the message of the exception says what is wrong and how to fix.
   */
  public static InstallImage open(Path dir) throws InstallImageException {
    String rebuild = "; build it again with debvisor image build --out " + dir;
    if (!Files.isDirectory(dir)) {
      throw new InstallImageException(
          "--image: " + dir + " is not a directory (make one with debvisor image build)");
    }
    Map<String, String> sums = readSums(dir.resolve(ImageOutput.CHECKSUMS), rebuild);
    for (String name : ImageOutput.SUMMED_FILES) {
      Path file = dir.resolve(name);
      if (!Files.isRegularFile(file)) {
        throw new InstallImageException("--image: " + file + " is missing" + rebuild);
      }
      String expected = sums.get(name);
      if (expected == null) {
        throw new InstallImageException(
            "--image: SHA256SUMS in " + dir + " has no line for " + name + rebuild);
      }
      String actual = sha256(file);
      if (!actual.equals(expected)) {
        throw new InstallImageException(
            "--image: "
                + file
                + " does not match SHA256SUMS (sha256 "
                + actual
                + ", listed "
                + expected
                + ")"
                + rebuild);
      }
    }
    try {
      ImageDescriptor descriptor = ImageDescriptor.read(dir.resolve(ImageOutput.DESCRIPTOR));
      Set<String> packages = new TreeSet<>();
      for (ImageManifest.Package p :
          ImageManifest.read(dir.resolve(ImageOutput.MANIFEST)).packages()) {
        packages.add(p.name());
      }
      return new InstallImage(
          dir, descriptor.arch(), descriptor.profile(), sums.get(ImageOutput.ROOTFS), packages);
    } catch (ImageBuildException e) {
      throw new InstallImageException("--image: " + e.getMessage() + rebuild);
    }
  }

  private static Map<String, String> readSums(Path sums, String rebuild)
      throws InstallImageException {
    if (!Files.isRegularFile(sums)) {
      throw new InstallImageException("--image: " + sums + " is missing" + rebuild);
    }
    Map<String, String> out = new LinkedHashMap<>();
    try {
      for (String line : Files.readAllLines(sums, StandardCharsets.UTF_8)) {
        String[] parts = line.trim().split("\\s+\\*?", 2);
        if (parts.length == 2 && parts[0].matches("[0-9a-f]{64}")) {
          out.put(parts[1], parts[0]);
        }
      }
    } catch (IOException e) {
      throw new InstallImageException("--image: cannot read " + sums + ": " + e.getMessage());
    }
    return out;
  }

  private static String sha256(Path file) throws InstallImageException {
    try {
      return Sha256.hex(file);
    } catch (IOException e) {
      throw new InstallImageException("--image: cannot read " + file + ": " + e.getMessage());
    }
  }
}
