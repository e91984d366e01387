package org.debvisor.common.yaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.debvisor.common.violation.Violation;

/**
 * Turns Jackson's errors from reading a YAML file into records into violations an operator can act
 * on: the key's path ({@code nodes[2].network.address}), what was expected and where.
 */
public final class YamlProblems {

  private YamlProblems() {}

  /** A file that is not YAML at all: field {@code (syntax)}. */
  public static Violation syntax(JsonProcessingException e) {
    return new Violation(
        "(syntax)", "not valid YAML" + at(e.getLocation()) + ": " + e.getOriginalMessage());
  }

  /**
   * A value that does not fit the record it is read into.
   *
   * @param text the YAML that was read, to find an unknown key's own line
   */
  public static Violation describe(JsonMappingException e, String text) {
    String key = path(e);
    String where = at(e.getLocation());
    if (e instanceof UnrecognizedPropertyException u) {
      // Records are built after all their keys are read, so Jackson's location points past the
      // section; find the key's own line instead.
      String name = String.valueOf(u.getPropertyName());
      return new Violation(
          key,
          "unknown key '"
              + name
              + "'"
              + lineOfKey(text, name)
              + "; allowed here: "
              + u.getKnownPropertyIds().stream()
                  .map(Object::toString)
                  .sorted()
                  .collect(Collectors.joining(", ")));
    }
    if (e.getCause() instanceof IllegalArgumentException cause) {
      // A custom deserializer's own words (e.g. a duration it could not parse).
      return new Violation(key, cause.getMessage() + where);
    }
    if (e instanceof InvalidFormatException f) {
      return new Violation(
          key, "'" + f.getValue() + "' is not a valid " + simpleType(f.getTargetType()) + where);
    }
    if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
      return new Violation(key, "expected " + simpleType(m.getTargetType()) + where);
    }
    return new Violation(key, e.getOriginalMessage() + where);
  }

  /** {@code a.b[2].c}, or {@code (top level)}. */
  static String path(JsonMappingException e) {
    String key =
        e.getPath().stream()
            .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
            .collect(Collectors.joining("."))
            .replace(".[", "[");
    return key.isEmpty() ? "(top level)" : key;
  }

  private static String lineOfKey(String text, String name) {
    String[] lines = text.split("\n", -1);
    int found = -1;
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].stripLeading();
      if (line.startsWith(name + ":") || line.startsWith("- " + name + ":")) {
        if (found >= 0) {
          return ""; // ambiguous: the same key appears in several sections
        }
        found = i;
      }
    }
    return found < 0 ? "" : " (line " + (found + 1) + ")";
  }

  static String simpleType(Class<?> type) {
    if (type == Integer.class || type == int.class) {
      return "whole number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "boolean (true or false)";
    }
    if (type == List.class) {
      return "list";
    }
    if (type == String.class) {
      return "string";
    }
    if (type.isRecord() || Map.class.isAssignableFrom(type)) {
      return "section (a mapping of keys)";
    }
    return type.getSimpleName();
  }

  /** {@code " (line 3, column 7)"}, or nothing when Jackson does not know. */
  public static String at(JsonLocation location) {
    return location == null || location.getLineNr() < 1
        ? ""
        : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
  }
}
