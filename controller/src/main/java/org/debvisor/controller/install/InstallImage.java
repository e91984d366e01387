package org.debvisor.controller.install;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

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

  static final List<String> FILES =
      List.of("rootfs.tar.zst", "vmlinuz", "installer.img", "manifest.tsv", "image.json");

  public InstallImage {
    packages = Set.copyOf(packages);
  }

  public Path rootfs() {
    return dir.resolve("rootfs.tar.zst");
  }

  public Path kernel() {
    return dir.resolve("vmlinuz");
  }

  public Path installerInitrd() {
    return dir.resolve("installer.img");
  }

  public Path manifest() {
    return dir.resolve("manifest.tsv");
  }

  public Path metadata() {
    return dir.resolve("image.json");
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
    Map<String, String> sums = readSums(dir.resolve("SHA256SUMS"), rebuild);
    for (String name : FILES) {
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
      JsonNode meta = new ObjectMapper().readTree(dir.resolve("image.json").toFile());
      String arch = meta.path("arch").asText("");
      String profile = meta.path("profile").asText("");
      if (arch.isEmpty() || profile.isEmpty()) {
        throw new InstallImageException(
            "--image: image.json in " + dir + " names no arch or profile" + rebuild);
      }
      Set<String> packages = new TreeSet<>();
      for (String line : Files.readAllLines(dir.resolve("manifest.tsv"), StandardCharsets.UTF_8)) {
        int tab = line.indexOf('\t');
        if (tab > 0) {
          packages.add(line.substring(0, tab));
        }
      }
      return new InstallImage(dir, arch, profile, sums.get("rootfs.tar.zst"), packages);
    } catch (IOException e) {
      throw new InstallImageException("--image: cannot read " + dir + ": " + e.getMessage());
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
      return Digests.hex(file);
    } catch (IOException e) {
      throw new InstallImageException("--image: cannot read " + file + ": " + e.getMessage());
    }
  }
}
