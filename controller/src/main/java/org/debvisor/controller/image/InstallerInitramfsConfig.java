package org.debvisor.controller.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * The installer initramfs configuration directory ({@code mkinitramfs -d}), written from the
 * classpath by a fixed list of names: a jar cannot be listed reliably, and executable bits do not
 * survive the copy into it, so hooks and scripts get theirs back here.
 */
public final class InstallerInitramfsConfig {

  /** Classpath directory of the configuration. */
  static final String RESOURCE_DIR = "/org/debvisor/controller/image/installer-initramfs/";

  /** Every file of the configuration, relative to {@link #RESOURCE_DIR}. */
  static final List<String> FILES =
      List.of("initramfs.conf", "modules", "hooks/debvisor-installer", "scripts/debvisor");

  /** Opens one file of the configuration by its name in {@link #FILES}; null if missing. */
  @FunctionalInterface
  interface Source {
    InputStream open(String name) throws IOException;
  }

  private final String description;
  private final Source source;

  /** Reads the configuration packaged with DebVisor. */
  public InstallerInitramfsConfig() {
    this(
        "the DebVisor jar's " + RESOURCE_DIR,
        name -> InstallerInitramfsConfig.class.getResourceAsStream(RESOURCE_DIR + name));
  }

  /**
   * @param description where the files come from, for messages
   * @param source opens each file
   */
  InstallerInitramfsConfig(String description, Source source) {
    this.description = description;
    this.source = source;
  }

  /** Writes the configuration into the new directory {@code dir}; returns {@code dir}. */
  public Path writeTo(Path dir) throws ImageBuildException {
    try {
      Files.createDirectory(dir);
      for (String name : FILES) {
        Path target = dir.resolve(name);
        Files.createDirectories(target.getParent());
        try (InputStream in = source.open(name)) {
          if (in == null) {
            throw new ImageBuildException(
                "the installer initramfs file "
                    + name
                    + " is missing from "
                    + description
                    + "; rebuild DebVisor (./mvnw -pl controller -am package)");
          }
          Files.copy(in, target);
        }
        boolean executable = name.startsWith("hooks/") || name.startsWith("scripts/");
        Files.setPosixFilePermissions(
            target, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
      }
      return dir;
    } catch (IOException e) {
      throw new ImageBuildException(
          "cannot write the installer initramfs configuration to " + dir + ": " + e.getMessage(),
          e);
    }
  }
}
