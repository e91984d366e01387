package org.debvisor.controller.install;

import java.nio.charset.StandardCharsets;

/**
 * A file (or, with null content, a directory) the installer puts into the new system.
 *
 * @param path path without the leading slash, like {@code etc/hostname}
 * @param mode permission bits, like {@code 0644}
 * @param owner user and group name in the new system
 * @param content the bytes; null for a directory
 */
record OverlayFile(String path, int mode, String owner, byte[] content) {

  static OverlayFile text(String path, int mode, String owner, String text) {
    return new OverlayFile(path, mode, owner, text.getBytes(StandardCharsets.UTF_8));
  }

  static OverlayFile directory(String path, int mode, String owner) {
    return new OverlayFile(path, mode, owner, null);
  }

  boolean isDirectory() {
    return content == null;
  }
}
