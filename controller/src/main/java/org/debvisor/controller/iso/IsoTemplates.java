package org.debvisor.controller.iso;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.debvisor.controller.mirror.IsoBuildException;

/** The boot menu templates under {@code iso/} (a given directory, else the copy in the jar). */
public final class IsoTemplates {

  private final Path dir;

  /**
   * @param dir the {@code iso/} folder, or null for the built-in copy
   */
  public IsoTemplates(Path dir) {
    this.dir = dir;
  }

  /** The template {@code name} with each {@code @KEY@} replaced by its value. */
  public String render(String name, Map<String, String> values) throws IsoBuildException {
    String text = load(name);
    for (var e : values.entrySet()) {
      text = text.replace("@" + e.getKey() + "@", e.getValue());
    }
    if (text.matches("(?s).*@[A-Z_]+@.*")) {
      throw new IsoBuildException("iso/" + name + ": a placeholder was left unfilled");
    }
    return text;
  }

  /** The raw text of {@code iso/NAME}. */
  public String load(String name) throws IsoBuildException {
    try {
      if (dir != null) {
        return Files.readString(dir.resolve(name), StandardCharsets.UTF_8);
      }
      try (InputStream in = IsoTemplates.class.getResourceAsStream("/iso/" + name)) {
        if (in == null) {
          throw new IsoBuildException("iso/" + name + " is missing from the jar");
        }
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new IsoBuildException("cannot read iso/" + name + ": " + e.getMessage(), e);
    }
  }
}
