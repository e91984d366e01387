package org.debvisor.controller.inventory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The newest schema version the migrations on the test class path reach, so tests that name it do
 * not break with every new migration.
 */
public final class LatestSchema {

  private static final Pattern MIGRATION = Pattern.compile("V(\\d+(?:_\\d+)*)__.*\\.sql");

  private LatestSchema() {}

  /** Flyway's spelling of it: "4", "2.1". */
  public static String version() {
    return SqlDialect.SQLITE.migrationLocations().stream()
        .map(location -> location.substring("classpath:".length()))
        .flatMap(LatestSchema::versionsIn)
        .max(Comparator.comparing(LatestSchema::parts, Arrays::compare))
        .orElseThrow(() -> new IllegalStateException("no migrations on the class path"));
  }

  private static Stream<String> versionsIn(String directory) {
    URL url = LatestSchema.class.getClassLoader().getResource(directory);
    if (url == null) {
      return Stream.empty();
    }
    try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
      return files
          .map(f -> MIGRATION.matcher(f.getFileName().toString()))
          .filter(Matcher::matches)
          .map(m -> m.group(1).replace('_', '.'))
          .toList()
          .stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int[] parts(String version) {
    return Stream.of(version.split("\\.")).mapToInt(Integer::parseInt).toArray();
  }
}
