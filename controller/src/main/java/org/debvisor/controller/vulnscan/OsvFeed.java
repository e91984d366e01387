package org.debvisor.controller.vulnscan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads OSV records (https://ossf.github.io/osv-schema/) from a file or from every {@code *.json}
 * below a directory, as OSV's per-ecosystem {@code all.zip} unpacks. A file holds one record or an
 * array of them.
 */
public final class OsvFeed {

  private final ObjectMapper json;

  public OsvFeed(ObjectMapper json) {
    this.json = json;
  }

  /** Every advisory under {@code path}; fails naming the first file that is not OSV JSON. */
  public List<Advisory> load(Path path) throws ScanException {
    if (!Files.exists(path)) {
      throw new ScanException(path + ": no such feed file or directory");
    }
    List<Path> files;
    if (Files.isDirectory(path)) {
      try (Stream<Path> walk = Files.walk(path)) {
        files =
            walk.filter(p -> p.toString().endsWith(".json") && Files.isRegularFile(p))
                .sorted()
                .toList();
      } catch (IOException e) {
        throw new ScanException(path + ": cannot list the feed: " + e.getMessage(), e);
      }
    } else {
      files = List.of(path);
    }
    List<Advisory> out = new ArrayList<>();
    for (Path file : files) {
      JsonNode root;
      try {
        root = json.readTree(file.toFile());
      } catch (IOException e) {
        throw new ScanException(file + ": not readable JSON: " + e.getMessage(), e);
      }
      if (root != null && root.isArray()) {
        for (JsonNode record : root) {
          out.add(advisory(record, file));
        }
      } else {
        out.add(advisory(root, file));
      }
    }
    return out;
  }

  private static Advisory advisory(JsonNode record, Path file) throws ScanException {
    if (record == null || !record.path("id").isTextual() || !record.path("affected").isArray()) {
      throw new ScanException(file + ": not an OSV record (needs \"id\" and \"affected\")");
    }
    List<AffectedPackage> affected = new ArrayList<>();
    for (JsonNode entry : record.path("affected")) {
      Optional<PackageUrl> purl = packageUrl(entry.path("package"));
      if (purl.isEmpty()) {
        continue;
      }
      List<String> versions = new ArrayList<>();
      entry.path("versions").forEach(v -> versions.add(v.asText()));
      affected.add(
          new AffectedPackage(
              purl.get(),
              distro(entry.path("package").path("ecosystem").asText("")),
              versions,
              ranges(entry.path("ranges")),
              severityWord(entry.path("ecosystem_specific"))
                  .or(() -> severityWord(entry.path("database_specific")))));
    }
    Severity severity =
        severityWord(record.path("database_specific"))
            .orElseGet(() -> numericSeverity(record.path("severity")));
    return new Advisory(
        record.path("id").asText(), record.path("summary").asText(""), severity, affected);
  }

  /** OSV names packages by ecosystem and name; some records add a package URL. */
  private static Optional<PackageUrl> packageUrl(JsonNode pkg) {
    Optional<PackageUrl> given = PackageUrl.parse(pkg.path("purl").asText(null));
    if (given.isPresent()) {
      return given;
    }
    String ecosystem = pkg.path("ecosystem").asText("");
    String name = pkg.path("name").asText("");
    if (name.isEmpty()) {
      return Optional.empty();
    }
    // "Debian:13" is Debian's ecosystem for one release.
    String base = ecosystem.split(":", 2)[0];
    return switch (base) {
      case "Maven" -> {
        int colon = name.indexOf(':');
        yield colon < 0
            ? Optional.empty()
            : Optional.of(
                new PackageUrl("maven", name.substring(0, colon), name.substring(colon + 1), ""));
      }
      case "Debian" -> Optional.of(new PackageUrl("deb", "debian", name, ""));
      default -> Optional.of(new PackageUrl(base.toLowerCase(Locale.ROOT), "", name, ""));
    };
  }

  /**
   * The Debian release an ecosystem like "Debian:13" names, as package URLs spell it in their
   * {@code distro} qualifier ("debian-13"); empty for other ecosystems and a bare "Debian".
   */
  private static String distro(String ecosystem) {
    String[] parts = ecosystem.split(":", 2);
    return parts.length == 2 && parts[0].equals("Debian") && !parts[1].isBlank()
        ? "debian-" + parts[1].strip()
        : "";
  }

  /** ECOSYSTEM (and SEMVER) ranges; GIT ranges name commits, which an SBOM does not carry. */
  private static List<AffectedRange> ranges(JsonNode ranges) {
    List<AffectedRange> out = new ArrayList<>();
    for (JsonNode range : ranges) {
      if ("GIT".equals(range.path("type").asText())) {
        continue;
      }
      String introduced = null;
      for (JsonNode event : range.path("events")) {
        if (event.has("introduced")) {
          if (introduced != null) {
            out.add(new AffectedRange(introduced, null, null));
          }
          introduced = event.get("introduced").asText();
        } else if (event.has("fixed") && introduced != null) {
          out.add(new AffectedRange(introduced, event.get("fixed").asText(), null));
          introduced = null;
        } else if (event.has("last_affected") && introduced != null) {
          out.add(new AffectedRange(introduced, null, event.get("last_affected").asText()));
          introduced = null;
        }
      }
      if (introduced != null) {
        out.add(new AffectedRange(introduced, null, null));
      }
    }
    return out;
  }

  private static Optional<Severity> severityWord(JsonNode specific) {
    Severity s = Severity.parse(specific.path("severity").asText(null));
    return s == Severity.UNKNOWN ? Optional.empty() : Optional.of(s);
  }

  /**
   * The worst rating among {@code severity[]}: a CVSS v3.x vector is scored, a plain number is
   * taken as a base score. CVSS v2 and v4 vectors are not scored (v4's score comes from lookup
   * tables, not a formula); a record with only those stays UNKNOWN unless it adds a rating word.
   */
  private static Severity numericSeverity(JsonNode severities) {
    Severity worst = Severity.UNKNOWN;
    for (JsonNode s : severities) {
      Severity rated = rate(s.path("score").asText(""));
      if (rated.compareTo(worst) > 0) {
        worst = rated;
      }
    }
    return worst;
  }

  private static Severity rate(String score) {
    Optional<CvssV3Vector> vector = CvssV3Vector.parse(score);
    if (vector.isPresent()) {
      return Severity.ofCvssScore(vector.get().baseScore());
    }
    try {
      return Severity.ofCvssScore(Double.parseDouble(score));
    } catch (NumberFormatException e) {
      return Severity.UNKNOWN;
    }
  }
}
