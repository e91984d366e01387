package org.debvisor.controller.buildmetrics;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * One finished build, successful or not, as the textfile records it.
 *
 * @param artifact what was built: {@code iso} or {@code image}
 * @param arch Debian architecture name
 * @param os the installed operating system, e.g. {@code debian13}
 * @param seconds wall time of the build
 * @param succeeded whether the artifact was written
 * @param packages packages the artifact installs, when the build knows them
 */
public record BuildOutcome(
    String artifact,
    String arch,
    String os,
    double seconds,
    boolean succeeded,
    OptionalInt packages) {

  public BuildOutcome {
    Objects.requireNonNull(artifact);
    Objects.requireNonNull(arch);
    Objects.requireNonNull(os);
    if (!(seconds >= 0)) {
      throw new IllegalArgumentException("build time must be 0 s or more, not " + seconds);
    }
  }

  /** The label set of this build's series, in the exposition's sorted order. */
  String labels() {
    return "arch=\""
        + escape(arch)
        + "\",artifact=\""
        + escape(artifact)
        + "\",os=\""
        + escape(os)
        + "\"";
  }

  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
