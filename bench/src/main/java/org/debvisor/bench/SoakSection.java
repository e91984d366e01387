package org.debvisor.bench;

import java.nio.file.Path;

/**
 * Copies docs/soak-benchmarks.md's summary into docs/benchmarks.md for {@code bench/soak-run}, a
 * shell script, the way the Java benchmarks do it. Usage: {@code SoakSection DOCS_DIR}.
 */
public final class SoakSection {

  private SoakSection() {}

  public static void main(String[] args) throws Exception {
    OptInSection.SOAK.updateIn(Path.of(args[0]).resolve("benchmarks.md"), OptInSection.IMAGE);
  }
}
