package org.debvisor.agent.config;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/** Writing or restoring configuration files failed; the message names the file and the cause. */
public final class ConfigStorageException extends IOException {

  private final boolean noSpace;

  private ConfigStorageException(String message, boolean noSpace, Throwable cause) {
    super(message, cause);
    this.noSpace = noSpace;
  }

  /** E.g. "cannot stage /etc/x: no space left on device (/etc/.x: No space left on device)". */
  static ConfigStorageException of(String action, Path file, IOException cause) {
    String detail = cause.getMessage() == null ? cause.toString() : cause.getMessage();
    String lower = detail.toLowerCase(Locale.ROOT);
    boolean noSpace =
        lower.contains("no space left on device") || lower.contains("disk quota exceeded");
    String what =
        noSpace
            ? (lower.contains("quota") ? "disk quota exceeded" : "no space left on device")
            : cause.getClass().getSimpleName();
    return new ConfigStorageException(
        "cannot " + action + " " + file + ": " + what + " (" + detail + ")", noSpace, cause);
  }

  /** Whether the file system (or a quota) was full. */
  public boolean noSpace() {
    return noSpace;
  }
}
