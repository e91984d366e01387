package org.debvisor.controller.vulnscan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the components of a CycloneDX JSON SBOM (nested ones too) that carry a package URL, with
 * the source package of Debian binary packages where the package URL names it.
 */
public final class CycloneDxSbom {

  private final ObjectMapper json;

  public CycloneDxSbom(ObjectMapper json) {
    this.json = json;
  }

  /** The components of {@code file}; components without a package URL cannot be matched. */
  public List<SbomComponent> components(Path file) throws ScanException {
    JsonNode root;
    try {
      root = json.readTree(file.toFile());
    } catch (IOException e) {
      throw new ScanException(file + ": not readable JSON: " + e.getMessage(), e);
    }
    if (root == null || !"CycloneDX".equals(root.path("bomFormat").asText())) {
      throw new ScanException(
          file + ": not a CycloneDX JSON SBOM (no \"bomFormat\": \"CycloneDX\")");
    }
    List<SbomComponent> out = new ArrayList<>();
    collect(root.path("components"), file.toString(), out);
    return out;
  }

  /**
   * A Debian package's source package from the {@code upstream} qualifier (as Syft and
   * scripts/lib/release-base-image.sh write it): {@code NAME}, or {@code NAME@VERSION} when the
   * source version differs from the binary's (binNMUs, packages versioned on their own).
   */
  private static Optional<PackageUrl> source(PackageUrl purl, String text) {
    if (!purl.type().equals("deb")) {
      return Optional.empty();
    }
    return PackageUrl.qualifier(text, "upstream")
        .filter(upstream -> !upstream.isBlank())
        .map(
            upstream -> {
              int at = upstream.indexOf('@');
              String name = at < 0 ? upstream : upstream.substring(0, at);
              String version = at < 0 ? purl.version() : upstream.substring(at + 1);
              return new PackageUrl(purl.type(), purl.namespace(), name, version);
            })
        .filter(source -> !source.equals(purl));
  }

  private static void collect(JsonNode components, String sbom, List<SbomComponent> out) {
    for (JsonNode component : components) {
      String text = component.path("purl").asText(null);
      PackageUrl.parse(text)
          .ifPresent(
              purl ->
                  out.add(
                      new SbomComponent(
                          purl,
                          sbom,
                          PackageUrl.qualifier(text, "distro").orElse(""),
                          source(purl, text))));
      collect(component.path("components"), sbom, out);
    }
  }
}
