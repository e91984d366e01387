package org.debvisor.controller.mirror;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One paragraph of a Debian {@code Packages} index. */
record PackageStanza(Map<String, String> fields) {

  public PackageStanza {
    fields = Map.copyOf(fields);
  }

  /** Parses a whole index (continuation lines are joined with a newline). */
  public static List<PackageStanza> parseAll(String text) {
    List<PackageStanza> result = new ArrayList<>();
    Map<String, String> current = new LinkedHashMap<>();
    String last = null;
    for (String line : text.split("\n", -1)) {
      if (line.isEmpty()) {
        if (!current.isEmpty()) {
          result.add(new PackageStanza(current));
          current = new LinkedHashMap<>();
        }
        last = null;
      } else if ((line.startsWith(" ") || line.startsWith("\t")) && last != null) {
        current.merge(last, "\n" + line.trim(), String::concat);
      } else {
        int colon = line.indexOf(':');
        if (colon > 0) {
          last = line.substring(0, colon);
          current.put(last, line.substring(colon + 1).trim());
        }
      }
    }
    if (!current.isEmpty()) {
      result.add(new PackageStanza(current));
    }
    return result;
  }

  public String get(String field) {
    return fields.getOrDefault(field, "");
  }

  public String name() {
    return get("Package");
  }

  public String version() {
    return get("Version");
  }

  public String filename() {
    return get("Filename");
  }

  public String sha256() {
    return get("SHA256");
  }

  public String priority() {
    return get("Priority");
  }

  /** Each dependency as its alternatives' package names (versions and arch qualifiers dropped). */
  public List<List<String>> depends() {
    return relations(get("Depends"));
  }

  /** The virtual package names this one provides. */
  public List<String> provides() {
    return relations(get("Provides")).stream().map(List::getFirst).toList();
  }

  private static List<List<String>> relations(String value) {
    if (value.isBlank()) {
      return List.of();
    }
    return Arrays.stream(value.split(","))
        .map(
            group ->
                Arrays.stream(group.split("\\|"))
                    .map(alt -> alt.trim().split("[\\s(:\\[]")[0])
                    .filter(n -> !n.isEmpty())
                    .toList())
        .filter(l -> !l.isEmpty())
        .toList();
  }
}
