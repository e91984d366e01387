package org.debvisor.controller.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The panel serves a fixed list of files: the list must name every file of its resource directory
 * (a new module nobody listed would 404 in the browser), and no file may build markup from strings.
 */
class PanelFilesTest {

  private static final Path DIR = Path.of("src/main/resources/org/debvisor/controller/panel");

  @Test
  void theListNamesExactlyTheFilesOfTheResourceDirectory() throws Exception {
    // Subdirectories (measure/: the benchmarks' and browser tests' timing script) are not served.
    try (Stream<Path> files = Files.list(DIR).filter(Files::isRegularFile)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrderElementsOf(PanelFiles.NAMES);
    }
    assertThat(PanelFiles.load()).isNotNull();
  }

  @Test
  void everyModuleImportedIsServed() throws Exception {
    Pattern imports = Pattern.compile("from '\\./([^']+)'");
    for (String name : PanelFiles.NAMES) {
      if (!name.endsWith(".js")) {
        continue;
      }
      imports
          .matcher(Files.readString(DIR.resolve(name)))
          .results()
          .forEach(m -> assertThat(PanelFiles.NAMES).as(name).contains(m.group(1)));
    }
  }
}
