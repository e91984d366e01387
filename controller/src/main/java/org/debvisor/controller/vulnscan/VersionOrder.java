package org.debvisor.controller.vulnscan;

import java.util.Comparator;
import java.util.Optional;

/** How an ecosystem orders its versions, so OSV ranges can be checked. */
public interface VersionOrder extends Comparator<String> {

  /** The order for a package URL type: Maven and Debian; others are matched by exact version. */
  static Optional<VersionOrder> forType(String purlType) {
    return switch (purlType) {
      case "maven" -> Optional.of(new MavenVersionOrder());
      case "deb" -> Optional.of(new DebianVersionOrder());
      default -> Optional.empty();
    };
  }
}
