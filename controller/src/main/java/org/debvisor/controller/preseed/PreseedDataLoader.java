package org.debvisor.controller.preseed;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.debvisor.common.violation.Violation;
import org.debvisor.controller.node.InvalidInputException;
import org.debvisor.controller.node.Profile;
import org.debvisor.controller.node.ProfileReader;

/**
 * Reads {@link PreseedData} from a {@code preseed/} directory or from the copy inside the jar, and
 * checks the template and every profile on the way.
 */
public final class PreseedDataLoader {

  /** Template file name inside {@code preseed/}. */
  public static final String TEMPLATE = "debian13.preseed";

  /** Profiles packaged into the jar (a directory may hold more). */
  static final List<String> BUILT_IN_PROFILES = List.of("ceph", "hypervisor", "k8s");

  private static final long MAX_FILE_BYTES = 1 << 20;

  private final ProfileReader profiles = new ProfileReader();

  /** Reads {@code DIR/debian13.preseed} and {@code DIR/profiles/*.yaml}. */
  public PreseedData fromDirectory(Path dir) throws InvalidInputException, IOException {
    Path templateFile = dir.resolve(TEMPLATE);
    PreseedTemplate template = PreseedTemplate.parse(templateFile.toString(), read(templateFile));
    SortedMap<String, Profile> profiles = new TreeMap<>();
    Path profileDir = dir.resolve("profiles");
    List<Path> files;
    try (Stream<Path> listing = Files.list(profileDir)) {
      files = listing.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
    }
    for (Path file : files) {
      String name = file.getFileName().toString().replaceFirst("\\.yaml$", "");
      profiles.put(name, profile(file.toString(), name, read(file)));
    }
    return new PreseedData(dir.toString(), template, profiles);
  }

  /** Reads the copy of {@code preseed/} packaged into the jar. */
  public PreseedData fromClasspath() throws InvalidInputException {
    String source = "built-in preseed data";
    PreseedTemplate template =
        PreseedTemplate.parse(source + " " + TEMPLATE, resource("/preseed/" + TEMPLATE));
    SortedMap<String, Profile> profiles = new TreeMap<>();
    for (String name : BUILT_IN_PROFILES) {
      String path = "/preseed/profiles/" + name + ".yaml";
      profiles.put(name, profile(source + " " + path, name, resource(path)));
    }
    return new PreseedData(source, template, profiles);
  }

  /**
   * The preseed data to use: {@code explicitDir} when given; else the first {@code preseed/}
   * directory found next to (or up to two levels above) the running jar; else the jar's own copy.
   */
  public PreseedData locate(Path explicitDir, Path jarLocation)
      throws InvalidInputException, IOException {
    if (explicitDir != null) {
      if (!Files.isRegularFile(explicitDir.resolve(TEMPLATE))) {
        throw new InvalidInputException(
            explicitDir.toString(),
            List.of(
                new Violation(
                    "--preseed-dir", "holds no " + TEMPLATE + " (is it the preseed/ folder?)")));
      }
      return fromDirectory(explicitDir);
    }
    List<Path> candidates = new ArrayList<>();
    if (jarLocation != null) {
      Path base = Files.isDirectory(jarLocation) ? jarLocation : jarLocation.getParent();
      for (int up = 0; up < 3 && base != null; up++, base = base.getParent()) {
        candidates.add(base.resolve("preseed"));
      }
    }
    for (Path candidate : candidates) {
      if (Files.isRegularFile(candidate.resolve(TEMPLATE))
          && Files.isDirectory(candidate.resolve("profiles"))) {
        return fromDirectory(candidate);
      }
    }
    return fromClasspath();
  }

  private Profile profile(String source, String name, String text) throws InvalidInputException {
    return profiles.read(source, name, text);
  }

  private static String read(Path file) throws IOException {
    if (Files.size(file) > MAX_FILE_BYTES) {
      throw new IOException(file + " is larger than " + MAX_FILE_BYTES + " bytes");
    }
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  private static String resource(String path) {
    try (InputStream in = PreseedDataLoader.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("resource " + path + " missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
