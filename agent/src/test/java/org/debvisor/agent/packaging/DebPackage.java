package org.debvisor.agent.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The .deb under test (the agent's, or the controller's in its package tests), unpacked with
 * dpkg-deb: its files below {@code root}, its control members (control, conffiles, maintainer
 * scripts) in {@code control}.
 */
public record DebPackage(Path deb, Path root, Path control) {

  /** Set by failsafe from jdeb's {@code jdeb.deb} property (see agent/pom.xml). */
  public static final String DEB_PROPERTY = "debvisor.deb";

  /** Finds the .deb the build made and unpacks it into {@code workDir}. */
  public static DebPackage unpack(CommandRunner runner, Path workDir)
      throws IOException, InterruptedException {
    String location = System.getProperty(DEB_PROPERTY, "");
    assertThat(location)
        .as("system property %s (run through 'mvn verify', which sets it)", DEB_PROPERTY)
        .isNotBlank()
        .doesNotContain("${");
    Path deb = Path.of(location);
    assertThat(deb).as("the .deb built in the package phase").isRegularFile();
    Path root = Files.createDirectories(workDir.resolve("root"));
    Path control = workDir.resolve("control");
    runner.run(List.of("dpkg-deb", "-x", deb.toString(), root.toString())).requireSuccess();
    runner.run(List.of("dpkg-deb", "-e", deb.toString(), control.toString())).requireSuccess();
    return new DebPackage(deb, root, control);
  }

  /** The unpacked file at an absolute path of the installed package, e.g. /usr/bin/x. */
  public Path file(String installedPath) {
    return root.resolve(installedPath.substring(1));
  }

  /** One control field, e.g. {@code Version}, as dpkg-deb reads it. */
  public String field(CommandRunner runner, String name) throws IOException, InterruptedException {
    return runner
        .run(List.of("dpkg-deb", "--field", deb.toString(), name))
        .requireSuccess()
        .stdout()
        .strip();
  }

  /**
   * Each entry of the data archive by installed path (no leading dot, no trailing slash): mode,
   * owner, size, date, time[, ->, link target], as {@code dpkg-deb --contents} prints them in UTC.
   */
  public Map<String, String[]> contents(CommandRunner runner)
      throws IOException, InterruptedException {
    Map<String, String> environment = new HashMap<>(System.getenv());
    environment.put("TZ", "UTC");
    String listing =
        runner
            .run(List.of("dpkg-deb", "--contents", deb.toString()), environment)
            .requireSuccess()
            .stdout();
    Map<String, String[]> entries = new LinkedHashMap<>();
    for (String line : listing.lines().toList()) {
      String[] parts = line.trim().split("\\s+");
      entries.put(parts[5].substring(1).replaceAll("(.)/$", "$1"), parts);
    }
    return entries;
  }

  /** The Debian version the build gives the project version (failsafe sets it). */
  public static String expectedVersion() {
    return System.getProperty("debvisor.projectVersion").replace("-SNAPSHOT", "~SNAPSHOT");
  }
}
