package org.debvisor.controller.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code manifest.tsv}: the packages installed in an image, one {@code
 * package<TAB>version<TAB>architecture} line each, sorted.
 *
 * @param packages the lines, in file order
 */
public record ImageManifest(List<Package> packages) {

  /** One installed package. */
  public record Package(String name, String version, String architecture) {}

  public ImageManifest {
    packages = List.copyOf(packages);
  }

  /** Reads and checks a manifest file. */
  public static ImageManifest read(Path file) throws ImageBuildException {
    try {
      return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ImageBuildException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Parses manifest text; {@code source} names it in errors. Refuses empty manifests, lines without
   * exactly three non-empty tab-separated fields, and unsorted or repeated lines.
   */
  public static ImageManifest parse(String source, String text) throws ImageBuildException {
    List<Package> packages = new ArrayList<>();
    String previous = null;
    int lineNumber = 0;
    for (String line : text.split("\n", -1)) {
      lineNumber++;
      if (line.isEmpty()) {
        continue;
      }
      String[] fields = line.split("\t", -1);
      if (fields.length != 3 || fields[0].isEmpty() || fields[1].isEmpty() || fields[2].isEmpty()) {
        throw new ImageBuildException(
            source
                + " line "
                + lineNumber
                + ": expected package<TAB>version<TAB>architecture, got '"
                + line
                + "'");
      }
      if (previous != null && previous.compareTo(line) >= 0) {
        throw new ImageBuildException(
            source + " line " + lineNumber + ": not sorted or repeated ('" + line + "')");
      }
      previous = line;
      packages.add(new Package(fields[0], fields[1], fields[2]));
    }
    if (packages.isEmpty()) {
      throw new ImageBuildException(source + " lists no packages (dpkg-query found none?)");
    }
    return new ImageManifest(packages);
  }

  /** The installed package called {@code name}, if any. */
  public Optional<Package> find(String name) {
    return packages.stream().filter(p -> p.name().equals(name)).findFirst();
  }
}
