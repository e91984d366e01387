package org.debvisor.controller.mirror;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.Properties;
import org.debvisor.controller.node.Architecture;

/** Known installer builds and their package checksums ({@code iso/installer-pins.properties}). */
public final class InstallerPins {

  private final Properties pins;

  public InstallerPins(Properties pins) {
    this.pins = pins;
  }

  /** The pins shipped with DebVisor. */
  public static InstallerPins builtIn() {
    Properties p = new Properties();
    try (InputStream in =
        InstallerPins.class.getResourceAsStream("/iso/installer-pins.properties")) {
      if (in == null) {
        throw new IllegalStateException("iso/installer-pins.properties missing from the classpath");
      }
      p.load(in);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return new InstallerPins(p);
  }

  /** The installer build used unless one is asked for. */
  public String defaultVersion() {
    return pins.getProperty("default.version");
  }

  /** The pinned SHA-256 of the netboot package of this version, if known. */
  public Optional<String> sha256(Architecture arch, String version) {
    return Optional.ofNullable(pins.getProperty(arch.debianName() + "." + version));
  }
}
