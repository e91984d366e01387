package org.debvisor.controller.vulnscan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads the components of a CycloneDX JSON SBOM (nested ones too) that carry a package URL. */
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

  private static void collect(JsonNode components, String sbom, List<SbomComponent> out) {
    for (JsonNode component : components) {
      PackageUrl.parse(component.path("purl").asText(null))
          .ifPresent(purl -> out.add(new SbomComponent(purl, sbom)));
      collect(component.path("components"), sbom, out);
    }
  }
}
